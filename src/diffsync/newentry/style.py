"""How a list writes its entries, learned from the entries themselves.

A hand-kept list has a dominant style and many exceptions, so each part of
an entry is decided by a vote among the entries of the section a new one
goes into, then (where too few of them have that part) among the sections
under the same parent heading, then the whole list: the line templates
around title, authors, venue and date, the line-ending backslash, the
author separators, the date format, the labels of the arXiv and GitHub
links, the blank lines between entries and the order the section keeps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence, TypeVar

from ..drift.venues import is_placeholder
from ..listfile.text import split_authors
from ..models import Entry, Span

T = TypeVar("T")

# Below this many voters a part is decided by the next, wider circle of entries.
_MIN_VOTERS = 3
_CONTINUATION = re.compile(r"[ \t]*\\[ \t]*$")


@dataclass(frozen=True)
class LineTemplate:
    """A line as ``before + field + after``; the continuation is kept apart."""

    before: str
    after: str


@dataclass(frozen=True)
class EntryStyle:
    title: LineTemplate  # e.g. ("  **", "**")
    authors: LineTemplate | None  # None: the list's entries have no author line
    authors_example: str  # an author line as written, for its separators
    venue_line: LineTemplate | None  # before the venue, after the link; None: no such line
    venue_example: str  # e.g. "arXiv 2023.": the placeholder, its year replaced
    link_gap: str  # between the venue text and the link
    link_label: str  # the arXiv link's label, e.g. "Paper"
    code_label: str  # a GitHub link's label, e.g. "Github" or "Code"
    date: LineTemplate | None  # e.g. ("  [Submitted on ", "]"); None: entries carry no date
    date_example: str  # a date as written, for its format
    indent: str  # of a summary line
    continuation: str  # what ends every line but the last: "\\" or " \\"
    separator: str  # between two entries: the blank line(s) as written
    order: str  # "newest first", "oldest first" or "top" (new entries go first)


def _vote(groups: Sequence[Sequence[Entry]], pick: Callable[[Entry], T | None],
          key: Callable[[T], Hashable] = lambda v: v) -> T | None:
    """The most common value in the first of ``groups`` (the section, its neighbours, the
    whole list) where at least a few entries have one; ties go to the wider groups' favourite."""
    counted = []
    for voters in groups:
        values = [v for v in map(pick, voters) if v is not None]
        counted.append((values, Counter(key(v) for v in values)))
    for n, (values, counts) in enumerate(counted):
        if len(values) >= _MIN_VOTERS or (values and n == len(counted) - 1):
            return max(values, key=lambda v: tuple(c[key(v)] for _, c in counted[n:]))
    return None


class _Reader:
    """Byte spans of one list turned into the text around them on their line."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def around(self, span: Span) -> tuple[str, str, str]:
        """(before, after, continuation) of ``span`` on its line."""
        data = self.data
        start = max(data.rfind(b"\n", 0, span.start), data.rfind(b"\r", 0, span.start)) + 1
        end = span.end
        while end < len(data) and data[end] not in b"\r\n":
            end += 1
        before = data[start:span.start].decode("utf-8", "replace")
        after = data[span.end:end].decode("utf-8", "replace")
        m = _CONTINUATION.search(after)
        return before, after[:m.start()] if m else after, m.group() if m else ""

    def line_text(self, span: Span) -> str:
        return self.data[span.start:span.end].decode("utf-8", "replace")


def _title_line(r: _Reader) -> Callable[[Entry], tuple[LineTemplate, str]]:
    def pick(e: Entry) -> tuple[LineTemplate, str]:
        before, after, cont = r.around(e.title_span)
        return LineTemplate(before, after), cont
    return pick


def _authors_line(r: _Reader) -> Callable[[Entry], tuple[LineTemplate, str] | None]:
    def pick(e: Entry) -> tuple[LineTemplate, str] | None:
        if e.authors_span is None:
            return None
        before, after, _ = r.around(e.authors_span)
        return LineTemplate(before, after), r.line_text(e.authors_span)
    return pick


def _arxiv_link(e: Entry):
    return next((ln for ln in e.links if "arxiv.org" in ln.url.lower() and not ln.broken), None)


def _venue_line(r: _Reader) -> Callable[[Entry], tuple[LineTemplate, str, str] | None]:
    """(template, gap, label) of an entry whose venue line is "venue + arXiv link"."""
    def pick(e: Entry) -> tuple[LineTemplate, str, str] | None:
        link = _arxiv_link(e)
        if e.venue_span is None or link is None or link.span.start < e.venue_span.end:
            return None
        before, _, _ = r.around(e.venue_span)
        _, after, _ = r.around(link.span)
        # the links after the arXiv one are that paper's own (code, project page): not copied
        after = "" if "[" in after else after
        gap = r.data[e.venue_span.end:link.span.start].decode("utf-8", "replace")
        if gap.strip():
            gap = " "  # other links stood between: one space, as before them
        return LineTemplate(before, after), gap, link.label
    return pick


def _code_label(e: Entry) -> str | None:
    return next((ln.label for ln in e.links if "github.com/" in ln.url.lower() and not ln.broken
                 and ln.label.strip()), None)


def _date_line(r: _Reader) -> Callable[[Entry], tuple[LineTemplate, str] | None]:
    def pick(e: Entry) -> tuple[LineTemplate, str] | None:
        if e.date_span is None:
            return None
        before, after, _ = r.around(e.date_span)
        if "[[" in before + after or "](" in before + after:
            return None  # the date shares its line with links: not a date line to copy
        return LineTemplate(before, after), r.line_text(e.date_span)
    return pick


def _date_shape(value: tuple[LineTemplate, str]) -> Hashable:
    template, example = value
    return template, re.sub(r"\d", "9", re.sub(r"[A-Za-z]+", "M", example))


def _placeholder(e: Entry) -> str | None:
    """An entry's venue when it only says "arXiv 2023." (no venue of its own)."""
    return e.venue if is_placeholder(e.venue) else None


def _separator(data: bytes, entries: Sequence[Entry]) -> str | None:
    gaps = [data[a.span.end:b.span.start] for a, b in zip(entries, entries[1:])]
    gaps = [g for g in gaps if not g.strip()]  # only blank lines between them
    if not gaps:
        return None
    return Counter(gaps).most_common(1)[0][0].decode("utf-8", "replace")


def section_order(entries: Sequence[Entry]) -> str:
    """"newest first", "oldest first", or "top" when the section keeps no date order."""
    dates = [e.date for e in entries if e.date is not None]
    pairs = list(zip(dates, dates[1:]))
    if len(pairs) < 2:
        return "top"
    newest_first = sum(1 for a, b in pairs if a >= b)
    oldest_first = sum(1 for a, b in pairs if a <= b)
    if newest_first >= 0.8 * len(pairs) and newest_first > oldest_first:
        return "newest first"
    if oldest_first >= 0.8 * len(pairs) and oldest_first > newest_first:
        return "oldest first"
    return "top"


def learn_style(data: bytes, groups: Sequence[Sequence[Entry]], newline: str) -> EntryStyle:
    """The style of a new entry among ``groups``: its section's entries, then wider circles
    (the sections beside it, the whole list), each consulted where the one before is too small."""
    r = _Reader(data)
    title = _vote(groups, _title_line(r))
    assert title is not None, "a parsed list has entries"
    authors = _vote(groups, _authors_line(r), key=lambda v: (v[0], _author_separators(v[1])))
    if authors is not None:
        # Of the author lines in that style, the one with the most names shows the separators best.
        same = [a for group in groups for a in map(_authors_line(r), group)
                if a and (a[0], _author_separators(a[1])) == (authors[0], _author_separators(authors[1]))]
        authors = max(same, key=lambda a: len(split_authors(a[1])), default=authors)
    venue = _vote(groups, _venue_line(r))
    date = _vote(groups, _date_line(r), key=_date_shape)
    conts = _vote(groups, lambda e: _title_line(r)(e)[1] or None)
    section = groups[0]
    separator = next((sep for sep in (_separator(data, g) for g in groups) if sep), newline)
    return EntryStyle(
        title=title[0],
        authors=authors[0] if authors else None,
        authors_example=authors[1] if authors else "",
        venue_line=venue[0] if venue else None,
        venue_example=_vote(groups, _placeholder, key=lambda v: re.sub(r"\d", "9", v)) or "arXiv 2000.",
        link_gap=venue[1] if venue else " ",
        link_label=venue[2] if venue else "Paper",
        code_label=_vote(groups, _code_label) or "Code",
        date=date[0] if date else None,
        date_example=date[1] if date else "",
        indent=re.match(r"[ \t]*", title[0].before).group(),
        continuation=conts or " \\",
        separator=separator,
        order=section_order(section),
    )


def _author_separators(text: str) -> str:
    """The punctuation between names, for voting on author styles."""
    return re.sub(r"[^,;&]+", "", re.sub(r"\band\b", "&", text))
