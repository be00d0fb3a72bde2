"""Venue sources' answers in the database: per paper and source, OpenReview listings, cooldowns.

``Store.venues()`` hands out a ``VenueStore``; venuecheck decides what is
fresh, this module only keeps and returns plain values (a source's record
as the JSON object venuesrc made of it: the store sits below the sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import tables
from .engine import batched, upsert

ANSWERS = tables.VenueAnswer.__table__
LISTINGS = tables.VenueListing.__table__
API_STATE = tables.ApiState.__table__


@dataclass(frozen=True)
class StoredAnswer:
    """One source's stored answer about one paper: its record, or None for "no match"."""

    arxiv_id: str
    source: str
    asked_at: datetime
    record: dict[str, Any] | None  # a venuesrc SourceRecord as JSON; None: no match
    confirmed: bool


@dataclass(frozen=True)
class StoredListing:
    venue_id: str
    fetched_at: datetime
    final: bool
    records: tuple[dict[str, Any], ...]  # venuesrc SourceRecords as JSON


class VenueStore:
    """Reads and writes of the venue tables, each in its own transaction."""

    def __init__(self, read: Callable[[Any], Any], write: Callable[[Any], Any]) -> None:
        self._read, self._write = read, write

    def answers(self, ids: Iterable[str]) -> dict[tuple[str, str], StoredAnswer]:
        """Stored answers of these papers by (arXiv ID, source)."""
        wanted = sorted(set(ids))

        def work(conn: Connection) -> list[Any]:
            rows: list[Any] = []
            for part in batched(wanted):
                rows += conn.execute(sa.select(ANSWERS).where(ANSWERS.c.arxiv_id.in_(part))).all()
            return rows

        return {(r.arxiv_id, r.source): StoredAnswer(
            r.arxiv_id, r.source, r.asked_at, r.record or None, bool(r.confirmed))
            for r in self._read(work)}

    def save_answers(self, answers: Sequence[tuple[str, str, dict[str, Any] | None, bool]],
                     at: datetime) -> None:
        """``(arxiv_id, source, record as JSON or None, confirmed)`` rows, in one transaction."""
        rows = sorted(({"arxiv_id": i, "source": s, "asked_at": at, "confirmed": c, "record": r}
                       for i, s, r, c in answers),
                      key=lambda row: (row["arxiv_id"], row["source"]))
        if rows:
            self._write(lambda conn: [conn.execute(upsert(conn, ANSWERS, ["arxiv_id", "source"]), part)
                                      for part in batched(rows)])

    def listings(self) -> dict[str, StoredListing]:
        rows = self._read(lambda c: c.execute(sa.select(LISTINGS)).all())
        return {r.venue_id: StoredListing(r.venue_id, r.fetched_at, bool(r.final),
                                          tuple(r.records)) for r in rows}

    def save_listing(self, venue_id: str, records: Sequence[dict[str, Any]], final: bool,
                     at: datetime) -> None:
        row = {"venue_id": venue_id, "fetched_at": at, "final": final, "records": list(records)}
        self._write(lambda conn: conn.execute(upsert(conn, LISTINGS, ["venue_id"]), [row]))

    def cooldown(self, source: str) -> tuple[float, str] | None:
        """(epoch seconds, why) before which ``source`` is left alone, if one was stored."""
        row = self._read(lambda c: c.execute(sa.select(API_STATE).where(
            API_STATE.c.name == f"venues:{source}")).first())
        if row is None or row.cooldown_until is None:
            return None
        return row.cooldown_until, row.cooldown_source or ""

    def set_cooldown(self, source: str, until: float, why: str, now: float) -> None:
        row = {"name": f"venues:{source}", "last_request_at": now, "cooldown_until": until,
               "cooldown_source": why, "cooldown_set_at": now}
        self._write(lambda conn: conn.execute(upsert(conn, API_STATE, ["name"]), [row]))
