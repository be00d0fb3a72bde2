"""The cross-process lock on talking to arXiv, and a Pacer backed by the database.

arXiv allows one connection at a time for all of a user's processes, so
every diffsync process sharing a database takes the same lock before it
polls: a file lock beside a SQLite file, a session-level advisory lock on
PostgreSQL, a plain re-entrant lock for an in-memory database.  The lock
is re-entrant within a process (the pipeline holds it around a fetch, the
client again around each request).
"""

from __future__ import annotations

import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

import filelock
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import errors

ARXIV_LOCK_KEY = zlib.crc32(b"diffsync.arxiv")  # pg advisory lock id
PG_POLL_INTERVAL = 0.2  # seconds between tries while another process polls


class _CrossProcessLock(Protocol):
    def try_acquire(self) -> bool: ...
    def acquire(self, timeout: float | None) -> bool: ...
    def release(self) -> None: ...


class _NoOtherProcess:
    """An in-memory database is private to its process: nobody else to exclude."""

    def try_acquire(self) -> bool:
        return True

    def acquire(self, timeout: float | None) -> bool:
        return True

    def release(self) -> None:
        pass


class _FileLock:
    def __init__(self, path: Path) -> None:
        self._lock = filelock.FileLock(str(path), thread_local=False)

    def try_acquire(self) -> bool:
        try:
            self._lock.acquire(timeout=0)
            return True
        except filelock.Timeout:
            return False

    def acquire(self, timeout: float | None) -> bool:
        try:
            self._lock.acquire(timeout=-1 if timeout is None else timeout)
            return True
        except filelock.Timeout:
            return False

    def release(self) -> None:
        self._lock.release(force=True)


class _AdvisoryLock:
    """``pg_advisory_lock`` held on a dedicated connection for as long as the hold lasts."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def _try(self) -> bool:
        if self._conn is None:
            self._conn = self._engine.connect()
        got = self._conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"),
                                 {"k": ARXIV_LOCK_KEY}).scalar()
        self._conn.commit()
        if not got:
            self._close()
        return bool(got)

    def try_acquire(self) -> bool:
        return self._try()

    def acquire(self, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._try():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(PG_POLL_INTERVAL)
        return True

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ARXIV_LOCK_KEY})
                self._conn.commit()
            finally:
                self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PollLock:
    """Re-entrant within the process (any thread), exclusive across processes."""

    def __init__(self, engine: Engine, sqlite_file: Path | None) -> None:
        self._local = threading.RLock()
        self._depth = 0
        self._other: _CrossProcessLock
        if engine.dialect.name == "postgresql":
            self._other = _AdvisoryLock(engine)
        elif sqlite_file is not None:
            self._other = _FileLock(Path(f"{sqlite_file}.arxiv.lock"))
        else:
            self._other = _NoOtherProcess()

    @contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[bool]:
        """Yield True when another holder (thread or process) had to be waited for."""
        deadline = None if timeout is None else time.monotonic() + timeout
        waited = not self._local.acquire(blocking=False)
        if waited and not self._local.acquire(timeout=-1 if timeout is None else timeout):
            raise _timed_out(timeout)
        try:
            if self._depth == 0:
                if not self._other.try_acquire():
                    waited = True
                    left = None if deadline is None else max(0.0, deadline - time.monotonic())
                    if not self._other.acquire(left):
                        raise _timed_out(timeout)
            self._depth += 1
            try:
                yield waited
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._other.release()
        finally:
            self._local.release()


def _timed_out(timeout: float | None) -> errors.ApiError:
    return errors.ApiError(
        f"another diffsync process has been polling arXiv for over {timeout:g}s; try again later")


class DatabasePacer:
    """A ``pacing.Pacer`` whose clock and cooldown live in the shared database."""

    def __init__(self, lock: PollLock, read: Callable[[], tuple[float | None, float | None]],
                 write: Callable[..., None]) -> None:
        self._lock = lock
        self._read = read
        self._write = write

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._lock.hold():
            yield

    def last_request_at(self) -> float | None:
        return self._read()[0]

    def record_request(self, at: float) -> None:
        self._write(last_request_at=at)

    def cooldown_until(self) -> float | None:
        return self._read()[1]

    def set_cooldown(self, until: float | None, source: str | None = None) -> None:
        self._write(cooldown_until=until, cooldown_source=source if until is not None else None,
                    cooldown_set_at=time.time() if until is not None else None)
