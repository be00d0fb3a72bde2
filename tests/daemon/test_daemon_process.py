"""End to end: ``diffsync daemon`` as a real process on a 1-second interval,
against the fake arXiv over real HTTP, with an outage in the middle, a
concurrent ``diffsync check``, and SIGTERM at the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers
from diffsync.fake_arxiv.server import Fault
from helpers.daemon import read, start_daemon, wait_for

FIXTURES = EXAMPLE_DIR
PAPERS = example_papers()

pytestmark = pytest.mark.e2e

DELAY = 0.2


def daemon_runs(db_rows) -> list[tuple[int, str, str | None]]:
    try:
        return db_rows("select id, status, error from runs where trigger = 'daemon' "
                       "and finished_at is not null order by id")
    except sa.exc.DBAPIError:  # schema not created yet
        return []


def terminate(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("daemon did not stop within 15 s of SIGTERM") from None


def base_env(fake: FakeArxiv, tmp_path: Path, database_url: str,
             report: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DIFFSYNC_CONFIG", None)
    env.update(DIFFSYNC_ARXIV_URL=fake.url, DIFFSYNC_ARXIV_DELAY=str(DELAY),
               DIFFSYNC_ARXIV_BACKOFF="0.05", DIFFSYNC_ARXIV_MAX_RETRIES="1",
               DIFFSYNC_ARXIV_TIMEOUT="30", DIFFSYNC_DATABASE_URL=database_url,
               DIFFSYNC_REPORT_PATH=str(report or tmp_path / "report.md"))
    return env


def test_daemon_polls_survives_outage_shares_db_and_stops_on_sigterm(tmp_path, database_url,
                                                                     db_rows):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    db = db_rows
    report = tmp_path / "out" / "report.md"
    log = tmp_path / "daemon.log"
    with FakeArxiv(PAPERS, delay_check=DELAY) as fake:
        env = base_env(fake, tmp_path, database_url, report=report)
        proc = start_daemon([str(lst), "--interval", "1"], env, tmp_path, log)
        try:
            wait_for(lambda: any(s == "ok" for _, s, _ in daemon_runs(db)), "a good run", proc)
            wait_for(lambda: "## Title" in read(report), "the report", proc)

            # arXiv goes down: the run during the outage fails, is recorded, the daemon goes on.
            fake.set_faults([Fault("503", every=1)])
            failed = wait_for(lambda: [r for r in daemon_runs(db) if r[1] == "failed"],
                              "a failed run", proc)
            assert "503" in failed[0][2]
            wait_for(lambda: "[!WARNING]" in read(report), "the report of the failed run", proc)
            fake.set_faults([])

            # A check in another process shares the database and arXiv with the daemon.
            check = subprocess.run([sys.executable, "-m", "diffsync", "check", str(lst)],
                                   capture_output=True, text=True, env=env, cwd=tmp_path,
                                   timeout=120)
            assert check.returncode == 1, check.stderr  # open findings, run completed
            assert "locked" not in check.stderr

            wait_for(lambda: any(s == "ok" and i > failed[0][0] for i, s, _ in daemon_runs(db)),
                     "a good run after the outage", proc)
            assert len(daemon_runs(db)) >= 3
        finally:
            code = terminate(proc)
        assert code == 0
        assert fake.violations() == []
        assert fake.overlaps == 0

    stderr = log.read_text(encoding="utf-8")
    assert "Traceback" not in stderr
    assert "run failed" in stderr and "daemon stopped" in stderr
    assert "database is locked" not in stderr
    assert all(line[:4].isdigit() for line in stderr.splitlines() if line.strip())
    statuses = {s for _, s, _ in daemon_runs(db)}
    assert "running" not in statuses
    assert not list(report.parent.glob(".*.tmp"))


def test_sigterm_during_a_stuck_request_exits_0_and_marks_the_run(tmp_path, database_url, db_rows):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    log = tmp_path / "daemon.log"
    with FakeArxiv(PAPERS, faults=[Fault("slow", every=1, seconds=20)]) as fake:
        proc = start_daemon([str(lst), "--interval", "1", "--stop-grace", "1"], base_env(fake, tmp_path, database_url), tmp_path, log)
        try:
            wait_for(lambda: "run started" in read(log), "a run to start", proc)
            time.sleep(0.5)  # let it reach arXiv, which stalls
        finally:
            code = terminate(proc)
    assert code == 0
    stderr = read(log)
    assert "Traceback" not in stderr and "abandoning the current run" in stderr
    rows = db_rows("select status, error from runs")
    assert rows == [("interrupted", "stopped by signal before the run finished")]


def test_once_runs_one_check_and_exits_with_its_code(tmp_path, database_url):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    with FakeArxiv(PAPERS, delay_check=DELAY) as fake:
        result = subprocess.run(
            [sys.executable, "-m", "diffsync", "daemon", str(lst), "--once"],
            capture_output=True, text=True, env=base_env(fake, tmp_path, database_url), cwd=tmp_path, timeout=60)
        assert fake.violations() == []
    assert result.returncode == 1, result.stderr  # the fixture list has open findings
    assert "## Wrong arXiv ID" in read(tmp_path / "report.md")
    missing = subprocess.run(
        [sys.executable, "-m", "diffsync", "daemon", str(tmp_path / "nope.md"), "--once"],
        capture_output=True, text=True, env=base_env(fake, tmp_path, database_url), cwd=tmp_path, timeout=60)
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
