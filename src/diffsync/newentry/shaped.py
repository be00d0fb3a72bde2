"""Where and how ``add`` writes a new entry into a section of list items, table rows or headings.

The section's own entries of its most common shape are the template
(``template``); the new entry goes at the top of the section, or at its
place by date when the section keeps a date order, separated from its
neighbours as they are separated from each other (nothing between rows and
items, the blank lines between heading blocks).  A numbered item takes the
number of the item it is written before (the list keeps its start), or the
last one's plus one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ..errors import UsageError
from ..models import Entry, PaperRecord, ParsedList
from .place import Section
from .style import section_order
from .template import render_item, render_row

_NUMBER = re.compile(r"^([ \t]*(?:#{1,6}[ \t]+)?)(\d+)([.)][ \t])")  # an item's "3. ", a heading's "### 3. "


@dataclass(frozen=True)
class ShapedInsertion:
    at: int
    text: str  # the whole new entry, with the separator on the side away from ``at``'s neighbour
    shape: str


def section_shape(groups: Sequence[Sequence[Entry]]) -> str:
    """The shape most entries linking arXiv in the nearest circle that has any are in."""
    for group in groups:
        linked = [e for e in group if e.arxiv_id]
        if linked:
            counts = Counter(e.shape for e in linked)
            return max(counts, key=lambda s: (counts[s], s == "paragraph"))
    return "paragraph"


def _own(parsed: ParsedList, section: Section, shape: str) -> list[Entry]:
    """The section's own entries of ``shape``; a heading-per-paper section's are the
    heading blocks up to the next heading at the section's level or above."""
    if shape != "heading" or section.heading is None:
        return [e for e in section.entries if e.shape == shape]
    h = section.heading
    papers = {e.line for e in parsed.entries if e.shape == "heading"}
    after = [x.line for x in parsed.headings if x.line > h.line and x.level <= h.level and x.line not in papers]
    end = after[0] if after else float("inf")
    return [e for e in parsed.entries if e.shape == "heading" and h.line < e.line < end]


def _voters(data: bytes, groups: Sequence[Sequence[Entry]], shape: str) -> list[Entry]:
    for group in groups:
        linked = [e for e in group if e.shape == shape and e.arxiv_id and e.id_form]
        if len(linked) >= 3 or (linked and group is groups[-1]):
            return linked
    raise UsageError(f"no {shape} of the list links arXiv; nothing to write the new entry like")


_DELIMITER_ROW = re.compile(rb"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?(?:\r\n|\r|\n|$)", re.M)


def _empty_table(data: bytes, parsed: ParsedList, section: Section) -> tuple[int, int] | None:
    """(where its first row goes, its column count) for a table in ``section`` that has only a header."""
    if section.heading is None:
        return None
    later = [h.span.start for h in parsed.headings if h.line > section.heading.line]
    m = _DELIMITER_ROW.search(data, section.heading.span.end, later[0] if later else len(data))
    if m is None:
        return None
    return m.end(), len(re.findall(rb"-+", m.group()))


def _gap(data: bytes, entries: Sequence[Entry]) -> bytes:
    gaps = [data[a.span.end:b.span.start] for a, b in zip(entries, entries[1:])]
    gaps = [g for g in gaps if not g.strip()]
    return Counter(gaps).most_common(1)[0][0] if gaps else b""


def _numbered(text: str, number: int) -> str:
    return _NUMBER.sub(lambda m: m.group(1) + str(number) + m.group(3), text, count=1)


def plan_shaped(data: bytes, parsed: ParsedList, section: Section, groups: Sequence[Sequence[Entry]],
                record: PaperRecord, shape: str) -> ShapedInsertion:
    own = _own(parsed, section, shape)
    voters = _voters(data, (own, *groups), shape)
    nl = parsed.newline
    header = None if own or shape != "row" else _empty_table(data, parsed, section)
    if shape == "row":
        near = [e for e in voters if e in own] or \
            [e for e in voters if header is not None and len(e.cells) == header[1]]
        if not near:
            raise UsageError("the section has no table to add a row to; give --under a section with a table")
        text = render_row(data, near[0], voters, record)
    else:
        text = render_item(data, voters, record)
    if not text.endswith(("\n", "\r")):
        text += nl
    if header is not None:
        return ShapedInsertion(header[0], text, shape)  # the first row, under the header
    if not own:
        at = section.heading.span.end if section.heading is not None else len(data)
        return ShapedInsertion(at, nl + text, shape)
    gap = _gap(data, own).decode("utf-8", "surrogateescape")
    published = record.published.date()
    order = section_order(own)
    follows = None
    if order == "top":
        follows = own[0]
    else:
        newest_first = order == "newest first"
        follows = next((e for e in own if e.date is not None
                        and (e.date < published if newest_first else e.date > published)), None)
    if follows is not None:
        m = _NUMBER.match(data[follows.span.start:follows.span.end].decode("utf-8", "surrogateescape"))
        return ShapedInsertion(follows.span.start, (_numbered(text, int(m.group(2))) if m else text) + gap, shape)
    last = own[-1]
    m = _NUMBER.match(data[last.span.start:last.span.end].decode("utf-8", "surrogateescape"))
    lead = nl if data[last.span.end - 1:last.span.end] not in (b"\n", b"\r") else ""
    return ShapedInsertion(last.span.end, lead + gap + (_numbered(text, int(m.group(2)) + 1) if m else text), shape)
