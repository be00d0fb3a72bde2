"""Storage: canonical arXiv metadata, lists, findings and runs in one SQL database.

``Store.open(url)`` gives the one object the pipeline, review, export and
the daemon share.  Every public method is one short transaction and
returns plain data (``models.*`` or the dataclasses below), never live ORM
objects.  SQLite and PostgreSQL are both served: upserts go through the
dialect's own ``INSERT ... ON CONFLICT``, chosen by ``engine.dialect.name``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, ContextManager, Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import engine as dbengine, papers as papersync, tables
from .. import dburl, errors
from . import liveness
from .lock import DatabasePacer, PollLock
from .engine import batched, insert_if_missing, upsert
from .findings import FINDING_COLUMNS, FINDINGS, SyncSummary, decide, finding_from_row, rekey, resolve_ids, sync_rows
from .papers import HISTORY, MISSING, PAPERS, PaperChange
from ..models import Finding, ParsedList, PaperRecord, Status
from ..utc import utcnow

__all__ = [
    "Cooldown", "DaemonInfo", "ListState", "PaperChange", "RunRow", "SearchCacheRow", "Store",
    "SyncSummary",
]

SEARCHES = tables.SearchCache.__table__
LISTS = tables.CuratedList.__table__
ENTRIES = tables.ListEntry.__table__
RUNS = tables.Run.__table__
DAEMONS = tables.DaemonRow.__table__
API_STATE = tables.ApiState.__table__

API_NAME = "arxiv"
_LAST_STAMP = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()


def _as_datetime(stamp: float) -> datetime:
    """Epoch seconds as aware UTC, clamped to what datetime can hold (a stored 1e20 is year 9999)."""
    if stamp != stamp:  # nan
        stamp = _LAST_STAMP
    return datetime.fromtimestamp(min(max(stamp, 0.0), _LAST_STAMP), timezone.utc)


@dataclass(frozen=True)
class Cooldown:
    """arXiv's pause on every request: until when, and why."""

    until: datetime
    source: str | None  # e.g. "3 consecutive HTTP 429 from URL at TIME"; None if not recorded
    capped: bool = False  # the stored end was beyond [arxiv] max_cooldown; ``until`` is the cap


@dataclass(frozen=True)
class SearchCacheRow:
    fingerprint: str
    query_title: str
    match_id: str | None
    score: float | None
    searched_at: datetime


@dataclass(frozen=True)
class ListState:
    path: str
    sha256: str | None
    checked_at: datetime | None  # when its entries were last saved


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


@dataclass(frozen=True)
class DaemonInfo:
    """A live ``diffsync daemon``: who, since when, its last beat, its next run."""

    pid: int
    host: str
    list_path: str
    started_at: datetime
    heartbeat_at: datetime
    next_run_at: datetime | None


def _file_identity(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st is not None else None


def _values(items: Iterable[Any]) -> list[str]:
    """Enum members or their string values, as stored."""
    return [str(getattr(item, "value", item)) for item in items]


class Store:
    """The diffsync database.  Open with ``Store.open(url)``; use as a context manager."""

    def __init__(self, engine: Engine, sqlite_file: Path | None, where: str) -> None:
        self._engine = engine
        self._where = where
        self._sqlite_file = sqlite_file
        self._lock = PollLock(engine, sqlite_file)
        self._sqlite_file = sqlite_file
        self._identity = _file_identity(sqlite_file)

    def ensure_still_there(self) -> None:
        """Raise ``DatabaseError`` if the SQLite file was deleted or replaced since it was opened.

        SQLite keeps writing to a deleted file's open inode, so a run would
        otherwise report a full summary of results that nothing kept.
        """
        if self._sqlite_file is None or self._identity is None:
            return
        if _file_identity(self._sqlite_file) != self._identity:
            raise errors.DatabaseError(
                f"database {self._where} was deleted or replaced during the run; "
                "nothing of this run was kept")

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database file (resolved), None on a server database."""
        return self._sqlite_file

    # ------------------------------------------------------------------ open

    @classmethod
    def open(cls, url: str, *, busy_timeout: float = 30.0, upgrade: bool = True) -> Store:
        """Open (creating or upgrading as needed) the database at SQLAlchemy ``url``.

        Raises ``DatabaseError`` for a corrupt or foreign file (left untouched),
        a schema newer than this code, an unreachable server, or, with
        ``upgrade=False``, a database that needs ``diffsync db upgrade``.
        """
        engine = dbengine.create_engine(url, busy_timeout)
        sqlite_file = (dburl.sqlite_path(engine.url) if engine.dialect.name == "sqlite"
                       else None)
        where = dburl.location(url)
        try:
            dbengine.ensure_reachable(engine, where)
            found = dbengine.revision(engine, where)
            if not found.up_to_date:
                if not upgrade:
                    has = f"is at schema {found.current}" if found.current else "has no schema yet"
                    raise errors.DatabaseError(
                        f"database {where} {has}, this diffsync needs {found.head}: "
                        "run `diffsync db upgrade`")
                dbengine.upgrade(engine, where)
            dbengine.use_wal(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, sqlite_file.resolve() if sqlite_file else None, where)

    @staticmethod
    def describe(url: str) -> str:
        """How to name the database at ``url`` to a user: its file, or the URL without password."""
        return dburl.location(url)

    @staticmethod
    def file_of(url: str) -> Path | None:
        """The SQLite file at ``url`` (None for a server or in-memory database), unopened."""
        parsed = dburl.parse_url(url)
        return dburl.sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None

    @staticmethod
    def exists(url: str) -> bool:
        """False only for a SQLite file that is not there yet (a server database may exist)."""
        parsed = dburl.parse_url(url)
        if parsed.get_backend_name() != "sqlite":
            return True
        path = dburl.sqlite_path(parsed)
        return path is None or path.exists()

    @staticmethod
    def inspect(url: str, *, busy_timeout: float = 30.0) -> dbengine.Revision:
        """The schema revision of the database at ``url`` and the newest known; changes nothing.

        A SQLite file that does not exist yet is not created.
        """
        parsed = dburl.parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = dburl.sqlite_path(parsed)
            if path is not None and not path.exists():
                return dbengine.Revision(None, dbengine.head_revision())
        engine = dbengine.create_engine(url, busy_timeout)
        try:
            where = dburl.location(url)
            dbengine.ensure_reachable(engine, where)
            return dbengine.revision(engine, where)
        finally:
            engine.dispose()

    def revision(self) -> dbengine.Revision:
        return dbengine.revision(self._engine, self._where)

    @property
    def location(self) -> str:
        """The database file, or the URL with its password hidden."""
        return self._where

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _write(self, work: Any) -> Any:
        return dbengine.run_write(self._engine, work)

    def _read(self, work: Any) -> Any:
        return dbengine.run_read(self._engine, work)

    # ---------------------------------------------------- arXiv lock + pacing

    def poll_lock(self, timeout: float | None = None) -> ContextManager[bool]:
        """Hold the right to talk to arXiv; yields True if another holder was waited for."""
        return self._lock.hold(timeout)

    def pacer(self) -> DatabasePacer:
        """A ``pacing.Pacer``: this store's poll lock, with clock and cooldown in the database."""
        return DatabasePacer(self._lock, self._api_state, self._set_api_state)

    def _api_state(self) -> tuple[float | None, float | None]:
        row = self._read(lambda c: c.execute(
            sa.select(API_STATE).where(API_STATE.c.name == API_NAME)).first())
        return (row.last_request_at, row.cooldown_until) if row else (None, None)

    def _set_api_state(self, **values: float | str | None) -> None:
        def work(conn: Connection) -> None:
            conn.execute(insert_if_missing(conn, API_STATE, ["name"]), [{"name": API_NAME}])
            row = conn.execute(sa.select(API_STATE).where(API_STATE.c.name == API_NAME)
                               .with_for_update()).one()
            last = values.get("last_request_at")
            if last is not None and row.last_request_at is not None:
                values["last_request_at"] = max(last, row.last_request_at)  # clock never goes back
            conn.execute(sa.update(API_STATE).where(API_STATE.c.name == API_NAME).values(**values))

        self._write(work)

    def cooldown_until(self) -> datetime | None:
        """The stored cooldown end as is (see ``cooldown`` for the capped, active one)."""
        until = self._api_state()[1]
        if until is None:
            return None
        return _as_datetime(until)

    def _cooldown_row(self) -> Any:
        return self._read(lambda c: c.execute(
            sa.select(API_STATE).where(API_STATE.c.name == API_NAME)).first())

    def cooldown(self, max_seconds: float, now: datetime | None = None) -> Cooldown | None:
        """The active cooldown, lasting at most ``max_seconds`` from when it was set; None if none.

        Reads only: a cooldown stored without its start (by an older diffsync) counts
        from the last request, which was the one answered with the 429.
        """
        row = self._cooldown_row()
        if row is None or row.cooldown_until is None:
            return None
        moment = (now or utcnow()).timestamp()
        since = row.cooldown_set_at if row.cooldown_set_at is not None else row.last_request_at
        cap = (since if since is not None else moment) + max_seconds
        until = row.cooldown_until if row.cooldown_until == row.cooldown_until else cap
        if min(until, cap) <= moment:
            return None
        return Cooldown(_as_datetime(min(until, cap)), row.cooldown_source, capped=until > cap)

    def clear_cooldown(self) -> Cooldown | None:
        """Lift the cooldown; returns what was stored (None if there was none)."""
        row = self._cooldown_row()
        if row is None or row.cooldown_until is None:
            return None
        self._set_api_state(cooldown_until=None, cooldown_source=None, cooldown_set_at=None)
        return Cooldown(_as_datetime(row.cooldown_until), row.cooldown_source)

    # ---------------------------------------------------------------- papers

    def save_records(self, records: Iterable[PaperRecord], fetched_at: datetime) -> list[PaperChange]:
        """Upsert one fetched batch in one transaction; return what arXiv changed."""
        batch = list(records)
        if not batch:
            return []
        return self._write(lambda conn: papersync.save_records(conn, batch, fetched_at))

    def load_records(self, ids: Iterable[str] | None = None) -> dict[str, PaperRecord]:
        wanted = None if ids is None else list(dict.fromkeys(ids))
        return self._read(lambda conn: papersync.select_records(conn, wanted))

    def mark_not_found(self, ids: Iterable[str], at: datetime) -> None:
        """Record IDs arXiv confirmed it does not know (their stored metadata is kept)."""
        missing = sorted(set(ids))
        if missing:
            self._write(lambda conn: papersync.mark_not_found(conn, missing, at))

    def not_found_ids(self) -> set[str]:
        return set(self._read(lambda c: c.execute(sa.select(MISSING.c.arxiv_id)).scalars().all()))

    def fetched_since(self, cutoff: datetime) -> set[str]:
        """IDs fetched (or confirmed missing) at or after ``cutoff``."""
        def work(conn: Connection) -> set[str]:
            found = conn.execute(sa.select(PAPERS.c.arxiv_id).where(PAPERS.c.fetched_at >= cutoff))
            missing = conn.execute(
                sa.select(MISSING.c.arxiv_id).where(MISSING.c.checked_at >= cutoff))
            return set(found.scalars()) | set(missing.scalars())

        return self._read(work)

    def history(self, arxiv_id: str) -> list[PaperChange]:
        query = (sa.select(HISTORY).where(HISTORY.c.arxiv_id == arxiv_id)
                 .order_by(HISTORY.c.changed_at, HISTORY.c.id))
        rows = self._read(lambda c: c.execute(query).all())
        return [PaperChange(r.arxiv_id, r.field, r.old, r.new, r.version, r.changed_at)
                for r in rows]

    def count_papers(self) -> int:
        return self._read(lambda c: c.execute(sa.select(sa.func.count()).select_from(PAPERS))
                          .scalar_one())

    # ------------------------------------------------------ title searches

    def load_searches(self) -> dict[str, SearchCacheRow]:
        """Cached title searches by entry fingerprint (shared by every list)."""
        rows = self._read(lambda c: c.execute(sa.select(SEARCHES)).all())
        return {r.fingerprint: SearchCacheRow(r.fingerprint, r.query_title, r.match_id,
                                              r.score, r.searched_at) for r in rows}

    def save_search(self, fingerprint: str, query_title: str, match_id: str | None,
                    score: float | None, searched_at: datetime) -> None:
        row = {"fingerprint": fingerprint, "query_title": query_title, "match_id": match_id,
               "score": score, "searched_at": searched_at}
        self._write(lambda conn: conn.execute(upsert(conn, SEARCHES, ["fingerprint"]), [row]))

    def save_searches(self, matched: Iterable[PaperRecord],
                      answers: Sequence[tuple[str, str, str | None, float | None]],
                      searched_at: datetime) -> None:
        """A batch of title-search answers ``(fingerprint, query_title, match_id, score)`` and the
        papers they matched, in one transaction (a batch answers up to 50 entries)."""
        batch = list({r.arxiv_id: r for r in matched}.values())  # two entries, one paper: one upsert row
        rows = [{"fingerprint": f, "query_title": t, "match_id": m, "score": sc, "searched_at": searched_at}
                for f, t, m, sc in answers]

        def work(conn: Connection) -> None:
            if batch:
                papersync.save_records(conn, batch, searched_at)
            if rows:
                conn.execute(upsert(conn, SEARCHES, ["fingerprint"]), rows)

        if batch or rows:
            self._write(work)

    # ----------------------------------------------------- lists and entries

    def list_id(self, path: str) -> int:
        """The id of the list at ``path`` (resolved to an absolute path), created if new."""
        resolved = str(Path(path).expanduser().resolve())

        def work(conn: Connection) -> int:
            conn.execute(insert_if_missing(conn, LISTS, ["path"]), [{"path": resolved}])
            return int(conn.execute(sa.select(LISTS.c.id).where(LISTS.c.path == resolved))
                       .scalar_one())

        return self._write(work)

    def save_entries(self, list_id: int, parsed: ParsedList) -> None:
        """Replace the list's entries with ``parsed``, and note its hash and time.

        A list whose bytes (sha256) and entry count are what was stored last
        time keeps its rows: rewriting thousands of identical rows on every
        check would be most of an unchanged list's database time.
        """
        def rows() -> Iterator[dict[str, Any]]:
            for n, e in enumerate(parsed.entries):
                yield {
                    "list_id": list_id, "position": n, "line": e.line, "entry_key": e.key,
                    "section": e.section, "title": e.title, "authors": list(e.authors),
                    "venue": e.venue, "arxiv_id": e.arxiv_id, "arxiv_version": e.arxiv_version,
                    "listed_date": e.date, "problems": list(e.problems),
                }

        def work(conn: Connection) -> None:
            stored = conn.execute(sa.select(LISTS.c.sha256).where(LISTS.c.id == list_id)).first()
            if stored is None:
                raise errors.UsageError(f"no list with id {list_id} in the database")
            count = conn.execute(sa.select(sa.func.count()).select_from(ENTRIES)
                                 .where(ENTRIES.c.list_id == list_id)).scalar_one()
            if stored.sha256 != parsed.sha256 or count != len(parsed.entries):
                conn.execute(sa.delete(ENTRIES).where(ENTRIES.c.list_id == list_id))
                for part in batched(rows()):  # bounded memory on huge lists
                    conn.execute(sa.insert(ENTRIES), part)
            conn.execute(sa.update(LISTS).where(LISTS.c.id == list_id)
                         .values(sha256=parsed.sha256, parsed_at=utcnow()))

        self._write(work)

    def list_state(self, list_id: int) -> ListState | None:
        row = self._read(lambda c: c.execute(sa.select(LISTS).where(LISTS.c.id == list_id)).first())
        return None if row is None else ListState(row.path, row.sha256, row.parsed_at)

    def find_list(self, path: str) -> int | None:
        """The id of the list at ``path`` (resolved to an absolute path), None if never checked."""
        resolved = str(Path(path).expanduser().resolve())
        return self._read(lambda c: c.execute(
            sa.select(LISTS.c.id).where(LISTS.c.path == resolved)).scalar())

    def checked_lists(self) -> list[tuple[int, ListState]]:
        """Every list checked at least once, the most recently checked first."""
        rows = self._read(lambda c: c.execute(
            sa.select(LISTS).where(LISTS.c.parsed_at.is_not(None))
            .order_by(LISTS.c.parsed_at.desc(), LISTS.c.id.desc())).all())
        return [(r.id, ListState(r.path, r.sha256, r.parsed_at)) for r in rows]

    def lists(self) -> dict[int, str]:
        """Every list in the database: id -> path."""
        rows = self._read(lambda c: c.execute(sa.select(LISTS.c.id, LISTS.c.path)
                                              .order_by(LISTS.c.id)).all())
        return {r.id: r.path for r in rows}

    @staticmethod
    def _require_list(conn: Connection, list_id: int) -> None:
        if conn.execute(sa.select(LISTS.c.id).where(LISTS.c.id == list_id)).first() is None:
            raise errors.UsageError(f"no list with id {list_id} in the database")

    # -------------------------------------------------------------- findings

    def sync_findings(self, list_id: int, findings: Sequence[Finding], *,
                      scope_keys: set[str] | None = None, now: datetime) -> SyncSummary:
        """Record this run's findings of a list; decisions persist (see findingsync)."""
        def work(conn: Connection) -> SyncSummary:
            self._require_list(conn, list_id)
            return sync_rows(conn, list_id, findings, scope_keys, now)

        return self._write(work)

    def findings(self, list_id: int | None = None, *, status: Sequence[str] | None = None,
                 kind: Sequence[str] | None = None) -> list[Finding]:
        query = sa.select(*FINDING_COLUMNS)
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        if status:
            query = query.where(FINDINGS.c.status.in_(_values(status)))
        if kind:
            query = query.where(FINDINGS.c.kind.in_(_values(kind)))
        query = query.order_by(FINDINGS.c.line, FINDINGS.c.kind, FINDINGS.c.finding_id)
        return [finding_from_row(r) for r in self._read(lambda c: c.execute(query).all())]

    def set_status(self, list_id: int | None, ids: Sequence[str], status: Status,
                   reason: str | None = None) -> list[str]:
        """Decide findings by id or unique id prefix; returns the full ids changed."""
        def work(conn: Connection) -> list[str]:
            return decide(conn, list_id, resolve_ids(conn, list_id, ids), status, reason)

        return self._write(work)

    def set_status_by_kind(self, list_id: int | None, kinds: Sequence[str], status: Status,
                           from_status: Status = Status.OPEN, reason: str | None = None) -> list[str]:
        """Decide every ``from_status`` finding of the given kinds; returns the ids changed."""
        def work(conn: Connection) -> list[str]:
            query = sa.select(FINDINGS.c.finding_id).where(FINDINGS.c.kind.in_(_values(kinds)))
            if list_id is not None:
                query = query.where(FINDINGS.c.list_id == list_id)
            ids = sorted(set(conn.execute(query).scalars()))
            return decide(conn, list_id, ids, status, reason, from_status)

        return self._write(work)

    def rekey_findings(self, list_id: int, moves: dict[str, tuple[str, str, int]]) -> None:
        """Move findings to the ids, keys and lines of their entries in a rewritten list."""
        if moves:
            self._write(lambda conn: rekey(conn, list_id, moves))

    def count_status(self, status: Status, list_id: int | None = None) -> int:
        """How many findings (of one list, or of all) have ``status``."""
        query = (sa.select(sa.func.count()).select_from(FINDINGS)
                 .where(FINDINGS.c.status == Status(status).value))
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        return int(self._read(lambda c: c.execute(query).scalar_one()))

    def open_by_kind(self, list_id: int | None = None) -> dict[str, int]:
        query = (sa.select(FINDINGS.c.kind, sa.func.count())
                 .where(FINDINGS.c.status == Status.OPEN.value)
                 .group_by(FINDINGS.c.kind).order_by(FINDINGS.c.kind))
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        return {kind: n for kind, n in self._read(lambda c: c.execute(query).all())}

    # ------------------------------------------------------------------ runs

    def start_run(self, trigger: str, list_path: str) -> int:
        """Record a new run by this process; runs whose process died are marked abandoned first."""
        self.abandon_dead_runs()
        now = utcnow()
        return self._write(lambda c: int(c.execute(
            sa.insert(RUNS).values(trigger=trigger, list_path=list_path, started_at=now,
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

    def finish_run(self, run_id: int, *, status: str, requests: int, papers: int, new: int,
                   open: int, resolved: int, error: str | None = None) -> None:
        values = dict(status=status, requests=requests, papers=papers, new=new, open=open,
                      resolved=resolved, error=error, finished_at=utcnow())
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

    @property
    def read_only(self) -> bool:
        """Whether the database can only be read (a read-only file or mount)."""
        return bool(self._engine.get_execution_options().get(dbengine.READ_ONLY_OPTION))

    def runs(self, limit: int = 20) -> list[RunRow]:
        """The latest runs; a "running" one whose process is dead shows as ``abandoned``
        (also on a read-only database, where that cannot be saved)."""
        def work(conn: Connection) -> tuple[list[Any], dict[int, str]]:
            query = sa.select(RUNS).order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(limit)
            return conn.execute(query).all(), {r.id: why for r, why in self._dead_runs(conn)}

        rows, dead = self._read(work)
        return [RunRow(r.id, r.trigger, r.list_path, r.started_at,
                       r.finished_at if r.id not in dead else (r.heartbeat_at or r.started_at),
                       "abandoned" if r.id in dead else r.status,
                       r.requests, r.papers, r.new, r.open, r.resolved,
                       f"abandoned: {dead[r.id]} before the run finished" if r.id in dead else r.error,
                       r.pid, r.host, r.heartbeat_at)
                for r in rows]

    # --------------------------------------------------------------- daemons

    def daemon_started(self, list_path: str, next_run: datetime | None) -> int:
        now = utcnow()
        return self._write(lambda c: int(c.execute(
            sa.insert(DAEMONS).values(pid=os.getpid(), host=liveness.this_host(), list_path=list_path,
                                      started_at=now, heartbeat_at=now, next_run_at=next_run)
            .returning(DAEMONS.c.id)).scalar_one()))

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
        return [DaemonInfo(r.pid, r.host, r.list_path, r.started_at, r.heartbeat_at, r.next_run_at)
                for r in rows
                if liveness.dead_reason(r.pid, r.host, r.heartbeat_at, r.started_at, now) is None]
