"""Lists and their entries as last parsed: a section of ``Store``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import tables
from .. import errors
from .engine import batched, insert_if_missing
from .findings import decide, rekey, resolve_ids
from ..models import ParsedList, Status
from ..utc import utcnow

LISTS = tables.CuratedList.__table__
ENTRIES = tables.ListEntry.__table__


def list_key(path: str | Path) -> str:
    """A list's identity in the store: its resolved absolute path, however it was spelled
    (relative, from a subfolder, through a symlink)."""
    return str(Path(path).expanduser().resolve())


@dataclass(frozen=True)
class ListState:
    path: str
    sha256: str | None
    checked_at: datetime | None  # when its entries were last saved


class Lists:
    """Each list's id, path, hash and entries (``Store`` has these)."""

    _read: Callable[[Callable[[Connection], Any]], Any]  # Store's one-transaction helpers
    _write: Callable[[Callable[[Connection], Any]], Any]

    def list_id(self, path: str) -> int:
        """The id of the list at ``path`` (resolved to an absolute path), created if new."""
        resolved = list_key(path)

        def work(conn: Connection) -> int:
            conn.execute(insert_if_missing(conn, LISTS, ["path"]), [{"path": resolved}])
            return int(conn.execute(sa.select(LISTS.c.id).where(LISTS.c.path == resolved))
                       .scalar_one())

        return self._write(work)

    def save_entries(self, list_id: int, parsed: ParsedList) -> None:
        """Replace the list's entries with ``parsed``, and note its hash and time (see
        ``write_entries``)."""
        self._write(lambda conn: write_entries(conn, list_id, parsed))

    # A list rewrite (export) is recorded database first: the intent before the file is
    # replaced, the result after (see writeback.listwrite).

    def begin_list_write(self, list_id: int, intent: dict[str, Any]) -> None:
        """Note that ``list_id``'s file is about to be replaced: ``intent`` holds the old and
        new sha256 and what to record once it is.  Fails (nothing written) on a database
        that cannot be written, before the list is touched."""
        def work(conn: Connection) -> None:
            self._require_list(conn, list_id)
            conn.execute(sa.update(LISTS).where(LISTS.c.id == list_id).values(pending_write=intent))

        self._write(work)

    def pending_list_write(self, list_id: int) -> dict[str, Any] | None:
        """The intent of a list rewrite begun and not recorded as done (a crash, a failed write)."""
        return self._read(lambda c: c.execute(
            sa.select(LISTS.c.pending_write).where(LISTS.c.id == list_id)).scalar())

    def finish_list_write(self, list_id: int, written: ParsedList | None,
                          moves: dict[str, tuple[str, str, int]], applied: Sequence[str]) -> list[str]:
        """In one transaction: the rewritten list's entries (``written``; None: the file was
        not replaced), its findings moved and ``applied``, the intent cleared.  Returns the
        ids now applied."""
        def work(conn: Connection) -> list[str]:
            done: list[str] = []
            if written is not None:
                write_entries(conn, list_id, written)
                if moves:
                    rekey(conn, list_id, moves)
                if applied:
                    done = decide(conn, list_id, resolve_ids(conn, list_id, applied), Status.APPLIED, None)
            conn.execute(sa.update(LISTS).where(LISTS.c.id == list_id).values(pending_write=None))
            return done

        return self._write(work)

    def list_state(self, list_id: int) -> ListState | None:
        row = self._read(lambda c: c.execute(sa.select(LISTS).where(LISTS.c.id == list_id)).first())
        return None if row is None else ListState(row.path, row.sha256, row.parsed_at)

    def find_list(self, path: str) -> int | None:
        """The id of the list at ``path`` (resolved to an absolute path), None if never checked."""
        resolved = list_key(path)
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


def write_entries(conn: Connection, list_id: int, parsed: ParsedList) -> None:
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
