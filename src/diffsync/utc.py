"""UTC time: the one clock diffsync stores, compares and reports in."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware datetime; a naive one is taken to be UTC already.

    Storage returns aware values, but stand-ins and older callers may not.
    """
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value
