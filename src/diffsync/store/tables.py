"""The database schema as SQLAlchemy Core tables (storage's private layout).

Only ``storage`` and the Alembic migrations use these; every other module
gets plain dataclasses from ``Store``.  Changing a table here needs a new
migration in ``migrations/versions``.  Core tables, not SQLModel classes:
the store never builds ORM objects, and SQLModel (with pydantic and the ORM)
cost every command that opens the database a quarter of a second to import.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData()


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


def _ts(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable, index=index)


def _json(name: str) -> sa.Column:
    return sa.Column(name, sa.JSON(), nullable=False)


def _text(name: str, nullable: bool = True, **kw: Any) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable, **kw)


def _int(name: str, nullable: bool = False, **kw: Any) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable, **kw)


def _float(name: str) -> sa.Column:
    return sa.Column(name, sa.Float(), nullable=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _list_key() -> sa.Column:
    """Part of the primary key of a per-list table; rows go with their list."""
    return sa.Column("list_id", sa.Integer(), sa.ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True)


# arXiv's current metadata for one paper, keyed on the unversioned ID.
PAPERS = sa.Table(
    "papers", metadata,
    _text("arxiv_id", primary_key=True, nullable=False),
    _int("version"),
    _text("title", nullable=False),
    _json("authors"),
    _ts("published"),
    _ts("updated"),
    _text("comment"),
    _text("journal_ref"),
    _text("doi"),
    _json("categories"),
    sa.Column("withdrawn", sa.Boolean(), nullable=False),
    _ts("fetched_at", index=True),
)

# One field of one paper that arXiv changed between two fetches.
PAPER_HISTORY = sa.Table(
    "paper_history", metadata,
    _id(),
    _text("arxiv_id", nullable=False, index=True),
    _text("field", nullable=False),
    _text("old"),
    _text("new"),
    _int("version"),
    _ts("changed_at"),
)

# An ID arXiv confirmed it does not know.
MISSING_PAPERS = sa.Table(
    "missing_papers", metadata,
    _text("arxiv_id", primary_key=True, nullable=False),
    _ts("checked_at", index=True),
)

# The outcome of a title search, keyed by the entry's fingerprint.
SEARCH_CACHE = sa.Table(
    "search_cache", metadata,
    _text("fingerprint", primary_key=True, nullable=False),
    _text("query_title", nullable=False),
    _text("match_id"),
    _float("score"),
    _ts("searched_at"),
)

# A list file (by resolved absolute path); several may share one database.
LISTS = sa.Table(
    "lists", metadata,
    _id(),
    sa.Column("path", sa.Text(), nullable=False, unique=True),
    _text("sha256"),
    _ts("parsed_at", nullable=True),
)

# One entry of a list as last parsed.
ENTRIES = sa.Table(
    "entries", metadata,
    _list_key(),
    _int("position", primary_key=True),
    _int("line"),
    _text("entry_key", nullable=False, index=True),
    _text("section"),
    _text("title", nullable=False),
    _json("authors"),
    _text("venue"),
    _text("arxiv_id", index=True),
    _int("arxiv_version", nullable=True),
    sa.Column("listed_date", sa.Date(), nullable=True),
    _json("problems"),
)

# A finding of one list with its review decision; identity (list_id, finding_id).
FINDINGS = sa.Table(
    "findings", metadata,
    _list_key(),
    _text("finding_id", primary_key=True, nullable=False),
    _text("kind", nullable=False, index=True),
    _int("line"),
    _text("entry_key", nullable=False),
    _text("arxiv_id"),
    _text("listed"),
    _text("arxiv"),
    _text("message", nullable=False),
    _text("suggestion"),
    _text("status", nullable=False, index=True),
    _text("reason"),
    _ts("decided_at", nullable=True),
    _ts("first_seen_at"),
    _ts("last_seen_at"),
    _ts("resolved_at", nullable=True),
)

# One check (on demand or by the daemon).
RUNS = sa.Table(
    "runs", metadata,
    _id(),
    _text("trigger", nullable=False),
    _text("list_path", nullable=False),
    _ts("started_at", index=True),
    _ts("finished_at", nullable=True),
    _text("status", nullable=False),
    _int("requests"),
    _int("papers"),
    _int("new"),
    _int("open"),
    _int("resolved"),
    _text("error"),
    _int("pid", nullable=True),  # the process running it, and where: a dead one is "abandoned"
    _text("host"),
    _ts("heartbeat_at", nullable=True),
)

# A ``diffsync daemon`` process and its heartbeat, so ``status`` knows whether one is alive.
DAEMONS = sa.Table(
    "daemons", metadata,
    _id(),
    _int("pid"),
    _text("host", nullable=False),
    _text("list_path", nullable=False),
    _ts("started_at"),
    _ts("heartbeat_at"),
    _ts("next_run_at", nullable=True),
    _ts("stopped_at", nullable=True),
)

# Shared arXiv pacing state: one row per API (name 'arxiv').
API_STATE = sa.Table(
    "api_state", metadata,
    _text("name", primary_key=True, nullable=False),
    _float("last_request_at"),  # epoch seconds
    _float("cooldown_until"),  # epoch seconds
    _text("cooldown_source"),  # why: "3 consecutive HTTP 429 from URL at TIME"
    _float("cooldown_set_at"),  # epoch seconds; the max_cooldown cap counts from it
)
