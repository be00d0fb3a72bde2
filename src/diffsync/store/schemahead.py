"""The newest schema revision, read from the migration scripts' text.

Opening the database must know whether its schema is current.  Asking
Alembic means importing it (about 0.1 s, a sixth of a check's start-up);
reading the ``revision = "..."`` and ``down_revision = ...`` lines of the
few scripts gives the head in a millisecond.  It is only a shortcut: a
database is taken as current when its one stored revision equals this
head, and everything else (no schema yet, older, newer, unclear scripts)
goes to Alembic.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_ASSIGNMENT = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


@lru_cache(maxsize=4)
def plain_head(versions_dir: Path) -> str | None:
    """The one revision no script names as its parent, or None if that is unclear."""
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        for script in sorted(versions_dir.glob("*.py")):
            found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
            names = _QUOTED.findall(found.get("revision", ""))
            if len(names) != 1:
                return None
            revisions.add(names[0])
            parents.update(_QUOTED.findall(found.get("down_revision", "")))
    except (OSError, UnicodeDecodeError):
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
