import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from typer.testing import CliRunner

from diffsync.cli import app
from diffsync.cli.daemon import _status_lines
from diffsync.config import ScheduleSettings, Settings
from diffsync.daemon.status import collect_status
from diffsync.models import Kind
from diffsync.store.store import DaemonInfo, RunCounts, Store
from helpers.daemon import FakeStore, finding

NOW = datetime(2026, 1, 2, 7, 0, tzinfo=timezone.utc)


def fake_state(interval=0.0, cooldown=None, daemon=None):
    store = FakeStore(NOW - timedelta(minutes=20))
    store.daemons = [daemon] if daemon else []
    a = store.start_run("daemon", "README.md")
    store.finish_run(a, status="failed", counts=RunCounts(requests=3), error="arXiv unreachable")
    store.now = NOW - timedelta(minutes=5)
    b = store.start_run("check", "README.md")
    store.finish_run(b, status="ok", counts=RunCounts(requests=1, papers=93, new=2, open=2))
    store.open_findings += [finding("t", Kind.TITLE), finding("w", Kind.WRONG_ID)]
    store.papers = 93
    store.cooldown_at = cooldown
    settings = Settings(schedule=replace(ScheduleSettings(), interval_seconds=interval))
    return collect_status(settings, open_store=store.opener(), now=NOW)


def test_status_collects_runs_counts_and_next_cron_slot():
    state = fake_state()
    assert [(r.id, r.status) for r in state.runs] == [(2, "ok"), (1, "failed")]
    assert state.papers == 93
    assert state.open_by_kind == {"title": 1, "wrong_id": 1}
    assert state.next_run == datetime(2026, 1, 3, 6, 0, tzinfo=timezone.utc)
    assert state.cooldown_until is None


def test_interval_next_run_counts_from_the_last_daemon_run_not_a_check():
    state = fake_state(interval=3600)
    assert state.next_run == NOW + timedelta(minutes=40)


def test_cooldown_shown_only_while_active():
    assert fake_state(cooldown=NOW + timedelta(hours=1)).cooldown_until == NOW + timedelta(hours=1)
    assert fake_state(cooldown=NOW - timedelta(hours=1)).cooldown_until is None


LIVE_DAEMON = DaemonInfo(pid=4242, host="box", list_path="README.md", started_at=NOW - timedelta(days=1),
                         heartbeat_at=NOW - timedelta(seconds=5), next_run_at=None)


def test_status_text_lists_everything_a_maintainer_asks():
    # a next run is shown only while a daemon is alive to make it (issue 12)
    text = "\n".join(_status_lines(fake_state(cooldown=NOW + timedelta(hours=1), daemon=LIVE_DAEMON)))
    assert "Daemon:         running (pid 4242 on box" in text
    assert "Next run:       2026-01-03 06:00:00 UTC" in text
    assert "Papers tracked: 93" in text
    assert "active until 2026-01-02 08:00:00 UTC" in text
    assert text.index("Wrong arXiv ID") < text.index("Title")
    lines = text.splitlines()
    runs_at = lines.index("Runs (most recent first):")
    assert "#2" in lines[runs_at + 1] and "ok" in lines[runs_at + 1]
    assert "failed" in lines[runs_at + 2] and "arXiv unreachable" in lines[runs_at + 2]


def test_status_json_against_a_real_database(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    monkeypatch.setenv("DIFFSYNC_SCHEDULE_INTERVAL_SECONDS", "60")
    monkeypatch.chdir(tmp_path)
    with Store.open(database_url) as store:
        run = store.start_run("daemon", "README.md")
        store.finish_run(run, status="ok", counts=RunCounts(requests=2, papers=5, new=1, open=1))
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schedule"] == "every 60 s"
    assert [(r["trigger"], r["status"], r["requests"]) for r in doc["runs"]] == [("daemon", "ok", 2)]
    assert doc["cooldown"] == {"active": False, "until": None, "source": None}
    assert doc["open"] == 0 and doc["papers"] == 0


def test_status_shows_the_schedule_the_live_daemon_runs_on(tmp_path, monkeypatch, database_url):
    """`daemon --interval 5` runs every 5 s whatever the config's cron says: status says so."""
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    monkeypatch.delenv("DIFFSYNC_SCHEDULE_INTERVAL_SECONDS", raising=False)
    monkeypatch.chdir(tmp_path)
    with Store.open(database_url) as store:
        daemon_id = store.daemon_started("README.md", NOW, "every 5 s")  # this process: alive
    doc = json.loads(CliRunner().invoke(app, ["status", "--json"]).output)
    assert doc["daemon"]["alive"] and doc["schedule"] == "every 5 s"
    with Store.open(database_url) as store:
        store.daemon_stopped(daemon_id)
    doc = json.loads(CliRunner().invoke(app, ["status", "--json"]).output)
    assert not doc["daemon"]["alive"] and doc["schedule"] == "cron '0 6 * * *' (UTC)"
