"""One daemon per database and list, for every list a daemon watches (issue 24): a second
daemon over any list the first watches (by the list's identity, however the path is
spelled) is refused with one line naming that list and the running daemon; a daemon
over other lists of the same database runs.  Real processes, bounded waits."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_DIR as FIXTURES, example_papers

from helpers.daemon import daemon_env, read, start_daemon, wait_for

pytestmark = pytest.mark.e2e


def _second(args, env, cwd):
    return subprocess.run([sys.executable, "-m", "diffsync", "daemon", *args, "--interval", "3600"],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def _stop(proc) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_every_list_of_a_running_daemon_is_locked_and_other_lists_are_not(tmp_path, database_url):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_bytes((FIXTURES / "list.md").read_bytes())
    (tmp_path / "sub").mkdir()
    with FakeArxiv(example_papers()) as fake:
        env = daemon_env(fake, tmp_path, database_url)
        env.pop("DIFFSYNC_REPORT_PATH")  # each list its own report
        first = start_daemon(["a.md", "b.md", "--interval", "3600"], env, tmp_path, tmp_path / "first.log")
        try:
            wait_for(lambda: "daemon started" in read(tmp_path / "first.log"), "the first daemon", first)
            # The second list of the first daemon, given with another; then spelled another way.
            overlapping = _second(["c.md", "b.md"], env, tmp_path)
            relative = _second(["../b.md"], env, tmp_path / "sub")
            # Lists the first does not watch: a daemon of their own.
            other = start_daemon(["c.md", "--interval", "3600"], env, tmp_path, tmp_path / "other.log")
            try:
                wait_for(lambda: "daemon started" in read(tmp_path / "other.log"), "a daemon over c.md", other)
            finally:
                assert _stop(other) == 0, read(tmp_path / "other.log")
        finally:
            assert _stop(first) == 0, read(tmp_path / "first.log")
    for second in (overlapping, relative):
        assert second.returncode == 3, second.stderr
        errors = [line for line in second.stderr.splitlines() if "error" in line.lower()]
        assert len(errors) == 1 and "Traceback" not in second.stderr, second.stderr
        assert "b.md" in errors[0] and "a.md" not in errors[0] and "c.md" not in errors[0]
        assert f"pid {first.pid} on " in errors[0] and "already checks" in errors[0]
