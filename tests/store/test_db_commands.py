"""``diffsync db upgrade`` / ``diffsync db current`` through the real entry point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1


def _diffsync(tmp_path, *args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIFFSYNC_DATABASE_URL": f"sqlite:///{tmp_path / db}"}
    env.pop("DIFFSYNC_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "diffsync", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_current_changes_nothing_then_upgrade_creates(tmp_path):
    before = _diffsync(tmp_path, "db", "current", db="d.db")
    assert before.returncode == 0, before.stderr
    assert "no diffsync schema yet" in before.stdout
    assert not (tmp_path / "d.db").exists()
    up = _diffsync(tmp_path, "db", "upgrade", db="d.db")
    assert up.returncode == 0, up.stderr
    assert "(latest)" in up.stdout and (tmp_path / "d.db").exists()
    after = _diffsync(tmp_path, "db", "current", db="d.db")
    assert "schema at revision" in after.stdout and "(latest)" in after.stdout


@pytest.mark.parametrize("command", ["upgrade", "current"])
def test_corrupt_database_is_one_line_exit_3(tmp_path, command):
    (tmp_path / "bad.db").write_bytes(b"\x00garbage" * 100)
    done = _diffsync(tmp_path, "db", command, db="bad.db")
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "not a SQLite database" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "bad.db").read_bytes() == b"\x00garbage" * 100
