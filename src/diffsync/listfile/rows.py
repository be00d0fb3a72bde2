"""Table rows: a Markdown ``| ... |`` row under a header and its ``|---|`` line, or an
HTML ``<tr>``.  The header names the columns, so the title, authors and the one
venue-or-date slot are read from their own cells (``Title``, ``Authors``,
``Venue``/``Pub.``/``Conference``, else ``Date``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from . import notation
from .lines import Line
from .unit import Unit, scan_links
from .unitfields import Hint

_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")
_TR_OPEN = re.compile(r"<tr\b[^>]{0,300}>", re.IGNORECASE)
_TR_CLOSE = re.compile(r"</tr\s*>", re.IGNORECASE)
_CELL_OPEN = re.compile(r"<t([dh])\b[^>]{0,300}>", re.IGNORECASE)
_CELL_CLOSE = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>|\*\*|__|[*_`]")
_TITLE_COLS = ("title", "paper title", "paper", "papers", "name", "paper name", "论文")
_VENUE_COLS = ("venue", "pub.", "pub", "publication", "published", "conference", "conf.", "conf", "journal",
               "where", "published in", "source")
_DATE_COLS = ("date", "time", "year", "month", "release", "released")


def column_name(text: str) -> str:
    return " ".join(_TAGS.sub(" ", text).split()).strip(" :").lower()


@dataclass(frozen=True)
class Row:
    """One row: its byte range, first line, and cells as (start, end) characters of the row's text."""

    start: int
    end: int
    line: int
    cells: tuple[tuple[int, int], ...]
    columns: tuple[str, ...]  # the same tuple object for every row of one table
    text: str = ""  # the row as written


def _cells(text: str) -> list[tuple[int, int]]:
    """The cells of one Markdown row line, each trimmed of its padding."""
    bars = [m.start() for m in _PIPE.finditer(text)]
    lead = len(text) - len(text.lstrip(" \t"))
    edges = bars if text[lead:lead + 1] == "|" else [lead - 1] + bars
    tail = text.rstrip(" \t\r")
    if not tail.endswith("|") or tail.endswith("\\|"):
        edges.append(len(tail))
    out = []
    for a, b in zip(edges, edges[1:]):
        i, j = a + 1, b
        while i < j and text[i] in " \t":
            i += 1
        while j > i and text[j - 1] in " \t":
            j -= 1
        out.append((i, j))
    return out


def markdown_rows(lines: Sequence[Line]) -> list[Row]:
    """Rows of every Markdown table in ``lines`` (the header and separator are not rows)."""
    rows: list[Row] = []
    columns: tuple[str, ...] | None = None
    for k, line in enumerate(lines):
        text = line.text
        if "|" not in text or not text.strip():
            columns = None
            continue
        if columns is None:
            if k + 1 < len(lines) and _SEPARATOR.match(lines[k + 1].text) and "-" in lines[k + 1].text:
                columns = tuple(column_name(text[i:j]) for i, j in _cells(text))
            continue
        if _SEPARATOR.match(text):
            continue
        rows.append(Row(line.start, line.end, line.number, tuple(_cells(text)), columns, text))
    return rows


def _pairs(opens: re.Pattern[str], closes: re.Pattern[str], text: str, lo: int, hi: int
           ) -> list[tuple[re.Match[str], int, int]]:
    """Each closing tag with the last opening tag before it (and after the previous pair):
    (the opening match, where the body ends, where the closing tag ends). One pass each, so
    a file of unclosed tags stays linear (a lazy ``<tr>.*?</tr>`` rescans the rest per tag)."""
    found = list(opens.finditer(text, lo, hi))
    pairs, k, last = [], 0, None
    for close in closes.finditer(text, lo, hi):
        while k < len(found) and found[k].end() <= close.start():
            if found[k].start() >= (pairs[-1][2] if pairs else lo):
                last = found[k]
            k += 1
        if last is not None:
            pairs.append((last, close.start(), close.end()))
            last = None
    return pairs


def html_rows(data: bytes, lines: Sequence[Line]) -> list[Row]:
    """Rows of HTML tables (``<tr>``) in ``lines``; a header row of ``<th>`` names the columns."""
    if not lines:
        return []
    start, end = lines[0].start, lines[-1].end
    text = data[start:end].decode("utf-8", "surrogateescape")
    if "<tr" not in text.lower():
        return []
    unit = Unit(data, start, end, lines[0].number)
    rows: list[Row] = []
    columns: tuple[str, ...] = ()
    for tr, body_end, end in _pairs(_TR_OPEN, _TR_CLOSE, text, 0, len(text)):
        cells = _pairs(_CELL_OPEN, _CELL_CLOSE, text, tr.end(), body_end)
        if cells and all(c.group(1).lower() == "h" for c, _, _ in cells):
            columns = tuple(column_name(text[c.end():stop]) for c, stop, _ in cells)
            continue
        base = tr.start()
        spans = tuple((c.end() - base, stop - base) for c, stop, _ in cells)
        line = lines[0].number + text.count("\n", 0, base)
        rows.append(Row(unit.byte(base), unit.byte(end), line, spans, columns, text[base:end]))
    return rows


def _column(columns: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in columns:
            return columns.index(name)
    for k, col in enumerate(columns):
        if any(col.startswith(n) for n in names[:1]):
            return k
    return None


def row_hint(unit: Unit, row: Row) -> Hint:
    """Where the row's title, authors and venue-or-date stand, by the header's column names."""
    text = unit.text
    cols = row.columns
    title_col = _column(cols, _TITLE_COLS)
    title = None
    if title_col is not None and title_col < len(row.cells):
        i, j = row.cells[title_col]
        for link in scan_links(text[:j]):
            if link.at[0] >= i and link.form in ("link", "html") and not notation.is_link_word(link.label):
                li, lj = link.label_at
                while li < lj and text[li] in " \t*":
                    li += 1
                while lj > li and text[lj - 1] in " \t*.":
                    lj -= 1
                title = (li, lj, ("cell", "link"))
                break
        if title is None:
            cut = re.search(r"<br\s*/?>|!\[|\[!\[|\[|\(", text[i:j], re.IGNORECASE)
            end = i + cut.start() if cut else j
            while i < end and text[i] in " \t*":
                i += 1
            while end > i and text[end - 1] in " \t*.":
                end -= 1
            if end > i:
                title = (i, end, ("cell",))
    author_col = _column(cols, ("authors", "author"))
    venue_col = _column(cols, _VENUE_COLS)
    if venue_col is None:
        venue_col = _column(cols, _DATE_COLS)
    venue = authors = None
    if venue_col is not None and venue_col < len(row.cells):
        i, j = row.cells[venue_col]
        if j > i and notation.is_venue_or_date(text[i:j]):
            venue = (i, j)
    if author_col is not None and author_col < len(row.cells) and row.cells[author_col][1] > row.cells[author_col][0]:
        authors = row.cells[author_col]
    return Hint(title=title, authors=authors, venue=venue)


__all__ = ["Row", "html_rows", "markdown_rows", "row_hint"]
