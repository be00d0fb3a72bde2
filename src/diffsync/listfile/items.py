"""List items: a bullet (``-``, ``*``, ``+``) or numbered (``1.``, ``1)``) line and its
continuation lines, the unit of the title-as-link-text and one-line-item shapes.

An item runs until a blank line, the next item (a nested one starts its own
unit) or a line that is not part of it; after a blank line, a line indented at
least to the item's text still belongs to it (``1. **Title**``, blank, then
``    *Authors.* Venue``).
"""

from __future__ import annotations

import re
from typing import Sequence

from .lines import Line

ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,4}[.)])(?:[ \t]+|$)")
_THEMATIC = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BLOCK = re.compile(r"^[ \t]*(?:\||</?(?:details|summary|div|table|p|hr|img|a)\b)", re.IGNORECASE)


def _width(text: str) -> int:
    """Columns of ``text`` (leading blanks), a tab counting to the next multiple of 4."""
    col = 0
    for ch in text:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def item_units(lines: Sequence[Line]) -> list[tuple[Line, Line]]:
    """Each item of ``lines`` as (first line, last line), in file order."""
    units: list[tuple[Line, Line]] = []
    first: Line | None = None
    last: Line | None = None
    content = 0  # the column the item's text starts at
    blank = fenced = False
    for line in lines:
        text = line.text
        if _FENCE.match(text):
            fenced = not fenced
            if first is not None:
                units.append((first, last))  # type: ignore[arg-type]
                first = None
            continue
        if fenced:
            continue
        if not text.strip():
            blank = True
            continue
        m = ITEM.match(text)
        if m and not _THEMATIC.match(text):
            if first is not None:
                units.append((first, last))  # type: ignore[arg-type]
            first = last = line
            content = _width(text[:m.end()])
            blank = False
            continue
        if first is None:
            continue
        indent = _width(text[:len(text) - len(text.lstrip(" \t"))])
        if (blank and indent < max(content, 2)) or (not blank and indent < 2 and _BLOCK.match(text)):
            units.append((first, last))  # type: ignore[arg-type]
            first = None
            continue
        last, blank = line, False
    if first is not None:
        units.append((first, last))  # type: ignore[arg-type]
    return units


__all__ = ["ITEM", "item_units"]
