"""Fetching given arXiv IDs the way check does: under the poll lock, paced, cached.

``check`` fetches every paper of a list; ``add`` only the papers it is
given.  Both go through here for what they share: the cooldown gate, the
poll lock (two processes never ask arXiv at once), stored answers younger
than ``[check] max_age`` reused, and each batch stored in its own
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from ..arxivapi.client import ArxivClient
from ..config import Settings
from ..errors import ApiError, DatabaseError, one_line
from ..models import PaperRecord
from ..store import papers
from ..store.store import Store
from ..utc import utcnow


def refuse_during_cooldown(store: Store, settings: Settings) -> None:
    cooldown = store.cooldown(settings.arxiv.max_cooldown)
    if cooldown is not None:
        because = f" after {cooldown.source}" if cooldown.source else ""
        raise ApiError(
            f"arXiv asked us to slow down: requests paused until {cooldown.until:%Y-%m-%d %H:%M} "
            f"UTC{because} (use --offline to compare against stored metadata, or "
            "`diffsync db clear-cooldown` to lift it)")


@dataclass(frozen=True)
class LookedUp:
    records: dict[str, PaperRecord]  # as stored after the fetch
    not_found: frozenset[str] = frozenset()  # arXiv answered twice without them
    unchecked: dict[str, str] = field(default_factory=dict)  # id -> why it could not be asked
    requests: int = 0


def look_up(settings: Settings, ids: Iterable[str], *, offline: bool = False) -> LookedUp:
    """The records of ``ids`` (canonical, unversioned), fetched unless fresh or ``offline``."""
    wanted = sorted(set(ids))
    with Store.open(settings.database_url, busy_timeout=settings.database.busy_timeout) as store:
        if offline:
            stored = store.load_records(wanted)
            return LookedUp(stored, unchecked={i: "not stored (offline)" for i in wanted if i not in stored})
        refuse_during_cooldown(store, settings)
        not_found: set[str] = set()
        unchecked: dict[str, str] = {}
        requests = 0
        with store.poll_lock():
            max_age = settings.check.max_age
            fresh = store.fetched_since(utcnow() - timedelta(hours=max_age)) if max_age > 0 else set()
            todo = [i for i in wanted if i not in fresh]
            with ArxivClient(settings.arxiv, pacer=store.pacer()) as client:
                for batch in client.fetch_batches(todo):
                    now = utcnow()
                    unstored = store_batch(store, batch.records.values(), now)
                    if batch.not_found:
                        store.mark_not_found(batch.not_found, now)
                    not_found |= batch.not_found
                    unchecked.update(batch.unchecked)
                    unchecked.update(batch.unreadable)
                    unchecked.update(unstored)
                    requests += batch.requests
            records = {i: r for i, r in store.load_records(wanted).items() if i not in not_found}
        return LookedUp(records, frozenset(not_found), unchecked, requests)


def store_batch(store: Store, records: Iterable[PaperRecord], now: datetime) -> dict[str, str]:
    """Store a fetched batch; the records that cannot be stored, with why (the rest are stored).

    The batch goes in one transaction; only if that fails is each record tried on
    its own, so one unstorable record costs that paper alone.  When every record
    fails, it is the database that fails, and its error is raised.
    """
    batch = list(records)
    unstorable = {r.arxiv_id: why for r in batch if (why := papers.unstorable(r))}
    batch = [r for r in batch if r.arxiv_id not in unstorable]
    try:
        store.save_records(batch, now)
        return unstorable
    except DatabaseError as exc:
        if len(batch) < 2:
            raise
        failed: dict[str, str] = {}
        for record in batch:
            try:
                store.save_records([record], now)
            except DatabaseError as each:
                failed[record.arxiv_id] = f"cannot be stored ({one_line(each)[:200]})"
        if len(failed) == len(batch):
            raise exc from None
        return unstorable | failed


