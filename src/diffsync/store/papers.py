"""Papers in the database: upserting fetched batches and recording what arXiv changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import tables
from .engine import batched, upsert
from ..models import PaperRecord

PAPERS = tables.Paper.__table__
HISTORY = tables.PaperHistory.__table__
MISSING = tables.MissingPaper.__table__


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


_MAX_INT = 2**31 - 1  # an Integer column on PostgreSQL


def unstorable(rec: PaperRecord) -> str | None:
    """Why ``rec`` cannot be stored on every supported database, or None if it can."""
    if not 1 <= rec.version <= _MAX_INT:
        return f"version {rec.version} cannot be stored"
    for name in ("published", "updated"):
        value = getattr(rec, name)
        if value.tzinfo is None or not 1 < value.year < 9999:  # room for any UTC offset
            return f"{name} {value.isoformat()} cannot be stored"
    # One joined string: checked in two C-level passes, not two per field.
    text = " ".join(filter(None, (rec.arxiv_id, rec.title, rec.comment, rec.journal_ref, rec.doi,
                                  *rec.authors, *rec.categories)))
    if "\x00" in text:  # PostgreSQL text cannot hold NUL
        return "a field holds a NUL character and cannot be stored"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no database can store it
            return "a field is not valid Unicode and cannot be stored"
    return None


def record_row(rec: PaperRecord, fetched_at: datetime) -> dict[str, Any]:
    return {
        "arxiv_id": rec.arxiv_id, "version": rec.version, "title": rec.title,
        "authors": list(rec.authors), "published": rec.published, "updated": rec.updated,
        "comment": rec.comment, "journal_ref": rec.journal_ref, "doi": rec.doi,
        "categories": list(rec.categories), "withdrawn": rec.withdrawn,
        "fetched_at": fetched_at,
    }


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


# PaperRecord's fields in order: rows are read by position, several times faster
# than by name when a check loads tens of thousands of them.
_RECORD_COLUMNS = [PAPERS.c[name] for name in (
    "arxiv_id", "version", "title", "authors", "published", "updated", "comment",
    "journal_ref", "doi", "categories", "withdrawn")]


def _record(row: Any) -> PaperRecord:
    (arxiv_id, version, title, authors, published, updated, comment, journal_ref, doi,
     categories, withdrawn) = row
    return PaperRecord(arxiv_id, version, title, tuple(authors), published, updated, comment,
                       journal_ref, doi, tuple(categories), bool(withdrawn))


def select_records(conn: Connection, ids: Sequence[str] | None) -> dict[str, PaperRecord]:
    query = sa.select(*_RECORD_COLUMNS)
    if ids is None:
        rows = conn.execute(query).all()
    else:
        rows = [row for part in batched(ids)
                for row in conn.execute(query.where(PAPERS.c.arxiv_id.in_(part)))]
    return {row[0]: _record(row) for row in rows}


def save_records(conn: Connection, records: Iterable[PaperRecord],
                 fetched_at: datetime) -> list[PaperChange]:
    """Upsert a batch (bulk statements, rows in key order), writing history for changes."""
    latest = {r.arxiv_id: r for r in sorted(records, key=lambda r: r.arxiv_id)}  # last wins
    stored = select_records(conn, list(latest))
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
        rows.append(record_row(rec, fetched_at))
    if rows:
        conn.execute(upsert(conn, PAPERS, ["arxiv_id"]), rows)
    for part in batched(unchanged):
        conn.execute(sa.update(PAPERS).where(PAPERS.c.arxiv_id.in_(part))
                     .values(fetched_at=fetched_at))
    if changes:
        conn.execute(sa.insert(HISTORY), [asdict(c) for c in changes])
    for part in batched(list(latest)):
        conn.execute(sa.delete(MISSING).where(MISSING.c.arxiv_id.in_(part)))
    return changes


def mark_not_found(conn: Connection, ids: Sequence[str], at: datetime) -> None:
    rows = [{"arxiv_id": i, "checked_at": at} for i in ids]
    conn.execute(upsert(conn, MISSING, ["arxiv_id"]), rows)
