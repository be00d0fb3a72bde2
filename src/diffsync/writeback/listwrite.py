"""A list rewrite recorded database first: the intent before the file is replaced, the result after.

Export used to replace the list, then record it: with a database that could not be
written it replaced the list, exited 3, and every later export refused ("the list
changed since the last check") while the fixes stayed "accepted".  Now:

1. ``begin``: the intent (old and new sha256, the findings it applies and moves) is
   written first.  A database that cannot be written fails here: the list untouched.
2. The file is replaced (``write_atomic``).  If that fails, the intent is dropped.
3. ``finish``: the rewritten list's entries, the findings moved and applied, the
   intent cleared, in one transaction.

A crash (or a database failing) between 2 and 3 leaves the intent: ``settle``, run
by the next check or export, finds the file as the intent says it was written and
records it then, or finds the old file (the rewrite never happened) and drops it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from ..errors import DatabaseError, one_line
from ..listfile.parse import parse_list
from ..models import ParsedList
from ..store.store import Store

Moves = dict[str, tuple[str, str, int]]


def write_database_first(store: Store, list_id: int, old: ParsedList, written: ParsedList, moves: Moves,
                         applied: list[str], replace_file: Callable[[], None], path: Path) -> list[str]:
    """Record the intent, ``replace_file()``, record the result; the ids now applied.

    Raises ``DatabaseError`` before the file is touched when the database cannot be
    written, and after it was replaced when only the last step failed (saying so: the
    next command records it).
    """
    store.begin_list_write(list_id, {
        "old": old.sha256, "new": written.sha256, "applied": list(applied),
        "moves": {k: list(v) for k, v in moves.items()},
    })
    try:
        replace_file()
    except BaseException:
        _drop(store, list_id)  # the file is as it was: nothing to record
        raise
    try:
        return store.finish_list_write(list_id, written, moves, applied)
    except DatabaseError as exc:
        raise DatabaseError(
            f"{path} was written, but the database could not record it ({one_line(exc)}); "
            "the next diffsync check or export records it") from None


def settle(store: Store, list_id: int, data: bytes, path: Path | str) -> str | None:
    """Finish a rewrite a crash interrupted; a note saying what was done, None if nothing was pending.

    ``data``: the list's bytes as they are now.  Best effort: a database that still
    cannot be written keeps the intent for the next command.
    """
    try:
        intent = store.pending_list_write(list_id)
        if not intent:
            return None
        if hashlib.sha256(data).hexdigest() == intent.get("new"):
            moves = {k: (v[0], v[1], int(v[2])) for k, v in (intent.get("moves") or {}).items()}
            store.finish_list_write(list_id, parse_list(data, str(path)), moves,
                                    list(intent.get("applied") or []))
            return f"{path}: recorded the export an interruption left unrecorded"
        # The old file (never replaced) or one edited since: a check compares it afresh.
        store.finish_list_write(list_id, None, {}, [])
        return None
    except DatabaseError:
        return None


def _drop(store: Store, list_id: int) -> None:
    try:
        store.finish_list_write(list_id, None, {}, [])
    except DatabaseError:
        pass  # settle drops it later: the file still has the old sha256
