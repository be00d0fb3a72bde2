"""The daemon as a long-lived process: memory, signals, one daemon per list, a steady clock.

A check runs inside ``gcpause.gc_paused``: what it builds is frozen, so no
automatic collection rescans it.  Unfrozen at the end, all of it lands in the
oldest generation, which a short ``diffsync check`` never needs collected but
a daemon running for months does: without a full collection after each run
its memory grew by the size of every run's garbage (+3 MB a run on a
3,000-entry list).
"""

from __future__ import annotations

import gc
import os
import signal
import time
from typing import Any, Callable

from ..store import liveness

# TERM and INT from a service manager or Ctrl-C; HUP when the terminal closes or a manager
# sends it for a reload.  Each ends the daemon cleanly: its run finishes the batch, or is
# recorded "interrupted", and the report is written.  (HUP does not reload: restart it.)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def give_back_memory() -> int:
    """A full collection after a run: what the run left (cycles included) is freed; how many."""
    return gc.collect()


def is_ours(row: Any) -> bool:
    """Whether a run was started by this very process (pid and host): the only runs a
    daemon may end as interrupted or failed; another daemon's are its own business."""
    return row.pid == os.getpid() and row.host == liveness.this_host()


def monotonic_interval(seconds: float, run: Callable[[], Any], stopped: Callable[[float], bool],
                       clock: Callable[[], float] = time.monotonic) -> None:
    """Call ``run`` now and every ``seconds`` after, on the monotonic clock, until ``stopped``.

    ``stopped(timeout)`` waits up to ``timeout`` seconds and says whether to stop.  The
    wall clock may step back an hour (NTP, a VM resumed): a schedule kept in wall-clock
    times would then run nothing for that hour.
    """
    due = clock()
    while True:
        wait = due - clock()
        if wait > 0:
            if stopped(min(wait, 0.5)):
                return
            continue
        if stopped(0):
            return
        run()
        due = max(due + seconds, clock())  # a run longer than the interval is not caught up
