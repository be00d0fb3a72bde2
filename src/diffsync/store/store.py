"""Storage: canonical arXiv metadata, lists, findings and runs in one SQL database.

``Store.open(url)`` gives the one object the pipeline, review, export and
the daemon share.  Every public method is one short transaction and
returns plain data (``models.*`` or the dataclasses below), never live ORM
objects.  SQLite and PostgreSQL are both served: upserts go through the
dialect's own ``INSERT ... ON CONFLICT``, chosen by ``engine.dialect.name``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import migrate, papers, tables
from .. import dburl, errors
from .clock import ApiClock, Cooldown
from .engine import READ_ONLY_OPTION, create_engine, ensure_reachable, run_read, run_write, upsert, use_wal
from .findings import FINDING_COLUMNS, FINDINGS, SyncSummary, decide, finding_from_row, rekey, resolve_ids, sync_rows
from .lists import ListState, Lists, list_key
from .lock import PollLock
from .papers import HISTORY, MISSING, PAPERS, PaperChange
from .runs import DaemonInfo, RunCounts, RunLog, RunRow
from .venues import VenueStore
from ..models import Finding, PaperRecord, Status

__all__ = [
    "Cooldown", "DaemonInfo", "ListState", "PaperChange", "RunCounts", "RunRow", "SearchCacheRow", "Store",
    "SyncSummary", "list_key",
]

SEARCHES = tables.SearchCache.__table__


@dataclass(frozen=True)
class SearchCacheRow:
    fingerprint: str
    query_title: str
    match_id: str | None
    score: float | None
    searched_at: datetime


def _file_identity(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st is not None else None


def _values(items: Iterable[Any]) -> list[str]:
    """Enum members or their string values, as stored."""
    return [str(getattr(item, "value", item)) for item in items]


class Store(ApiClock, Lists, RunLog):
    """The diffsync database.  Open with ``Store.open(url)``; use as a context manager.

    Its sections live beside it: ``clock`` (arXiv's request clock and cooldown),
    ``lists`` (lists and entries), ``runs`` (the run log and daemons), ``venues`` (the
    venue sources' answers); papers,
    title searches and findings are here, their SQL in ``papers`` and ``findings``."""

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
        engine = create_engine(url, busy_timeout)
        sqlite_file = (dburl.sqlite_path(engine.url) if engine.dialect.name == "sqlite"
                       else None)
        where = dburl.location(url)
        try:
            ensure_reachable(engine, where)
            found = migrate.revision(engine, where)
            if not found.up_to_date:
                if not upgrade:
                    has = f"is at schema {found.current}" if found.current else "has no schema yet"
                    raise errors.DatabaseError(
                        f"database {where} {has}, this diffsync needs {found.head}: "
                        "run `diffsync db upgrade`")
                migrate.upgrade(engine, where)
            use_wal(engine)
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
    def inspect(url: str, *, busy_timeout: float = 30.0) -> migrate.Revision:
        """The schema revision of the database at ``url`` and the newest known; changes nothing.

        A SQLite file that does not exist yet is not created.
        """
        parsed = dburl.parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = dburl.sqlite_path(parsed)
            if path is not None and not path.exists():
                return migrate.Revision(None, migrate.head_revision())
        engine = create_engine(url, busy_timeout)
        try:
            where = dburl.location(url)
            ensure_reachable(engine, where)
            return migrate.revision(engine, where)
        finally:
            engine.dispose()

    def revision(self) -> migrate.Revision:
        return migrate.revision(self._engine, self._where)

    @property
    def location(self) -> str:
        """The database file, or the URL with its password hidden."""
        return self._where

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def read_only(self) -> bool:
        """Whether the database can only be read (a read-only file or mount)."""
        return bool(self._engine.get_execution_options().get(READ_ONLY_OPTION))

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _write(self, work: Any) -> Any:
        return run_write(self._engine, work)

    def _read(self, work: Any) -> Any:
        return run_read(self._engine, work)

    # ---------------------------------------------------------------- venue sources

    def venues(self) -> VenueStore:
        """Venue sources' answers, OpenReview listings and cooldowns (``venues``)."""
        return VenueStore(self._read, self._write)

    # ---------------------------------------------------------------- papers

    def save_records(self, records: Iterable[PaperRecord], fetched_at: datetime) -> list[PaperChange]:
        """Upsert one fetched batch in one transaction; return what arXiv changed."""
        batch = list(records)
        if not batch:
            return []
        return self._write(lambda conn: papers.save_records(conn, batch, fetched_at))

    def load_records(self, ids: Iterable[str] | None = None) -> dict[str, PaperRecord]:
        wanted = None if ids is None else list(dict.fromkeys(ids))
        return self._read(lambda conn: papers.select_records(conn, wanted))

    def mark_not_found(self, ids: Iterable[str], at: datetime) -> None:
        """Record IDs arXiv confirmed it does not know (their stored metadata is kept)."""
        missing = sorted(set(ids))
        if missing:
            self._write(lambda conn: papers.mark_not_found(conn, missing, at))

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
                papers.save_records(conn, batch, searched_at)
            if rows:
                conn.execute(upsert(conn, SEARCHES, ["fingerprint"]), rows)

        if batch or rows:
            self._write(work)

    # -------------------------------------------------------------- findings

    def sync_findings(self, list_id: int, findings: Sequence[Finding], *,
                      scope_keys: set[str] | None = None, now: datetime) -> SyncSummary:
        """Record this run's findings of a list; decisions persist (see findings.sync_rows)."""
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
