"""The arXiv request clock and cooldown, shared by every process on the database: a section of ``Store``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, ContextManager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import tables
from .engine import insert_if_missing
from .lock import DatabasePacer, PollLock
from ..utc import utcnow

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


class ApiClock:
    """Who may talk to arXiv now, when it last did, and arXiv's cooldown (``Store`` has these)."""

    _lock: PollLock
    _read: Callable[[Callable[[Connection], Any]], Any]  # Store's one-transaction helpers
    _write: Callable[[Callable[[Connection], Any]], Any]

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
