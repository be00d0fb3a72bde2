"""The bundled example: a small list with planted drift, and the papers the fake serves for it.

The papers are real papers' public metadata (titles, authors, IDs and dates
are facts), plus two invented states that exist only here: a withdrawal and
a later version.  ``diffsync demo`` and the end-to-end tests both use them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..models import PaperRecord
from .feed import load_papers

EXAMPLE_DIR = Path(str(files(__package__) / "example"))
EXAMPLE_LIST = EXAMPLE_DIR / "list.md"
EXAMPLE_PAPERS = EXAMPLE_DIR / "papers.json"


def example_papers() -> list[PaperRecord]:
    return load_papers(str(EXAMPLE_PAPERS))
