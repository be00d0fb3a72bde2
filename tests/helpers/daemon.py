"""An in-memory stand-in for storage.Store, for the daemon/status/report tests."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Iterator

from diffsync.store import liveness
from diffsync.models import Finding, Kind, Status
from diffsync.store.store import Cooldown, RunCounts, RunRow
from diffsync.utc import as_utc


class FakeStore:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 1, 2, 6, 0, tzinfo=timezone.utc)
        self.rows: list[RunRow] = []
        self.open_findings: list[Finding] = []
        self.cooldown_at: datetime | None = None
        self.cooldown_source: str | None = None
        self.papers = 0
        self.opened = 0
        self.daemons: list = []  # DaemonInfo of live daemons

    @contextmanager
    def session(self) -> Iterator["FakeStore"]:
        self.opened += 1
        yield self

    def opener(self):
        return self.session

    def runs(self, limit: int) -> list[RunRow]:
        return sorted(self.rows, key=lambda r: -r.id)[:limit]

    def latest_run(self, list_path: str | None = None, status: str | None = None) -> RunRow | None:
        return next((r for r in self.runs(len(self.rows)) if (list_path is None or r.list_path == list_path)
                     and (status is None or r.status == status)), None)

    def prune_runs(self, keep: int) -> int:
        return 0

    def start_run(self, trigger: str, list_path: str) -> int:
        row = RunRow(len(self.rows) + 1, trigger, list_path, self.now, None, "running",
                     0, 0, 0, 0, 0, None, os.getpid(), liveness.this_host())  # as the real store
        self.rows.append(row)
        return row.id

    def finish_run(self, run_id: int, *, status: str, counts: RunCounts = RunCounts(),
                   error: str | None = None) -> None:
        i = next(i for i, r in enumerate(self.rows) if r.id == run_id)
        self.rows[i] = replace(self.rows[i], finished_at=self.now, status=status, error=error,
                               **asdict(counts))

    def cooldown(self, max_seconds: float, now: datetime | None = None) -> Cooldown | None:
        until = self.cooldown_at
        if until is None or as_utc(until) <= (now or self.now):
            return None
        return Cooldown(as_utc(until), self.cooldown_source)

    def list_id(self, path: str) -> int:
        return 1

    def findings(self, list_id: int, status: list[Status]) -> list[Finding]:
        return [f for f in self.open_findings if f.status in status]

    def open_by_kind(self, list_id: int | None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.open_findings:
            counts[f.kind.value] = counts.get(f.kind.value, 0) + 1
        return counts

    def count_papers(self) -> int:
        return self.papers

    def live_daemons(self) -> list:
        return list(self.daemons)

    def abandon_dead_runs(self) -> int:
        return 0


def finding(fid: str, kind: Kind = Kind.TITLE, line: int = 10, **kw) -> Finding:
    base = Finding(id=fid, kind=kind, line=line, entry_key="2206.00364",
                   arxiv_id="2206.00364", listed="Old title", arxiv="New title",
                   message="title differs")
    return replace(base, **kw)


# -- a real ``diffsync daemon`` process ---------------------------------------------

def read(path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def wait_for(condition, what: str, proc, timeout: float = 60.0):
    """``condition()``'s first truthy value; fails if the daemon exits or time runs out first."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert proc.poll() is None, f"daemon exited early waiting for {what}"
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_daemon(args, env, cwd, log):
    """``diffsync daemon ARGS`` as a process, its stderr to ``log``."""
    import subprocess
    import sys

    with open(log, "w") as err:
        return subprocess.Popen([sys.executable, "-m", "diffsync", "daemon", *args],
                                stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)


def daemon_env(fake, tmp_path, database_url: str) -> dict[str, str]:
    """The environment of a daemon process: ``fake`` as arXiv (quick pacing, one retry),
    ``database_url``, and the review report in ``tmp_path``."""
    import os

    env = dict(os.environ)
    env.pop("DIFFSYNC_CONFIG", None)
    env.update(DIFFSYNC_ARXIV_URL=fake.url, DIFFSYNC_ARXIV_DELAY="0.2", DIFFSYNC_ARXIV_BACKOFF="0.05",
               DIFFSYNC_ARXIV_MAX_RETRIES="1", DIFFSYNC_ARXIV_TIMEOUT="30",
               DIFFSYNC_DATABASE_URL=database_url, DIFFSYNC_REPORT_PATH=str(tmp_path / "report.md"))
    return env
