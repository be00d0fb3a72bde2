"""Request pacing shared by every diffsync process that uses one database.

arXiv's terms allow one request every 3 seconds and one connection at a
time *for all of a user's machines together*.  The client asks a ``Pacer``
when it may send; the store provides a database-backed one so a daemon and an
on-demand ``check`` (or a process started right after another) respect the
same clock and the same cooldown.  ``MemoryPacer`` serves one process, and
tests, which inject a clock instead of sleeping.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import ContextManager, Iterator, Protocol


class Pacer(Protocol):
    def hold(self) -> ContextManager[None]:
        """Exclusive, re-entrant hold on talking to arXiv, across processes.

        The client takes it around each request; the check pipeline takes it
        around a whole fetch so two processes never poll in parallel.
        """

    def last_request_at(self) -> float | None:
        """Wall-clock time (epoch seconds) the last request by anyone ended."""

    def record_request(self, at: float) -> None:
        """Note a request (call when it is sent and again when it ends)."""

    def cooldown_until(self) -> float | None:
        """Epoch seconds before which nobody may ask arXiv anything, or None."""

    def set_cooldown(self, until: float | None, source: str | None = None) -> None:
        """Pause everyone until ``until``; ``source`` says why (shown by ``diffsync status``)."""


class MemoryPacer:
    """A ``Pacer`` for one process."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._last: float | None = None
        self._cooldown: float | None = None
        self.cooldown_source: str | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._lock:
            yield

    def last_request_at(self) -> float | None:
        return self._last

    def record_request(self, at: float) -> None:
        self._last = at if self._last is None else max(self._last, at)

    def cooldown_until(self) -> float | None:
        return self._cooldown

    def set_cooldown(self, until: float | None, source: str | None = None) -> None:
        self._cooldown = until
        self.cooldown_source = source if until is not None else None
