"""Fixes written in the entry's own unit: a table cell, link text, a heading, a list item.

Text from arXiv is made safe for the markup around the span it replaces
(``Entry.title_context``): besides what ``markdown_text`` escapes everywhere
(emphasis, brackets, tags, entities, line breaks), a ``|`` is escaped inside a
table cell (with any backslash before it, so ``\\|`` cannot turn back into a
cell border), a ``"`` inside a quoted title, a trailing ``#`` inside a heading
(it would read as the heading's closing sequence), and inside an HTML row the
text is HTML-escaped, since Markdown is not read there.

An arXiv ID is written the way the list writes IDs: the section's (else the
list's) most common ``Entry.id_form`` decides, and the nearest entry written
that way is the template, its ID swapped for the new one, so a badge stays a
badge, a bare URL a bare URL, ``http://…/pdf/ID.pdf`` stays that form.  A label
that names a venue or a year is never copied (it belongs to the neighbour's
paper): it becomes "arXiv".
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from collections import Counter
from typing import Sequence

from ..listfile.dates import format_date_like
from ..listfile.safetext import markdown_text
from ..models import Entry, Link, ParsedList, Span

# What a row's cell may hold when it holds nothing (DmitryRyumin writes :heavy_minus_sign:).
_EMPTY_CELL = re.compile(r"^\s*(?::heavy_minus_sign:|-|—|–|n/?a|none|)\s*$", re.IGNORECASE)
# A label that says where or when a paper appeared: "CVPR 2025", "ICCV'23", "2024".
_DATED_LABEL = re.compile(r"(?:19|20)\d\d|'\d\d\b|\b(?:cvpr|iccv|eccv|neurips|nips|icml|iclr|aaai|ijcai|acl"
                          r"|emnlp|naacl|siggraph|tpami|wacv|bmvc|corl|icra|iros|rss)\b", re.IGNORECASE)


# Line breaks, controls and bidirectional marks: nothing a reader could mistake for structure.
_UNSEEN = re.compile("[\x00-\x1f\x7f\u2028\u2029\x85\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class CannotLink(Exception):
    """The list shows no way to write this ID here; the message says why."""


# ---------------------------------------------------------------------------
# Text made safe for the markup around it
# ---------------------------------------------------------------------------


def is_html_row(data: bytes, e: Entry) -> bool:
    return e.shape == "row" and data[e.span.start:e.span.end].lstrip().startswith(b"<")


def _cell_text(text: str) -> str:
    # Each piece between bars escaped alone, so a backslash before a bar is escaped
    # as a backslash and the bar itself stays escaped.
    pieces = text.split("|")
    out = []
    for piece in pieces:
        lead = " " if piece[:1].isspace() else ""
        trail = " " if piece[-1:].isspace() and piece.strip() else ""
        out.append(lead + markdown_text(piece) + trail)
    return "\\|".join(out)


def safe_text(text: str, context: Sequence[str], *, html_row: bool = False) -> str:
    """``text`` on one line, rendering as itself inside ``context`` and opening nothing there."""
    if html_row:
        return html.escape(" ".join(_UNSEEN.sub(" ", text).split()), quote=False)
    if "cell" in context:
        out = _cell_text(" ".join(text.split()))
    else:
        out = markdown_text(text)
    if "quote" in context:
        out = out.replace('"', '\\"')
    if "heading" in context:
        out = re.sub(r"#+$", lambda m: "\\#" * len(m.group()), out)
    return out


def title_text(data: bytes, e: Entry, title: str) -> str:
    return safe_text(title, e.title_context, html_row=is_html_row(data, e))


def field_text(data: bytes, e: Entry, text: str) -> str:
    """A venue, date or author text for ``e``: in a row it sits in a cell."""
    return safe_text(text, ("cell",) if e.shape == "row" else (), html_row=is_html_row(data, e))


# Dates to the month or year, the other shapes' notations: "2023-04", "[2023/04]", "(2024.01.18)",
# "Oct 2023", "October 2023", "Oct. 2023", "2023"; the day-precise ones go to format_date_like.
_NUMERIC = re.compile(r"(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d\d)(?:(?P=sep)(?P<d>\d\d))?(?!\d)")
_MONTH_YEAR = re.compile(r"\b(?P<mon>[A-Za-z]{3,9})(?P<dot>\.?)(?P<gap>,?\s+)(?P<y>(?:19|20)\d\d)\b")
_YEAR_ONLY = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}


def date_like(example: str, new: datetime.date) -> str:
    """``new`` written in the notation of ``example``, to the precision it writes."""
    m = _NUMERIC.search(example)
    if m:
        text = f"{new.year}{m['sep']}{new.month:02d}" + (f"{m['sep']}{new.day:02d}" if m["d"] else "")
        return example[:m.start()] + text + example[m.end():]
    m = _MONTH_YEAR.search(example)
    if m and m["mon"].lower() in _MONTHS and not re.search(r"\d{1,2}\s*" + re.escape(m["mon"]), example):
        word = m["mon"]
        name = calendar.month_name[new.month] if len(word) > 3 and word.lower() != "sept" else \
            calendar.month_abbr[new.month]
        name = name.upper() if word.isupper() else name.lower() if word.islower() else name
        return example[:m.start()] + name + m["dot"] + m["gap"] + str(new.year) + example[m.end():]
    if _YEAR_ONLY.fullmatch(example.strip("()[] ")):
        return _YEAR_ONLY.sub(str(new.year), example, count=1)
    return format_date_like(example, new)


# ---------------------------------------------------------------------------
# IDs: every mention of one, and a new one written like the neighbours'
# ---------------------------------------------------------------------------


def _id_pattern(arxiv_id: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\w.])" + re.escape(arxiv_id.encode()) + rb"(?:v\d+)?(?![\d])")


def id_mentions(data: bytes, e: Entry) -> list[Span]:
    """Every place inside ``e`` that writes its arXiv ID (a badge and a title link both do)."""
    if e.arxiv_id is None:
        return []
    return [Span(m.start(), m.end()) for m in _id_pattern(e.arxiv_id).finditer(data, e.span.start, e.span.end)]


def _id_link(e: Entry) -> Link | None:
    """The link of ``e`` that holds its ID."""
    at = e.arxiv_id_span
    if at is None:
        return None
    return next((ln for ln in e.links if ln.span.start <= at.start and at.end <= ln.span.end), None)


def _neighbour(parsed: ParsedList, e: Entry) -> Entry:
    """The nearest entry written in the section's (else the list's) most common ID form."""
    def linked(group: Sequence[Entry]) -> list[Entry]:
        return [x for x in group if x.arxiv_id and x.id_form and x is not e]
    same = linked([x for x in parsed.entries if x.section == e.section and x.shape == e.shape])
    group = same if len(same) >= 2 else linked([x for x in parsed.entries if x.shape == e.shape])
    if not group:
        raise CannotLink("no entry of this shape links arXiv to copy the form from")
    form = Counter(x.id_form for x in group).most_common(1)[0][0]
    return min((x for x in group if x.id_form == form), key=lambda x: abs(x.line - e.line))


def swap_id(text: str, old: str, new: str) -> str:
    return re.sub(r"(?<![\w.])" + re.escape(old) + r"(?:v\d+)?(?!\d)", new, text)


def undated_label(text: str, label: str) -> str:
    """A link as the neighbour wrote it, its ``label`` "arXiv" when it names a venue or year."""
    if label and _DATED_LABEL.search(label):
        return text.replace(label, "arXiv", 1)
    return text


def _line_end(data: bytes, at: int) -> int:
    """Where the content of the line holding ``at`` ends (before its line ending)."""
    m = re.compile(rb"\r\n|\r|\n").search(data, at)
    return m.start() if m else len(data)


def _line_start(data: bytes, at: int) -> int:
    return max(data.rfind(b"\n", 0, at), data.rfind(b"\r", 0, at)) + 1


def _text(data: bytes, span: Span) -> str:
    return data[span.start:span.end].decode("utf-8", "surrogateescape")


def link_new_id(data: bytes, parsed: ParsedList, e: Entry, new_id: str,
                newline: str) -> list[tuple[Span, str]]:
    """Edits (span, new text; an empty span inserts) that give ``e`` the arXiv ID ``new_id``,
    written as the list writes IDs."""
    model = _neighbour(parsed, e)
    assert model.arxiv_id is not None
    link = _id_link(model)
    if model.id_form == "title-link" and link is not None:
        url = swap_id(link.url, model.arxiv_id, new_id)
        if "link" not in e.title_context:
            return [(Span(e.title_span.start, e.title_span.start), "["),
                    (Span(e.title_span.end, e.title_span.end), f"]({url})")]
        # the title already links elsewhere (a venue page): arXiv goes beside it
        own = next((ln for ln in e.links if ln.span.start <= e.title_span.start < ln.span.end), None)
        at = own.span.end if own else _line_end(data, e.title_span.end)
        return [(Span(at, at), f" [arXiv]({url})")]
    if model.id_form == "bare" or link is None:
        return [_bare_line(data, model, e, new_id, newline)]
    piece = undated_label(swap_id(_text(data, link.span), model.arxiv_id, new_id), link.label)
    if e.shape == "row":
        return [_into_cell(data, model, link, e, piece)]
    return [_beside_links(data, model, link, e, piece)]


def _bare_line(data: bytes, model: Entry, e: Entry, new_id: str, newline: str) -> tuple[Span, str]:
    """A line like the neighbour's ``- Paper: https://arxiv.org/abs/ID`` line, after ``e``'s title line."""
    at = model.arxiv_id_span
    if at is None:
        raise CannotLink("the list's bare arXiv URLs could not be located")
    start, end = _line_start(data, at.start), _line_end(data, at.end)
    line = swap_id(data[start:end].decode("utf-8", "surrogateescape"), model.arxiv_id or "", new_id)
    if model.shape == "row" or start <= model.title_span.start:
        raise CannotLink("the ID shares its line with the title; no line to copy")
    # after e's line with the same prefix (its other Paper: line), else after its title line
    prefix = data[start:at.start].split(b"http")[0]
    anchor = e.title_span.end
    pos = e.span.start
    while pos < e.span.end:
        end_here = _line_end(data, pos)
        if prefix.strip() and data[pos:end_here].startswith(prefix):
            anchor = pos
        pos = end_here + (2 if data[end_here:end_here + 2] == b"\r\n" else 1)
    after = _line_end(data, anchor)
    return Span(after, after), newline + line


def _into_cell(data: bytes, model: Entry, link: Link, e: Entry, piece: str) -> tuple[Span, str]:
    index = next((i for i, c in enumerate(model.cells) if c.start <= link.span.start < max(c.end, c.start + 1)),
                 None)
    if index is None or index >= len(e.cells):
        raise CannotLink("the row has no cell where its neighbours keep the arXiv link")
    cell = e.cells[index]
    if _EMPTY_CELL.match(_text(data, cell)):
        return cell, piece
    # the neighbour's separator before its arXiv link in that cell (" <br /> "), else a space
    before = [ln for ln in model.links if model.cells[index].start <= ln.span.start < link.span.start]
    sep = _text(data, Span(before[-1].span.end, link.span.start)) if before else " "
    if "\n" in sep or "\r" in sep or "|" in sep:
        sep = " "
    return Span(cell.end, cell.end), sep + piece


def _beside_links(data: bytes, model: Entry, link: Link, e: Entry, piece: str) -> tuple[Span, str]:
    """Before ``e``'s first other link when the neighbour's arXiv link comes first, else after its last."""
    title_link = [ln for ln in e.links if ln.span.start <= e.title_span.start < ln.span.end]
    others = [ln for ln in e.links if ln not in title_link]
    model_others = [ln for ln in model.links if not (ln.span.start <= model.title_span.start < ln.span.end)]
    if others and model_others and model_others[0] is link:
        after = model_others[1] if len(model_others) > 1 else None
        sep = _text(data, Span(link.span.end, after.span.start)) if after else " "
        sep = sep if sep.strip() in ("", "|", "·", "/", ",") and "\n" not in sep and "\r" not in sep else " "
        return Span(others[0].span.start, others[0].span.start), piece + sep
    if others:
        return Span(others[-1].span.end, others[-1].span.end), " " + piece
    at = _line_end(data, e.title_span.end)
    return Span(at, at), " " + piece
