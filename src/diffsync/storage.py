"""Storage: canonical arXiv metadata, lists, findings and runs in one SQL database.

``Store.open(url)`` gives the one object the pipeline, review, export and
the daemon share.  Every public method is one short transaction and
returns plain data (``models.*`` or the dataclasses below), never live ORM
objects.  SQLite and PostgreSQL are both served: upserts go through the
dialect's own ``INSERT ... ON CONFLICT``, chosen by ``engine.dialect.name``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, ContextManager, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import dbengine, errors, tables
from .dblock import DatabasePacer, PollLock
from .dbengine import insert_if_missing, upsert
from .findingsync import FINDINGS, SyncSummary, finding_from_row, resolve_ids, sync_rows
from .models import Finding, ParsedList, PaperRecord, Status

__all__ = [
    "ListState", "PaperChange", "RunRow", "SearchCacheRow", "Store", "SyncSummary",
]

PAPERS = tables.Paper.__table__
HISTORY = tables.PaperHistory.__table__
MISSING = tables.MissingPaper.__table__
SEARCHES = tables.SearchCache.__table__
LISTS = tables.CuratedList.__table__
ENTRIES = tables.ListEntry.__table__
RUNS = tables.Run.__table__
API_STATE = tables.ApiState.__table__

IN_CHUNK = 5000  # ids per IN (...): well under SQLite's 32766 bound variables
API_NAME = "arxiv"


@dataclass(frozen=True)
class PaperChange:
    """arXiv changed one field of a paper: ``old`` -> ``new`` as of ``version``.

    ``changed_at`` is the new version's submission date when the version
    moved, else when diffsync first saw the change (metadata-only edits
    such as an added journal-ref make no new version).
    """

    arxiv_id: str
    field: str
    old: str | None
    new: str | None
    version: int
    changed_at: datetime


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


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _record_row(rec: PaperRecord, fetched_at: datetime) -> dict[str, Any]:
    return {
        "arxiv_id": rec.arxiv_id, "version": rec.version, "title": rec.title,
        "authors": list(rec.authors), "published": rec.published, "updated": rec.updated,
        "comment": rec.comment, "journal_ref": rec.journal_ref, "doi": rec.doi,
        "categories": list(rec.categories), "withdrawn": rec.withdrawn,
        "fetched_at": fetched_at,
    }


def _record_from_row(row: Any) -> PaperRecord:
    return PaperRecord(
        arxiv_id=row.arxiv_id, version=row.version, title=row.title,
        authors=tuple(row.authors), published=row.published, updated=row.updated,
        comment=row.comment, journal_ref=row.journal_ref, doi=row.doi,
        categories=tuple(row.categories), withdrawn=bool(row.withdrawn),
    )


# How each tracked field reads in a history row.
_HISTORY_FIELDS = {
    "version": lambda r: f"v{r.version}",
    "title": lambda r: r.title,
    "authors": lambda r: ", ".join(r.authors),
    "published": lambda r: r.published.date().isoformat(),
    "comment": lambda r: r.comment,
    "journal_ref": lambda r: r.journal_ref,
    "doi": lambda r: r.doi,
    "categories": lambda r: " ".join(r.categories),
    "withdrawn": lambda r: "yes" if r.withdrawn else "no",
}


def paper_changes(old: PaperRecord, new: PaperRecord, seen_at: datetime) -> list[PaperChange]:
    changed_at = new.updated if new.version != old.version else seen_at
    changes = []
    for name, show in _HISTORY_FIELDS.items():
        before, after = show(old), show(new)
        if before != after:
            changes.append(PaperChange(new.arxiv_id, name, before, after, new.version, changed_at))
    return changes


class Store:
    """The diffsync database.  Open with ``Store.open(url)``; use as a context manager."""

    def __init__(self, engine: Engine, sqlite_file: Path | None, where: str) -> None:
        self._engine = engine
        self._where = where
        self._lock = PollLock(engine, sqlite_file)

    # ------------------------------------------------------------------ open

    @classmethod
    def open(cls, url: str, *, busy_timeout: float = 30.0, upgrade: bool = True) -> Store:
        """Open (creating or upgrading as needed) the database at SQLAlchemy ``url``.

        Raises ``DatabaseError`` for a corrupt or foreign file (left untouched),
        a schema newer than this code, an unreachable server, or, with
        ``upgrade=False``, a database that needs ``diffsync db upgrade``.
        """
        engine = dbengine.create_engine(url, busy_timeout)
        sqlite_file = (dbengine.sqlite_path(engine.url) if engine.dialect.name == "sqlite"
                       else None)
        where = dbengine.location(url)
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
    def inspect(url: str, *, busy_timeout: float = 30.0) -> dbengine.Revision:
        """The schema revision of the database at ``url`` and the newest known; changes nothing.

        A SQLite file that does not exist yet is not created.
        """
        parsed = dbengine.parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = dbengine.sqlite_path(parsed)
            if path is not None and not path.exists():
                return dbengine.Revision(None, dbengine.head_revision())
        engine = dbengine.create_engine(url, busy_timeout)
        try:
            where = dbengine.location(url)
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

    def _set_api_state(self, **values: float | None) -> None:
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
        until = self._api_state()[1]
        if until is None:
            return None
        return datetime.fromtimestamp(until, timezone.utc)

    # ---------------------------------------------------------------- papers

    def save_records(self, records: Iterable[PaperRecord], fetched_at: datetime) -> list[PaperChange]:
        """Upsert one fetched batch in one transaction; return what arXiv changed."""
        latest = {r.arxiv_id: r for r in sorted(records, key=lambda r: r.arxiv_id)}
        if not latest:
            return []

        def work(conn: Connection) -> list[PaperChange]:
            stored = self._select_records(conn, list(latest))
            changes: list[PaperChange] = []
            rows = []
            unchanged = []
            for arxiv_id, rec in latest.items():
                old = stored.get(arxiv_id)
                # The same metadata, or a stale answer (an older version): keep what we know.
                if old is not None and (rec == old or rec.version < old.version):
                    unchanged.append(arxiv_id)
                    continue
                if old is not None:
                    changes.extend(paper_changes(old, rec, fetched_at))
                rows.append(_record_row(rec, fetched_at))
            if rows:
                conn.execute(upsert(conn, PAPERS, ["arxiv_id"]), rows)
            for part in _chunks(unchanged):
                conn.execute(sa.update(PAPERS).where(PAPERS.c.arxiv_id.in_(part))
                             .values(fetched_at=fetched_at))
            if changes:
                conn.execute(sa.insert(HISTORY), [vars(c).copy() for c in changes])
            for part in _chunks(list(latest)):
                conn.execute(sa.delete(MISSING).where(MISSING.c.arxiv_id.in_(part)))
            return changes

        return self._write(work)

    @staticmethod
    def _select_records(conn: Connection, ids: Sequence[str] | None) -> dict[str, PaperRecord]:
        if ids is None:
            rows = conn.execute(sa.select(PAPERS)).all()
        else:
            rows = [row for part in _chunks(ids)
                    for row in conn.execute(sa.select(PAPERS).where(PAPERS.c.arxiv_id.in_(part)))]
        return {row.arxiv_id: _record_from_row(row) for row in rows}

    def load_records(self, ids: Iterable[str] | None = None) -> dict[str, PaperRecord]:
        wanted = None if ids is None else list(dict.fromkeys(ids))
        return self._read(lambda conn: self._select_records(conn, wanted))

    def mark_not_found(self, ids: Iterable[str], at: datetime) -> None:
        """Record IDs arXiv confirmed it does not know (their stored metadata is kept)."""
        rows = [{"arxiv_id": i, "checked_at": at} for i in sorted(set(ids))]
        if rows:
            self._write(lambda conn: conn.execute(upsert(conn, MISSING, ["arxiv_id"]), rows))

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

    def load_searches(self, list_id: int | None = None) -> dict[str, SearchCacheRow]:
        """Cached title searches by entry fingerprint (shared by every list)."""
        rows = self._read(lambda c: c.execute(sa.select(SEARCHES)).all())
        return {r.fingerprint: SearchCacheRow(r.fingerprint, r.query_title, r.match_id,
                                              r.score, r.searched_at) for r in rows}

    def save_search(self, fingerprint: str, query_title: str, match_id: str | None,
                    score: float | None, searched_at: datetime) -> None:
        row = {"fingerprint": fingerprint, "query_title": query_title, "match_id": match_id,
               "score": score, "searched_at": searched_at}
        self._write(lambda conn: conn.execute(upsert(conn, SEARCHES, ["fingerprint"]), [row]))

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
        """Replace the list's entries with ``parsed``, and note its hash and time."""
        rows = [{
            "list_id": list_id, "position": n, "line": e.line, "entry_key": e.key,
            "section": e.section, "title": e.title, "authors": list(e.authors),
            "venue": e.venue, "arxiv_id": e.arxiv_id, "arxiv_version": e.arxiv_version,
            "listed_date": e.date, "problems": list(e.problems),
        } for n, e in enumerate(parsed.entries)]

        def work(conn: Connection) -> None:
            self._require_list(conn, list_id)
            conn.execute(sa.delete(ENTRIES).where(ENTRIES.c.list_id == list_id))
            if rows:
                conn.execute(sa.insert(ENTRIES), rows)
            conn.execute(sa.update(LISTS).where(LISTS.c.id == list_id)
                         .values(sha256=parsed.sha256, parsed_at=utcnow()))

        self._write(work)

    def list_state(self, list_id: int) -> ListState | None:
        row = self._read(lambda c: c.execute(sa.select(LISTS).where(LISTS.c.id == list_id)).first())
        return None if row is None else ListState(row.path, row.sha256, row.parsed_at)

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
        query = sa.select(FINDINGS)
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        if status:
            query = query.where(FINDINGS.c.status.in_([str(getattr(s, "value", s)) for s in status]))
        if kind:
            query = query.where(FINDINGS.c.kind.in_([str(getattr(k, "value", k)) for k in kind]))
        query = query.order_by(FINDINGS.c.line, FINDINGS.c.kind, FINDINGS.c.finding_id)
        return [finding_from_row(r) for r in self._read(lambda c: c.execute(query).all())]

    def set_status(self, list_id: int | None, ids: Sequence[str], status: Status,
                   reason: str | None = None) -> list[str]:
        """Decide findings by id or unique id prefix; returns the full ids changed."""
        def work(conn: Connection) -> list[str]:
            full = resolve_ids(conn, list_id, ids)
            return self._decide(conn, list_id, full, status, reason, None)

        return self._write(work)

    def set_status_by_kind(self, list_id: int | None, kinds: Sequence[str], status: Status,
                           from_status: Status = Status.OPEN, reason: str | None = None) -> list[str]:
        def work(conn: Connection) -> list[str]:
            query = sa.select(FINDINGS.c.finding_id).where(
                FINDINGS.c.kind.in_([str(getattr(k, "value", k)) for k in kinds]))
            if list_id is not None:
                query = query.where(FINDINGS.c.list_id == list_id)
            ids = sorted(set(conn.execute(query).scalars()))
            return self._decide(conn, list_id, ids, status, reason, from_status)

        return self._write(work)

    @staticmethod
    def _decide(conn: Connection, list_id: int | None, ids: Sequence[str], status: Status,
                reason: str | None, from_status: Status | None) -> list[str]:
        status_value = Status(status).value
        query = sa.select(FINDINGS.c.finding_id).where(
            FINDINGS.c.finding_id.in_(ids), FINDINGS.c.status != status_value)
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        if from_status is not None:
            query = query.where(FINDINGS.c.status == Status(from_status).value)
        changed = sorted(set(conn.execute(query).scalars()))
        if changed:
            update = sa.update(FINDINGS).where(FINDINGS.c.finding_id.in_(changed))
            if list_id is not None:
                update = update.where(FINDINGS.c.list_id == list_id)
            if from_status is not None:
                update = update.where(FINDINGS.c.status == Status(from_status).value)
            conn.execute(update.values(status=status_value, reason=reason, decided_at=utcnow()))
        return changed

    def open_by_kind(self, list_id: int | None = None) -> dict[str, int]:
        query = (sa.select(FINDINGS.c.kind, sa.func.count())
                 .where(FINDINGS.c.status == Status.OPEN.value)
                 .group_by(FINDINGS.c.kind).order_by(FINDINGS.c.kind))
        if list_id is not None:
            query = query.where(FINDINGS.c.list_id == list_id)
        return {kind: n for kind, n in self._read(lambda c: c.execute(query).all())}

    # ------------------------------------------------------------------ runs

    def start_run(self, trigger: str, list_path: str) -> int:
        return self._write(lambda c: int(c.execute(
            sa.insert(RUNS).values(trigger=trigger, list_path=list_path, started_at=utcnow(),
                                   status="running", requests=0, papers=0, new=0, open=0,
                                   resolved=0).returning(RUNS.c.id)).scalar_one()))

    def finish_run(self, run_id: int, *, status: str, requests: int, papers: int, new: int,
                   open: int, resolved: int, error: str | None = None) -> None:
        values = dict(status=status, requests=requests, papers=papers, new=new, open=open,
                      resolved=resolved, error=error, finished_at=utcnow())
        self._write(lambda c: c.execute(sa.update(RUNS).where(RUNS.c.id == run_id).values(**values)))

    def runs(self, limit: int = 20) -> list[RunRow]:
        query = sa.select(RUNS).order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(limit)
        return [RunRow(r.id, r.trigger, r.list_path, r.started_at, r.finished_at, r.status,
                       r.requests, r.papers, r.new, r.open, r.resolved, r.error)
                for r in self._read(lambda c: c.execute(query).all())]
