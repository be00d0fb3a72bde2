"""The run log and the live daemons: a section of ``Store``."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import liveness, tables
from .. import errors
from ..errors import shown_name
from .lists import list_key as _list_key
from ..utc import utcnow

RUNS = tables.Run.__table__
DAEMONS = tables.DaemonRow.__table__


@dataclass(frozen=True)
class RunCounts:
    """What a finished run did, as the run log keeps it."""

    requests: int = 0  # HTTP requests to arXiv
    papers: int = 0  # papers fetched
    new: int = 0  # findings first seen
    open: int = 0  # findings open after the run
    resolved: int = 0  # findings resolved by the run


@dataclass(frozen=True)
class RunRow:
    id: int
    trigger: str
    list_path: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    requests: int
    papers: int
    new: int
    open: int
    resolved: int
    error: str | None
    pid: int | None = None
    host: str | None = None
    heartbeat_at: datetime | None = None
    venues: str | None = None  # venue coverage of the run: "venue confirmed for N of M papers; ..."


@dataclass(frozen=True)
class DaemonInfo:
    """A live ``diffsync daemon``: who, since when, its last beat, its next run."""

    pid: int
    host: str
    list_path: str
    started_at: datetime
    heartbeat_at: datetime
    next_run_at: datetime | None
    schedule: str | None = None  # the schedule it runs on (flags included), as status shows it
    lists: tuple[str, ...] = ()  # every list it watches (resolved paths)


class RunLog:
    """Runs (started, beating, finished or abandoned) and daemons (``Store`` has these)."""

    _read: Callable[[Callable[[Connection], Any]], Any]  # Store's one-transaction helpers
    _write: Callable[[Callable[[Connection], Any]], Any]
    read_only: bool

    def start_run(self, trigger: str, list_path: str) -> int:
        """Record a new run by this process; runs whose process died are marked abandoned first.
        The run is of the list's identity (``list_key``), however its path was given."""
        self.abandon_dead_runs()
        now = utcnow()
        return self._write(lambda c: int(c.execute(
            sa.insert(RUNS).values(trigger=trigger, list_path=_list_key(list_path), started_at=now,
                                   status="running", requests=0, papers=0, new=0, open=0,
                                   resolved=0, pid=os.getpid(), host=liveness.this_host(),
                                   heartbeat_at=now).returning(RUNS.c.id)).scalar_one()))

    def beat_run(self, run_id: int) -> None:
        """The run's process is alive: note the time."""
        self._write(lambda c: c.execute(sa.update(RUNS).where(RUNS.c.id == run_id)
                                        .values(heartbeat_at=utcnow())))

    def heartbeat(self, run_id: int) -> liveness.Heartbeat:
        """Beat for ``run_id`` in the background while a ``with`` block runs."""
        return liveness.Heartbeat(lambda: self.beat_run(run_id))

    def finish_run(self, run_id: int, *, status: str, counts: RunCounts = RunCounts(),
                   error: str | None = None, venues: str | None = None) -> None:
        values = dict(status=status, **asdict(counts), error=error, finished_at=utcnow(), venues=venues or None)
        self._write(lambda c: c.execute(sa.update(RUNS).where(RUNS.c.id == run_id).values(**values)))

    def _dead_runs(self, conn: Connection) -> list[tuple[Any, str]]:
        now = utcnow()
        rows = conn.execute(sa.select(RUNS).where(RUNS.c.status == "running",
                                                  RUNS.c.finished_at.is_(None))).all()
        found = []
        for r in rows:
            why = liveness.dead_reason(r.pid, r.host, r.heartbeat_at, r.started_at, now)
            if why:
                found.append((r, why))
        return found

    def abandon_dead_runs(self) -> int:
        """Mark "running" runs whose process is dead as ``abandoned``; how many there were."""
        def work(conn: Connection) -> int:
            dead = self._dead_runs(conn)
            for r, why in dead:
                conn.execute(sa.update(RUNS).where(RUNS.c.id == r.id).values(
                    status="abandoned", finished_at=r.heartbeat_at or r.started_at,
                    error=f"abandoned: {why} before the run finished"))
            return len(dead)

        if self.read_only or not self._read(self._dead_runs):
            return 0  # the usual case needs no write transaction
        return self._write(work)

    def runs(self, limit: int = 20) -> list[RunRow]:
        """The latest runs; a "running" one whose process is dead shows as ``abandoned``
        (also on a read-only database, where that cannot be saved)."""
        def work(conn: Connection) -> tuple[list[Any], dict[int, str]]:
            query = sa.select(RUNS).order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(limit)
            return conn.execute(query).all(), {r.id: why for r, why in self._dead_runs(conn)}

        rows, dead = self._read(work)
        return [_run_row(r, dead) for r in rows]

    def latest_run(self, list_path: str | None = None, status: str | None = None) -> RunRow | None:
        """The latest run (of ``list_path``, with ``status``), however far back it is."""
        def work(conn: Connection) -> tuple[Any, dict[int, str]]:
            query = sa.select(RUNS)
            if list_path is not None:  # as recorded now, or as an older version recorded it
                query = query.where(RUNS.c.list_path.in_({_list_key(list_path), list_path}))
            if status is not None:
                query = query.where(RUNS.c.status == status)
            row = conn.execute(query.order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(1)).first()
            return row, {r.id: why for r, why in self._dead_runs(conn)} if row is not None else {}

        row, dead = self._read(work)
        return None if row is None else _run_row(row, dead)

    def prune_runs(self, keep: int) -> int:
        """Delete all but the newest ``keep`` runs (0: none); how many were deleted.

        A run still "running" stays, and so does each list's latest "ok" run: a failed
        run's report shows that one's findings.  Papers, their history, findings and
        decisions are not runs: nothing of them is deleted.
        """
        if keep <= 0:
            return 0

        def work(conn: Connection) -> int:
            cutoff = conn.execute(sa.select(RUNS.c.id).order_by(RUNS.c.id.desc())
                                  .offset(keep - 1).limit(1)).scalar()
            if cutoff is None:
                return 0
            last_ok = (sa.select(sa.func.max(RUNS.c.id)).where(RUNS.c.status == "ok")
                       .group_by(RUNS.c.list_path))
            done = conn.execute(sa.delete(RUNS).where(RUNS.c.id < cutoff, RUNS.c.status != "running",
                                                      RUNS.c.id.not_in(last_ok)))
            return int(done.rowcount or 0)

        return self._write(work)

    # --------------------------------------------------------------- daemons

    def daemon_started(self, list_paths: str | Sequence[str], next_run: datetime | None,
                       schedule: str | None = None) -> int:
        """Register this process as the daemon of every list in ``list_paths``.

        Raises ``AlreadyRunningError`` naming the list and the other daemon when a live
        daemon already checks any of them with this database: checked and registered in
        one write transaction, so two daemons starting at once cannot both pass.  A list
        is known by its resolved path, however it was spelled.
        """
        now = utcnow()
        wanted = [_list_key(p) for p in ([list_paths] if isinstance(list_paths, str) else list_paths)]

        def work(c: Connection) -> int:
            for r in c.execute(sa.select(DAEMONS).where(DAEMONS.c.stopped_at.is_(None))).all():
                watched = set(r.lists or [_list_key(r.list_path)])
                both = [p for p in wanted if p in watched]
                if both and liveness.dead_reason(r.pid, r.host, r.heartbeat_at, r.started_at, now) is None:
                    raise errors.AlreadyRunningError(
                        f"a diffsync daemon already checks {shown_name(both[0])} with this database "
                        f"(pid {r.pid} on {r.host}, since {r.started_at:%Y-%m-%d %H:%M} UTC); "
                        "stop it first, leave that list out, or give another --database-url")
            return int(c.execute(
                sa.insert(DAEMONS).values(pid=os.getpid(), host=liveness.this_host(), list_path=wanted[0],
                                          lists=wanted, started_at=now, heartbeat_at=now,
                                          next_run_at=next_run, schedule=schedule)
                .returning(DAEMONS.c.id)).scalar_one())

        return self._write(work)

    def daemon_beat(self, daemon_id: int, next_run: datetime | None) -> None:
        self._write(lambda c: c.execute(sa.update(DAEMONS).where(DAEMONS.c.id == daemon_id)
                                        .values(heartbeat_at=utcnow(), next_run_at=next_run)))

    def daemon_stopped(self, daemon_id: int) -> None:
        self._write(lambda c: c.execute(sa.update(DAEMONS).where(DAEMONS.c.id == daemon_id)
                                        .values(stopped_at=utcnow())))

    def live_daemons(self) -> list[DaemonInfo]:
        """Daemons whose process is alive (beat recently, and exists if on this host)."""
        now = utcnow()
        rows = self._read(lambda c: c.execute(
            sa.select(DAEMONS).where(DAEMONS.c.stopped_at.is_(None))
            .order_by(DAEMONS.c.heartbeat_at.desc())).all())
        return [DaemonInfo(r.pid, r.host, r.list_path, r.started_at, r.heartbeat_at, r.next_run_at, r.schedule,
                           tuple(r.lists or [r.list_path]))
                for r in rows
                if liveness.dead_reason(r.pid, r.host, r.heartbeat_at, r.started_at, now) is None]


def _run_row(r: Any, dead: dict[int, str]) -> RunRow:
    """A stored run as ``RunRow``; a "running" one whose process is dead shows as abandoned."""
    return RunRow(r.id, r.trigger, r.list_path, r.started_at,
                  r.finished_at if r.id not in dead else (r.heartbeat_at or r.started_at),
                  "abandoned" if r.id in dead else r.status,
                  r.requests, r.papers, r.new, r.open, r.resolved,
                  f"abandoned: {dead[r.id]} before the run finished" if r.id in dead else r.error,
                  r.pid, r.host, r.heartbeat_at, r.venues)
