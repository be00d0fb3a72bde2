"""Is the process behind a run or a daemon still alive?  Heartbeats answer it.

A run records its process id and host when it starts, and beats (writes
the time) every ``HEARTBEAT_SECONDS`` while it works.  It is dead when, on
this host, its process is gone, or, anywhere, its last beat is older than
``STALE_SECONDS``: a process killed by a signal or a timeout never gets to
write "failed", so without this it would be "running" forever.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from types import TracebackType
from typing import Callable

from ..errors import one_line

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
STALE_SECONDS = 120.0  # eight missed beats: the process is frozen, gone, or on a lost host


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host (a zombie does not count)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): kill(0) is the answer


def dead_reason(pid: int | None, host: str | None, beat: datetime | None,
                started: datetime, now: datetime) -> str | None:
    """Why the process that beat last at ``beat`` is taken as dead, or None if it may be alive."""
    last = beat or started
    if pid is not None and host == this_host() and not pid_alive(pid):
        return f"process {pid} on {host} is gone"
    if now - last > timedelta(seconds=STALE_SECONDS):
        who = f"process {pid} on {host}" if pid is not None else "its process"
        return f"{who} stopped beating at {last:%Y-%m-%d %H:%M:%S} UTC"
    return None


class Heartbeat:
    """Calls ``beat`` every ``every`` seconds in a daemon thread while the ``with`` block runs.

    A failing beat is logged and the next one tried: a heartbeat must never
    break the work it reports on.
    """

    def __init__(self, beat: Callable[[], None], every: float = HEARTBEAT_SECONDS) -> None:
        self._beat = beat
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="diffsync-heartbeat", daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._beat()
            except Exception as exc:  # noqa: BLE001
                log.debug("heartbeat not written: %s", one_line(exc))

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
