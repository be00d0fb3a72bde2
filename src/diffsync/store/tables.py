"""The database schema as SQLModel tables (the store's private layout).

Only ``store/`` and the Alembic migrations use these; every other module
gets plain dataclasses from ``Store``.  Changing a table here needs a new
migration in ``migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC, returned timezone-aware on every backend.

    SQLite has no time zones, so values are normalised to naive UTC there
    (which also keeps its text comparison correct); PostgreSQL gets timestamptz.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=sa.Column(UTCDateTime(), nullable=nullable, index=index))


def _json(nullable: bool = False) -> Any:
    return Field(sa_column=sa.Column(sa.JSON(), nullable=nullable))


def _list_key() -> Any:
    """Part of the primary key of a per-list table; rows go with their list."""
    return Field(sa_column=sa.Column(sa.Integer(), sa.ForeignKey("lists.id", ondelete="CASCADE"),
                                     primary_key=True))


class Paper(SQLModel, table=True):
    """arXiv's current metadata for one paper, keyed on the unversioned ID."""

    __tablename__ = "papers"
    arxiv_id: str = Field(primary_key=True)
    version: int
    title: str
    authors: list[str] = _json()
    published: datetime = _ts()
    updated: datetime = _ts()
    comment: Optional[str] = None
    journal_ref: Optional[str] = None
    doi: Optional[str] = None
    categories: list[str] = _json()
    withdrawn: bool = False
    fetched_at: datetime = _ts(index=True)


class PaperHistory(SQLModel, table=True):
    """One field of one paper that arXiv changed between two fetches."""

    __tablename__ = "paper_history"
    id: Optional[int] = Field(default=None, primary_key=True)
    arxiv_id: str = Field(index=True)
    field: str
    old: Optional[str] = None
    new: Optional[str] = None
    version: int
    changed_at: datetime = _ts()


class MissingPaper(SQLModel, table=True):
    """An ID arXiv confirmed it does not know."""

    __tablename__ = "missing_papers"
    arxiv_id: str = Field(primary_key=True)
    checked_at: datetime = _ts(index=True)


class SearchCache(SQLModel, table=True):
    """The outcome of a title search, keyed by the entry's fingerprint."""

    __tablename__ = "search_cache"
    fingerprint: str = Field(primary_key=True)
    query_title: str
    match_id: Optional[str] = None
    score: Optional[float] = None
    searched_at: datetime = _ts()


class CuratedList(SQLModel, table=True):
    """A list file (by resolved absolute path); several may share one database."""

    __tablename__ = "lists"
    id: Optional[int] = Field(default=None, primary_key=True)
    path: str = Field(sa_column=sa.Column(sa.Text(), nullable=False, unique=True))
    sha256: Optional[str] = None
    parsed_at: Optional[datetime] = _ts(nullable=True)
    # A rewrite of the file (export) begun and not yet recorded: see Store.begin_list_write.
    pending_write: Optional[dict[str, Any]] = _json(nullable=True)


class ListEntry(SQLModel, table=True):
    """One entry of a list as last parsed."""

    __tablename__ = "entries"
    list_id: int = _list_key()
    position: int = Field(primary_key=True)
    line: int
    entry_key: str = Field(index=True)
    section: Optional[str] = None
    title: str
    authors: list[str] = _json()
    venue: Optional[str] = None
    arxiv_id: Optional[str] = Field(default=None, index=True)
    arxiv_version: Optional[int] = None
    listed_date: Optional[date] = None
    problems: list[str] = _json()


class FindingRow(SQLModel, table=True):
    """A finding of one list with its review decision; identity (list_id, finding_id)."""

    __tablename__ = "findings"
    list_id: int = _list_key()
    finding_id: str = Field(primary_key=True)
    kind: str = Field(index=True)
    line: int
    entry_key: str
    arxiv_id: Optional[str] = None
    listed: Optional[str] = None
    arxiv: Optional[str] = None
    message: str
    suggestion: Optional[str] = None
    status: str = Field(index=True)
    reason: Optional[str] = None
    decided_at: Optional[datetime] = _ts(nullable=True)
    first_seen_at: datetime = _ts()
    last_seen_at: datetime = _ts()
    resolved_at: Optional[datetime] = _ts(nullable=True)


class Run(SQLModel, table=True):
    """One check (on demand or by the daemon)."""

    __tablename__ = "runs"
    id: Optional[int] = Field(default=None, primary_key=True)
    trigger: str
    list_path: str
    started_at: datetime = _ts(index=True)
    finished_at: Optional[datetime] = _ts(nullable=True)
    status: str = Field(default="running", index=True)  # "running" is looked up on every check
    requests: int = 0
    papers: int = 0
    new: int = 0
    open: int = 0
    resolved: int = 0
    error: Optional[str] = None
    pid: Optional[int] = None  # the process running it, and where: a dead one is "abandoned"
    host: Optional[str] = None
    heartbeat_at: Optional[datetime] = _ts(nullable=True)
    venues: Optional[str] = None  # venue coverage: "venue confirmed for N of M papers; ..."


class DaemonRow(SQLModel, table=True):
    """A ``diffsync daemon`` process and its heartbeat, so ``status`` knows whether one is alive."""

    __tablename__ = "daemons"
    id: Optional[int] = Field(default=None, primary_key=True)
    pid: int
    host: str
    list_path: str
    started_at: datetime = _ts()
    heartbeat_at: datetime = _ts()
    next_run_at: Optional[datetime] = _ts(nullable=True)
    stopped_at: Optional[datetime] = _ts(nullable=True)
    schedule: Optional[str] = None  # as the daemon runs it: "every 5 s", "cron '0 6 * * *' (UTC)"
    # Every list it watches (resolved paths); list_path is the first.  None: a daemon of
    # an older version, which watched list_path alone.
    lists: Optional[list] = _json(nullable=True)


class ApiState(SQLModel, table=True):
    """Shared arXiv pacing state: one row per API (name 'arxiv')."""

    __tablename__ = "api_state"
    name: str = Field(primary_key=True)
    last_request_at: Optional[float] = None  # epoch seconds
    cooldown_until: Optional[float] = None  # epoch seconds
    cooldown_source: Optional[str] = None  # why: "3 consecutive HTTP 429 from URL at TIME"
    cooldown_set_at: Optional[float] = None  # epoch seconds; the max_cooldown cap counts from it


class VenueAnswer(SQLModel, table=True):
    """What one venue source answered about one paper, and when (venuecheck decides freshness)."""

    __tablename__ = "venue_answers"
    arxiv_id: str = Field(primary_key=True)
    source: str = Field(primary_key=True)  # semantic_scholar | openreview | dblp
    asked_at: datetime = _ts()
    record: Optional[dict[str, Any]] = _json(nullable=True)  # the matched SourceRecord; None: no match
    confirmed: bool = False  # the record names a published venue: asked again rarely


class VenueListing(SQLModel, table=True):
    """An OpenReview venue-year's accepted papers, fetched once and kept once decisions are final."""

    __tablename__ = "venue_listings"
    venue_id: str = Field(primary_key=True)  # e.g. "ICLR.cc/2024/Conference"
    fetched_at: datetime = _ts()
    final: bool = False
    records: list[dict[str, Any]] = _json()


metadata = SQLModel.metadata
