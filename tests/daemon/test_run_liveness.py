"""Honest state (issue 12, item 9): heartbeats, abandoned runs, a live daemon, failed-run reports."""

from __future__ import annotations

import pytest

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta

import sqlalchemy as sa
from helpers.daemon import FakeStore, finding

from diffsync.report.markdown import Report, render_json, render_markdown
from diffsync.fake_arxiv import FakeArxiv, Fault
from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers
from diffsync.models import Kind
from diffsync.store import liveness
from diffsync.store.store import RunCounts, RunRow, Store
from diffsync.utc import utcnow

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

FIXTURES = EXAMPLE_DIR
PAPERS = example_papers()


def cli(args, cwd, env, timeout=60):
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def wait_for(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _set_run(url: str, run_id: int, **values) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("update runs set " + ", ".join(f"{k} = :{k}" for k in values)
                             + " where id = :id"), {**values, "id": run_id})
    engine.dispose()


def test_a_run_whose_process_died_is_abandoned(database_url):
    # A process that starts a run and dies without finishing it, as kill -9 leaves one.
    code = ("import sys; from diffsync.store.store import Store; "
            "s = Store.open(sys.argv[1]); print(s.start_run('check', 'L.md'))")
    out = subprocess.run([sys.executable, "-c", code, database_url], capture_output=True, text=True,
                         timeout=60, check=True)
    run_id = int(out.stdout)
    with Store.open(database_url) as store:
        row = next(r for r in store.runs(5) if r.id == run_id)
        assert row.status == "abandoned" and "is gone" in row.error and row.finished_at is not None
        assert row.pid is not None and row.host == liveness.this_host()
        assert store.abandon_dead_runs() == 1  # persisted, once
        assert store.abandon_dead_runs() == 0
        mine = store.start_run("check", "L.md")
        assert next(r for r in store.runs(5) if r.id == mine).status == "running"  # this process lives


def test_stale_heartbeat_from_another_host_is_abandoned_fresh_one_is_not(database_url):
    with Store.open(database_url) as store:
        stale, fresh = store.start_run("check", "a.md"), store.start_run("daemon", "b.md")
    old = utcnow() - timedelta(seconds=liveness.STALE_SECONDS + 60)
    # naive UTC is how SQLite stores times; PostgreSQL takes the aware value
    _set_run(database_url, stale, host="elsewhere", pid=1,
             heartbeat_at=old if database_url.startswith("postgresql") else old.replace(tzinfo=None))
    _set_run(database_url, fresh, host="elsewhere", pid=1)
    with Store.open(database_url) as store:
        status = {r.id: r.status for r in store.runs(5)}
        assert status == {stale: "abandoned", fresh: "running"}
        store.beat_run(fresh)
        assert next(r for r in store.runs(5) if r.id == fresh).heartbeat_at is not None


def test_heartbeat_thread_beats_and_stops():
    beats = []
    with liveness.Heartbeat(lambda: beats.append(1), every=0.01):
        wait_for(lambda: len(beats) >= 3, "three beats", timeout=10)
    count = len(beats)
    time.sleep(0.05)
    assert len(beats) == count  # stopped with the block


def test_killed_check_shows_abandoned_in_status(tmp_path, database_url):
    shutil.copy(FIXTURES / "list.md", tmp_path / "list.md")
    with FakeArxiv(PAPERS, faults=[Fault("slow", every=1, seconds=20)]) as fake:
        env = dict(os.environ, DIFFSYNC_ARXIV_URL=fake.url, DIFFSYNC_ARXIV_DELAY="0.05",
                   DIFFSYNC_DATABASE_URL=database_url, DIFFSYNC_ARXIV_TIMEOUT="60")
        env.pop("DIFFSYNC_CONFIG", None)
        proc = subprocess.Popen([sys.executable, "-m", "diffsync", "check", "list.md"], cwd=tmp_path,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def running():
                result = cli(["status", "--json"], tmp_path, env)
                runs = json.loads(result.stdout)["runs"] if result.returncode == 0 else []
                return runs and runs[0]["status"] == "running"
            wait_for(running, "the check to be running")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        doc = json.loads(cli(["status", "--json"], tmp_path, env).stdout)
    assert doc["runs"][0]["status"] == "abandoned"
    assert "is gone" in doc["runs"][0]["error"]


def test_status_says_whether_a_daemon_is_alive(tmp_path, database_url):
    shutil.copy(FIXTURES / "list.md", tmp_path / "list.md")
    with FakeArxiv(PAPERS) as fake:
        env = dict(os.environ, DIFFSYNC_ARXIV_URL=fake.url, DIFFSYNC_ARXIV_DELAY="0.05",
                   DIFFSYNC_DATABASE_URL=database_url, DIFFSYNC_REPORT_PATH=str(tmp_path / "r.md"))
        env.pop("DIFFSYNC_CONFIG", None)
        before = cli(["status"], tmp_path, env)
        assert "Daemon:         not running" in before.stdout
        assert "Next run:       none" in before.stdout
        proc = subprocess.Popen([sys.executable, "-m", "diffsync", "daemon", "--interval", "3600",
                                 "list.md"], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def alive():
                doc = json.loads(cli(["status", "--json"], tmp_path, env).stdout or "{}")
                return doc if doc.get("daemon", {}).get("alive") else None
            doc = wait_for(alive, "the daemon to show as alive")
            assert doc["daemon"]["pid"] == proc.pid and doc["next_run"] is not None
            assert f"running (pid {proc.pid}" in cli(["status"], tmp_path, env).stdout
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        after = json.loads(cli(["status", "--json"], tmp_path, env).stdout)
    assert after["daemon"] == {"alive": False} and after["next_run"] is None


def test_daemon_killed_without_goodbye_is_not_alive(database_url):
    code = ("import sys; from diffsync.store.store import Store; "
            "s = Store.open(sys.argv[1]); s.daemon_started('L.md', None)")
    subprocess.run([sys.executable, "-c", code, database_url], timeout=60, check=True)
    with Store.open(database_url) as store:
        assert store.live_daemons() == []
        store.daemon_started("L.md", None)
        assert [d.pid for d in store.live_daemons()] == [os.getpid()]


# ---- the report after a failed run ----------------------------------------

NOW = utcnow()
GOOD = RunRow(id=4, trigger="daemon", list_path="README.md", started_at=NOW - timedelta(hours=1),
              finished_at=NOW - timedelta(hours=1), status="ok", requests=3, papers=9, new=1, open=1,
              resolved=0, error=None)
FAILED = RunRow(id=5, trigger="daemon", list_path="README.md", started_at=NOW, finished_at=NOW,
                status="failed", requests=3, papers=0, new=0, open=0, resolved=0,
                error="arXiv unreachable after 3 tries")


def test_failed_run_report_marks_the_last_good_findings():
    report = Report(list_path="README.md", generated_at=NOW, findings=(finding("t", Kind.TITLE),),
                    run=FAILED, last_good=GOOD)
    md = render_markdown(report)
    assert "failed: arXiv unreachable after 3 tries" in md
    assert "These findings are from the last good check" in md and "not from the failed run" in md
    doc = json.loads(render_json(report))
    assert doc["run_failed"] is True and doc["findings_from"]["id"] == 4


def test_failed_run_without_findings_does_not_claim_the_list_agrees():
    for last_good, words in ((GOOD, "No findings were open after the last good check"),
                             (None, "No check of this list has completed yet")):
        md = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=(), run=FAILED,
                                    last_good=last_good))
        assert "agrees with arXiv" not in md and words in md


def test_daemon_report_after_a_failed_run_points_at_the_last_good_one(tmp_path):
    from diffsync.config import Settings
    from diffsync.daemon.service import ScheduledCheck
    from diffsync.errors import ApiError

    store = FakeStore(NOW)
    good = store.start_run("daemon", str(tmp_path / "README.md"))
    store.finish_run(good, status="ok", counts=RunCounts(requests=1, papers=3, new=1, open=1), error=None)
    store.open_findings.append(finding("t", Kind.TITLE))

    def failing(*_args, **_kwargs):
        raise ApiError("arXiv unreachable after 3 tries")

    job = ScheduledCheck(Settings(config_dir=str(tmp_path)), tmp_path / "README.md", check=failing,
                         open_store=store.opener(), clock=lambda: NOW)
    assert job().status == "failed"
    text = (tmp_path / "diffsync-report.md").read_text()
    assert "[!WARNING]" in text and "arXiv unreachable after 3 tries" in text
    assert "These findings are from the last good check" in text
