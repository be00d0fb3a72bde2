"""A daemon and two `diffsync check` processes share one PostgreSQL database
and never talk to arXiv at the same time.

Each process checks a list of its own papers, so each must really poll
arXiv (nothing the others fetched serves it).  The test holds the poll lock
while all three start, so all three are certainly waiting at once; the fake
arXiv records every request's start and end, and shows whether two were
ever in flight together or closer than the configured delay.
Runs when DIFFSYNC_TEST_POSTGRES_URL is set (as .ci/run does).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from diffsync.fake_arxiv import FakeArxiv
from diffsync.models import PaperRecord
from diffsync.store.store import RunRow, Store
from helpers.shared_lists import entry

pytestmark = pytest.mark.e2e

DELAY = 0.1  # seconds between requests, as configured for every process
PER_LIST = 12  # papers per list; with two IDs a request, six requests a run
PUBLISHED = datetime(2024, 2, 1, 9, 0, tzinfo=timezone.utc)


def papers_for(prefix: int) -> list[PaperRecord]:
    return [PaperRecord(f"2402.{prefix:02d}{n:03d}", 1, f"Poll Lock Paper {prefix}-{n}",
                        ("Ada Lovelace", f"Bea Author{n}"), PUBLISHED, PUBLISHED)
            for n in range(1, PER_LIST + 1)]


def write_list(path, papers: list[PaperRecord]):
    path.write_text("# Papers\n\n" + "".join(entry(p) for p in papers), encoding="utf-8")
    return path


def diffsync(*args: str, env: dict[str, str], cwd, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "diffsync", *args], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def finished_runs(url: str) -> list[RunRow]:
    with Store.open(url, upgrade=False) as store:
        return [r for r in store.runs(limit=1000) if r.finished_at is not None]


def overlaps(a: RunRow, b: RunRow) -> bool:
    return a.started_at < b.finished_at and b.started_at < a.finished_at  # type: ignore[operator]


def until(condition, what: str, procs: list[subprocess.Popen], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert all(p.poll() is None for p in procs), f"a process exited early waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_daemon_and_checks_on_one_postgres_database_never_poll_in_parallel(tmp_path, postgres_url):
    lists = {name: (write_list(tmp_path / f"{name}.md", papers_for(i)), papers_for(i))
             for i, name in enumerate(("daemon", "check1", "check2"), start=1)}
    everything = [p for _, papers in lists.values() for p in papers]
    with FakeArxiv(everything, delay_check=DELAY) as fake:
        env = dict(os.environ)
        env.pop("DIFFSYNC_CONFIG", None)
        env.update(DIFFSYNC_DATABASE_URL=postgres_url, DIFFSYNC_ARXIV_URL=fake.url,
                   DIFFSYNC_ARXIV_DELAY=str(DELAY), DIFFSYNC_ARXIV_BATCH_SIZE="2",
                   DIFFSYNC_ARXIV_BACKOFF="0.05", DIFFSYNC_ARXIV_MAX_RETRIES="2",
                   DIFFSYNC_CHECK_SEARCH="false", DIFFSYNC_REPORT_PATH=str(tmp_path / "r.md"),
                   # Every daemon run polls (the daemon's "auto" max_age would skip fresh papers),
                   # and no venue source is asked: this test is about arXiv's poll lock.
                   DIFFSYNC_CHECK_MAX_AGE="0", DIFFSYNC_VENUES_ENABLED="false")
        procs: list[subprocess.Popen] = []  # daemon first, then the checks
        try:
            with Store.open(postgres_url) as store, store.poll_lock():
                # While this test holds the lock, start all three and let them queue behind it.
                with open(tmp_path / "daemon.log", "w") as log:
                    procs.append(diffsync("daemon", str(lists["daemon"][0]), "--interval", "1",
                                          env=env, cwd=tmp_path, stderr=log))
                procs += [diffsync("check", str(lists[n][0]), env=env, cwd=tmp_path)
                          for n in ("check1", "check2")]
                until(lambda: sum(r.status == "running" for r in store.runs(limit=10)) == 3,
                      "three runs waiting for the poll lock", procs)
                time.sleep(0.5)  # time enough to poll, had the lock let them
                assert fake.log == []  # nobody asked arXiv while another process held the lock
            daemon, *checks = procs
            for c in checks:
                code, err = c.wait(timeout=120), c.stderr.read()
                assert code == 0, err  # every paper checked, nothing drifted
                assert "Traceback" not in err
            until(lambda: sum(r.trigger == "daemon" and r.status == "ok"
                              for r in finished_runs(postgres_url)) >= 2,
                  "a second daemon run", [daemon])
        finally:
            for p in procs[1:]:
                if p.poll() is None:
                    p.kill()
            if procs:
                procs[0].send_signal(signal.SIGTERM)
                daemon_code = procs[0].wait(timeout=30)
        assert daemon_code == 0
        log = fake.log
        assert fake.violations() == []
        assert fake.overlaps == 0

    runs = finished_runs(postgres_url)
    check_runs = [r for r in runs if r.trigger == "check"]
    daemon_runs = [r for r in runs if r.trigger == "daemon" and r.status == "ok"]
    per_run = PER_LIST // 2
    # Every process really polled arXiv, each while the others were running.
    assert [(r.status, r.requests) for r in check_runs] == [("ok", per_run)] * 2
    assert all(r.requests == per_run for r in daemon_runs)
    assert any(overlaps(c, d) for c in check_runs for d in daemon_runs)
    assert overlaps(*check_runs)
    assert len(log) >= sum(r.requests for r in check_runs + daemon_runs)
    assert "Traceback" not in (tmp_path / "daemon.log").read_text(encoding="utf-8")
