"""Cyclic garbage collection paused while a command builds what it keeps to its end.

A check or an export builds about a hundred small objects per entry and
frees almost none before it ends; each automatic collection rescans them
all.  ``check`` and ``export`` run inside ``gc_paused``.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside (a check, an export).

    A check builds about a hundred small objects per entry (entries, spans,
    records, findings) and frees almost none of them before it ends; each
    automatic collection rescans all of them, so with it a 10,000-entry
    check spent a third of its time in the collector.  What the check keeps
    is frozen instead (``set_aside``), and the little cyclic garbage it
    makes is collected young; afterwards everything is as before.
    """
    was_enabled = gc.isenabled()
    was_frozen = gc.get_freeze_count() > 0  # someone else's freeze is theirs to undo
    gc.disable()
    try:
        yield
    finally:
        if not was_frozen:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def set_aside(collect: bool = False) -> None:
    """Exempt what the check holds so far from collection; first ``collect`` what is new.

    Collecting only what was made since the last call stays cheap, and frees
    the cycles each HTTP response forms (httpx links a response and its
    stream both ways): otherwise every response body of a 50,000-paper
    fetch would be kept to the end.
    """
    if collect:
        gc.collect(0)
    gc.freeze()
