import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from diffsync.config import ScheduleSettings, Settings
from diffsync.daemon.service import Daemon, ScheduledCheck
from diffsync.daemon.schedule import build_trigger, describe_schedule, next_run_time
from diffsync.errors import ApiError, ConfigError, ListReadError
from diffsync.models import Kind
from diffsync.check.pipeline import CheckResult, CheckSummary
from diffsync.store.store import RunCounts
from helpers.daemon import FakeStore, finding

NOW = datetime(2026, 1, 2, 6, 0, tzinfo=timezone.utc)


def make_settings(tmp_path: Path, **schedule) -> Settings:
    return Settings(config_dir=str(tmp_path), schedule=replace(ScheduleSettings(), **schedule))


def ok_check(store: FakeStore, new_findings=(), open_count=None):
    """A stand-in for pipeline.run_check that records its run like the real one."""
    calls = []

    def check(settings, list_path, *, trigger, should_stop):
        calls.append(trigger)
        run_id = store.start_run(trigger, str(list_path))
        store.open_findings.extend(new_findings)
        n = len(store.open_findings) if open_count is None else open_count
        store.finish_run(run_id, status="ok",
                         counts=RunCounts(requests=1, papers=3, new=len(new_findings), open=n))
        return CheckResult(list_path=str(list_path), findings=tuple(store.open_findings),
                           summary=CheckSummary(papers=3, requests=1, open=n), run_id=run_id)

    check.calls = calls
    return check


# ---- when ---------------------------------------------------------------


def test_interval_takes_precedence_over_cron():
    s = ScheduleSettings(cron="0 6 * * *", interval_seconds=90)
    assert describe_schedule(s) == "every 90 s"
    t = build_trigger(s)
    first = t.get_next_fire_time(None, NOW)
    assert t.get_next_fire_time(first, first) - first == timedelta(seconds=90)


def test_cron_next_run_in_its_timezone():
    s = ScheduleSettings(cron="30 6 * * 1", timezone="Europe/Berlin")
    nxt = next_run_time(s, NOW)  # 2026-01-02 is a Friday
    assert nxt.astimezone(timezone.utc) == datetime(2026, 1, 5, 5, 30, tzinfo=timezone.utc)


def test_interval_next_run_follows_last_run_or_is_due_now():
    s = ScheduleSettings(interval_seconds=3600)
    assert next_run_time(s, NOW, NOW - timedelta(minutes=10)) == NOW + timedelta(minutes=50)
    assert next_run_time(s, NOW, NOW - timedelta(hours=3)) == NOW
    assert next_run_time(s, NOW, None) == NOW


@pytest.mark.parametrize("cron, fires_on", [
    ("0 6 * * 1", ["Mon"]),
    ("0 6 * * 0", ["Sun"]),
    ("0 6 * * 7", ["Sun"]),
    ("0 6 * * 1-5", ["Mon", "Tue", "Wed", "Thu", "Fri"]),
    ("0 6 * * */2", ["Sun", "Tue", "Thu", "Sat"]),
    ("0 6 * * 5,6", ["Fri", "Sat"]),
    ("0 6 * * sat", ["Sat"]),
])
def test_crontab_weekdays_mean_what_crontab_means(cron, fires_on):
    trigger = build_trigger(ScheduleSettings(cron=cron))
    days, t = set(), NOW
    for _ in range(14):
        t = trigger.get_next_fire_time(None, t + timedelta(seconds=1))
        days.add(t.strftime("%a"))
    assert days == set(fires_on)


def test_day_of_month_and_weekday_fire_on_either_like_cron():
    trigger = build_trigger(ScheduleSettings(cron="0 6 13 * 5"))  # the 13th, or any Friday
    t, fired = NOW, []
    for _ in range(3):
        t = trigger.get_next_fire_time(None, t + timedelta(seconds=1))
        fired.append(t.day)
    assert fired == [9, 13, 16]  # Fri 9 Jan, Tue 13 Jan, Fri 16 Jan


@pytest.mark.parametrize("schedule, message", [
    ({"cron": "0 6 * * 8"}, "out of range"),
    ({"cron": "0 6 * *"}, "schedule.cron"),
    ({"cron": "61 * * * *"}, "schedule.cron"),
    ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ({"interval_seconds": -1.0}, "interval_seconds"),
])
def test_bad_schedule_is_a_config_error(schedule, message):
    with pytest.raises(ConfigError, match=message):
        build_trigger(replace(ScheduleSettings(), **schedule))


@pytest.mark.parametrize("where, source", [
    ("environment", "environment variable DIFFSYNC_SCHEDULE_CRON"),
    ("file", "config.toml [schedule] cron"),
])
def test_a_bad_cron_names_where_it_was_set(tmp_path, monkeypatch, capsys, where, source):
    from helpers.cli import run_cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_SCHEDULE_CRON", raising=False)
    (tmp_path / "list.md").write_text("# L\n")
    if where == "environment":
        monkeypatch.setenv("DIFFSYNC_SCHEDULE_CRON", "61 * * * *")
    else:
        (tmp_path / "config.toml").write_text('[schedule]\ncron = "61 * * * *"\n')
    code, _, err = run_cli(capsys, monkeypatch, "daemon", "list.md", "--once")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "schedule.cron '61 * * * *'" in err and err.strip().endswith(f"{source})"), err


# ---- one run -------------------------------------------------------------


def test_run_with_findings_writes_report_marking_new_ones(tmp_path):
    store = FakeStore(NOW)
    store.open_findings.append(finding("old", Kind.AUTHORS, 5, listed="A", arxiv="B"))
    check = ok_check(store, new_findings=[finding("fresh", Kind.TITLE, 9)])
    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "README.md", check=check,
                         open_store=store.opener(), clock=lambda: NOW)
    outcome = job()
    assert (outcome.status, outcome.exit_code, outcome.run_id) == ("ok", 1, 1)
    assert check.calls == ["daemon"]
    text = (tmp_path / "diffsync-report.md").read_text()
    assert "## Title (1)" in text and "## Authors (1)" in text
    fresh_row = next(l for l in text.splitlines() if "#L9)" in l)
    old_row = next(l for l in text.splitlines() if "#L5)" in l)
    assert "**new**" in fresh_row and "**new**" not in old_row
    assert "last run **ok**" in text


def test_run_without_open_findings_exits_0_and_json_report(tmp_path):
    store = FakeStore(NOW)
    settings = replace(make_settings(tmp_path),
                       report=replace(Settings().report, path="out/r.json", format="json"))
    job = ScheduledCheck(settings, tmp_path / "README.md", check=ok_check(store),
                         open_store=store.opener(), clock=lambda: NOW)
    assert job().exit_code == 0
    assert '"open": 0' in (tmp_path / "out" / "r.json").read_text()


def test_failure_recorded_by_pipeline_is_not_recorded_twice(tmp_path):
    store = FakeStore(NOW)

    def failing(settings, list_path, *, trigger, should_stop):
        run_id = store.start_run(trigger, str(list_path))
        store.finish_run(run_id, status="failed", error="arXiv unreachable")
        raise ApiError("arXiv unreachable")

    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "L.md", check=failing,
                         open_store=store.opener(), clock=lambda: NOW)
    outcome = job()
    assert (outcome.status, outcome.exit_code, outcome.error) == ("failed", 3, "arXiv unreachable")
    assert [(r.status, r.error) for r in store.rows] == [("failed", "arXiv unreachable")]
    assert "> [!WARNING]" in (tmp_path / "diffsync-report.md").read_text()


def test_early_and_unexpected_failures_are_recorded(tmp_path):
    store = FakeStore(NOW)
    errors = iter([ListReadError("L.md: no such file"), ZeroDivisionError("division by zero")])

    def failing(settings, list_path, *, trigger, should_stop):
        raise next(errors)

    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "L.md", check=failing,
                         open_store=store.opener(), clock=lambda: NOW)
    job(), job()
    assert [(r.trigger, r.status, r.error) for r in store.rows] == [
        ("daemon", "failed", "L.md: no such file"),
        ("daemon", "failed", "internal error: ZeroDivisionError: division by zero"),
    ]
    assert all(r.finished_at is not None for r in store.rows)


def test_crashed_run_left_open_by_pipeline_is_closed_as_failed(tmp_path):
    store = FakeStore(NOW)

    def crashing(settings, list_path, *, trigger, should_stop):
        store.start_run(trigger, str(list_path))
        raise RuntimeError("boom")

    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "L.md", check=crashing,
                         open_store=store.opener(), clock=lambda: NOW)
    job()
    assert [(r.status, r.finished_at is not None) for r in store.rows] == [("failed", True)]


def test_active_cooldown_skips_the_run_without_asking_arxiv(tmp_path):
    store = FakeStore(NOW)
    store.cooldown_at = (NOW + timedelta(minutes=30)).replace(tzinfo=None)  # naive UTC
    check = ok_check(store)
    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "L.md", check=check,
                         open_store=store.opener(), clock=lambda: NOW)
    outcome = job()
    assert (outcome.status, outcome.exit_code) == ("skipped", 3)
    assert check.calls == []
    assert [r.status for r in store.rows] == ["skipped"]
    assert "cooldown" in store.rows[0].error
    # an expired cooldown does not skip
    store.cooldown_at = NOW - timedelta(seconds=1)
    assert job().status == "ok" and check.calls == ["daemon"]


def test_unusable_database_is_logged_not_raised(tmp_path):
    def broken():
        raise ConfigError("database unusable")

    job = ScheduledCheck(make_settings(tmp_path), tmp_path / "L.md", open_store=broken)
    assert job().status == "failed"
    assert not job.running


# ---- the scheduler -------------------------------------------------------


def test_serve_runs_on_schedule_one_at_a_time_and_stops(tmp_path):
    store = FakeStore(NOW)
    check = ok_check(store)
    active, overlaps = [0], []
    lock = threading.Lock()
    daemon = None

    def slow_check(*args, **kw):
        with lock:
            active[0] += 1
            overlaps.append(active[0])
        threading.Event().wait(0.03)  # longer than the interval: slots must not pile up
        result = check(*args, **kw)
        with lock:
            active[0] -= 1
        if len(check.calls) >= 3:
            daemon.stop()
        return result

    settings = make_settings(tmp_path, interval_seconds=0.01)
    job = ScheduledCheck(settings, tmp_path / "L.md", check=slow_check, open_store=store.opener())
    daemon = Daemon(settings, tmp_path / "L.md", job=job)
    assert daemon.serve() == 0
    assert len(check.calls) >= 3 and max(overlaps) == 1
    assert (tmp_path / "diffsync-report.md").exists()


def test_stop_abandons_a_stuck_run_after_the_grace_time(tmp_path):
    store = FakeStore(NOW)
    started, release = threading.Event(), threading.Event()
    stopped_seen = []

    def stuck(settings, list_path, *, trigger, should_stop):
        store.start_run(trigger, str(list_path))
        started.set()
        release.wait(5)
        stopped_seen.append(should_stop())
        raise RuntimeError("released")

    settings = make_settings(tmp_path, interval_seconds=60)
    daemon = Daemon(settings, tmp_path / "L.md", stop_grace=0.05)
    daemon.job = ScheduledCheck(settings, tmp_path / "L.md", check=stuck,
                                open_store=store.opener(),
                                should_stop=daemon.stop_requested.is_set)
    threading.Thread(target=lambda: (started.wait(5), daemon.stop())).start()
    assert daemon.serve() == 0
    assert [(r.status, r.error) for r in store.rows] == [
        ("interrupted", "stopped by signal before the run finished")]
    release.set()


def test_run_once_returns_the_checks_exit_code(tmp_path):
    store = FakeStore(NOW)
    settings = make_settings(tmp_path)
    job = ScheduledCheck(settings, tmp_path / "L.md", check=ok_check(store, [finding("x")]),
                         open_store=store.opener())
    assert Daemon(settings, tmp_path / "L.md", job=job).run_once() == 1
