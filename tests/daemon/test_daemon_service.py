"""Issue 25, item 7: the daemon as a well-behaved service.

SIGHUP ends it cleanly (its run recorded as interrupted); a second daemon on the
same database and list refuses with one line naming the first; each daemon ends only
its own runs; an interval schedule keeps running when the wall clock steps back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest

from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.server import Fault
from diffsync.store.store import Store
from diffsync.fake_arxiv.example import EXAMPLE_DIR as FIXTURES, example_papers

from helpers.daemon import daemon_env, read, start_daemon, wait_for

PAPERS = example_papers()


base_env = daemon_env

pytestmark = pytest.mark.e2e


def test_sighup_ends_the_daemon_cleanly_and_records_its_run(tmp_path, database_url, db_rows):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    log = tmp_path / "daemon.log"
    with FakeArxiv(PAPERS, faults=[Fault("slow", every=1, seconds=20)]) as fake:
        proc = start_daemon([str(lst), "--interval", "1", "--stop-grace", "1"],
                            base_env(fake, tmp_path, database_url), tmp_path, log)
        try:
            wait_for(lambda: "run started" in read(log), "a run to start", proc)
            time.sleep(0.5)
            proc.send_signal(signal.SIGHUP)
            code = proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert code == 0, read(log)
    assert "SIGHUP received: stopping" in read(log) and "daemon stopped" in read(log)
    assert db_rows("select status from runs") == [("interrupted",)]


def test_a_second_daemon_on_the_same_database_and_list_refuses_naming_the_first(tmp_path, database_url):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    with FakeArxiv(PAPERS) as fake:
        env = base_env(fake, tmp_path, database_url)
        first = start_daemon([str(lst), "--interval", "3600"], env, tmp_path, tmp_path / "first.log")
        try:
            wait_for(lambda: "daemon started" in read(tmp_path / "first.log"), "the first daemon", first)
            second = subprocess.run([sys.executable, "-m", "diffsync", "daemon", str(lst), "--interval", "3600"],
                                    capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
        finally:
            first.send_signal(signal.SIGTERM)
            first.wait(timeout=15)
    assert second.returncode == 3, second.stderr
    errors = [l for l in second.stderr.splitlines() if "error" in l.lower()]
    assert len(errors) == 1 and f"pid {first.pid} on " in errors[0] and "already checks" in errors[0]
    assert "Traceback" not in second.stderr


def test_a_daemon_ends_only_its_own_runs(tmp_path, database_url):
    from diffsync.config import DatabaseSettings, Settings
    from diffsync.daemon.service import ScheduledCheck

    lst = tmp_path / "list.md"
    lst.write_text("x")
    settings = Settings(database=DatabaseSettings(url=database_url), config_dir=str(tmp_path))
    with Store.open(database_url) as store:
        ours = store.start_run("daemon", str(lst))
        other = store.start_run("daemon", str(lst))  # the newest: what "the open run" used to mean
        # Another daemon's run, in another live process (as pid and host say).
        store._write(lambda c: c.exec_driver_sql(f"UPDATE runs SET pid = 1 WHERE id = {other}"))
    ScheduledCheck(settings, lst).abandon("stopped by signal before the run finished")
    with Store.open(database_url) as store:
        status = {r.id: r.status for r in store.runs(10)}
    assert status[ours] == "interrupted"
    assert status[other] == "running"  # pid 1 is alive: not ours to end


def test_the_interval_keeps_running_when_the_wall_clock_steps_back():
    # The interval runs on the monotonic clock; the wall clock is not read at all.
    from diffsync.daemon.process import monotonic_interval

    runs: list[float] = []
    stop = threading.Event()

    def run() -> None:
        runs.append(time.monotonic())
        if len(runs) >= 3:
            stop.set()

    deadline = time.monotonic() + 30
    monotonic_interval(0.1, run, lambda t: stop.wait(t) or time.monotonic() > deadline)
    assert len(runs) == 3 and runs[2] - runs[0] >= 0.2


def test_the_daemon_runs_its_interval_after_the_wall_clock_stepped_back(tmp_path, monkeypatch):
    """The real Daemon loop with every wall-clock source it could use stepped back an hour
    after the first run: the second run still comes one interval later."""
    import apscheduler.schedulers.base as aps_base
    import apscheduler.triggers.interval as aps_interval

    from diffsync.config import DatabaseSettings, ScheduleSettings, Settings
    from diffsync.daemon import service
    from diffsync.daemon.service import Daemon, ScheduledCheck
    from helpers.daemon import FakeStore

    stepped = threading.Event()

    class SteppedBack(datetime):
        @classmethod
        def now(cls, tz=None):
            real = datetime.now(tz)
            return real - timedelta(hours=1) if stepped.is_set() else real

    monkeypatch.setattr(aps_base, "datetime", SteppedBack)
    monkeypatch.setattr(aps_interval, "datetime", SteppedBack)
    store = FakeStore()
    calls: list[float] = []

    def check(settings, list_path, *, trigger, should_stop):
        calls.append(time.monotonic())
        stepped.set()  # the clock steps back during the first run
        if len(calls) >= 3:
            daemon.stop()  # seen enough; the timer below only bounds a stalled loop
        raise service.DiffsyncError("arXiv unreachable")

    settings = Settings(schedule=ScheduleSettings(interval_seconds=0.3),
                        database=DatabaseSettings(url="sqlite://"), config_dir=str(tmp_path))
    job = ScheduledCheck(settings, tmp_path / "list.md", check=check, open_store=store.opener())
    daemon = Daemon(settings, tmp_path / "list.md", job=job, stop_grace=0.1)
    # Generous: a loaded machine delays each 0.3 s run; a stalled loop waits an hour.
    stopper = threading.Timer(20.0, daemon.stop)
    stopper.start()
    try:
        daemon.serve()
    finally:
        stopper.cancel()
    assert len(calls) >= 3, calls
