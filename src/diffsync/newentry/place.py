"""Where a new entry goes: under which heading, and where in that section.

A section that keeps its entries newest first (or oldest first) gets the
new one at its place by date; any other section gets it at the top.
``today`` names today's dated section ("### 10 Mar. 2023" in the reference
list), which is created in the list's own heading format when missing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..errors import UsageError
from ..listfile.dates import format_date_like, parse_date
from ..models import Entry, Heading, ParsedList
from ..textnorm import collapse

TODAY = "today"


@dataclass(frozen=True)
class Section:
    heading: Heading | None  # None: the list has no headings above its entries
    entries: tuple[Entry, ...]  # its own entries (not those under its subheadings)
    style_from: tuple[Entry, ...]  # whose style a new entry follows (a new section: its neighbour's)
    new_heading: str | None = None  # today's heading line to create, without its newline


@dataclass(frozen=True)
class Insertion:
    at: int  # byte offset in the list
    before: str  # written before the entry (blank lines, a new heading)
    after: str  # written after it


def _own_entries(parsed: ParsedList, heading: Heading | None) -> tuple[Entry, ...]:
    following = [h for h in parsed.headings if heading is None or h.line > heading.line]
    start = heading.line if heading is not None else 0
    end = following[0].line if following else float("inf")
    return tuple(e for e in parsed.entries if start < e.line < end)


def _dated(parsed: ParsedList) -> list[tuple[Heading, date]]:
    """Headings that are a date and nothing else ("10 Mar. 2023")."""
    out = []
    for h in parsed.headings:
        found = parse_date(h.text)
        if found is not None and found[2] - found[1] >= len(h.text.strip()) - 1:
            out.append((h, found[0]))
    return out


def find_section(data: bytes, parsed: ParsedList, under: str | None, today: date) -> Section:
    """The section named by ``--under`` (a heading's text, or ``today``)."""
    if under is not None and not under.strip():
        raise UsageError("--under needs the text of a heading (or today)")
    if under is not None and under.strip().lower() == TODAY:
        return _today(data, parsed, today)
    with_entries = [h for h in parsed.headings if _own_entries(parsed, h)]
    if under is None:
        if not parsed.headings or not with_entries:
            entries = _own_entries(parsed, None)
            return Section(None, entries, entries)
        if len(with_entries) == 1:
            entries = _own_entries(parsed, with_entries[0])
            return Section(with_entries[0], entries, entries)
        names = ", ".join(f'"{h.text}"' for h in with_entries[:4])
        more = f" and {len(with_entries) - 4} more" if len(with_entries) > 4 else ""
        raise UsageError(f"say where the entry goes: --under HEADING (headings with entries: {names}{more})"
                         + (", or --under today" if _dated(parsed) else ""))
    matches = _matching(parsed, under)
    if not matches:
        close = difflib.get_close_matches(under, [h.text for h in parsed.headings], n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise UsageError(f'no heading "{under}" in the list{hint}')
    if len(matches) > 1:
        paths = ", ".join(f'"{heading_path(parsed, h)}" (line {h.line})' for h in matches[:4])
        raise UsageError(f'{len(matches)} headings read "{under}": {paths}; give the one you mean '
                         f'with its parents, as --under "{heading_path(parsed, matches[0])}"')
    entries = _own_entries(parsed, matches[0])
    return Section(matches[0], entries, entries or parsed.entries)


def _ancestors(parsed: ParsedList, h: Heading) -> list[Heading]:
    """``h`` and the headings it is under, outermost first."""
    chain = [h]
    for other in reversed(parsed.headings[:parsed.headings.index(h)]):
        if other.level < chain[-1].level:
            chain.append(other)
    return chain[::-1]


def heading_path(parsed: ParsedList, h: Heading) -> str:
    """"Papers / Image Generation": a heading named with the headings it is under; where that
    names several ("Topic: / 2024:" kept as siblings), with the heading before it instead."""
    path = " / ".join(x.text for x in _ancestors(parsed, h))
    if len(_matching(parsed, path)) <= 1:
        return path
    before = _heading_before(parsed, h)
    sibling = f"{before.text} / {h.text}" if before is not None else path
    return sibling if _matching(parsed, sibling) == [h] else path


def _heading_before(parsed: ParsedList, h: Heading) -> Heading | None:
    """The nearest heading above ``h``, at its level or above, whose name is the list's only one."""
    names = Counter(x.text for x in parsed.headings)
    i = parsed.headings.index(h)
    return next((x for x in reversed(parsed.headings[:i]) if x.level <= h.level and names[x.text] == 1), None)


def _matching(parsed: ParsedList, under: str) -> list[Heading]:
    """Headings named ``under``: "Generation", or with parents "Audio / Generation"."""
    whole = collapse(under).lower()
    named = [h for h in parsed.headings if collapse(h.text).lower() == whole]
    if named or "/" not in under:
        return named  # a heading may itself hold a "/" ("Image/Video Editing")
    wanted = [collapse(part).lower() for part in under.split("/") if part.strip()]
    if not wanted:
        return []
    out = []
    for h in parsed.headings:
        if collapse(h.text).lower() != wanted[-1]:
            continue
        names = [collapse(x.text).lower() for x in _ancestors(parsed, h)[:-1]]
        it = iter(names)  # the parents given, in order, among its parents (not every one needed)
        if all(any(n == part for n in it) for part in wanted[:-1]):
            out.append(h)
    if len(out) != 1 and len(wanted) == 2:
        # "Avatars: / 2024:": a list that keeps its years as siblings after each topic heading
        after = [h for h in parsed.headings if collapse(h.text).lower() == wanted[-1]
                 and (b := _heading_before(parsed, h)) is not None and collapse(b.text).lower() == wanted[0]]
        if len(after) == 1:
            return after
    return out


def style_groups(parsed: ParsedList, section: Section) -> tuple[tuple[Entry, ...], ...]:
    """Whose habits a new entry in ``section`` follows: the section's entries, then those
    under its parent heading (the dated sections beside a new one), then the whole list."""
    groups = [section.style_from]
    if section.heading is not None and len(_ancestors(parsed, section.heading)) > 1:
        parent = _ancestors(parsed, section.heading)[-2]
        later = [h for h in parsed.headings if h.line > parent.line and h.level <= parent.level]
        end = later[0].line if later else float("inf")
        groups.append(tuple(e for e in parsed.entries if parent.line < e.line < end))
    return (*groups, parsed.entries)


def _today(data: bytes, parsed: ParsedList, today: date) -> Section:
    dated = _dated(parsed)
    if not dated:
        raise UsageError("the list has no dated headings (such as \"### 10 Mar. 2023\") for --under "
                         "today to follow; use --under HEADING")
    for h, on in dated:
        if on == today:
            entries = _own_entries(parsed, h)
            return Section(h, entries, entries or _own_entries(parsed, dated[0][0]))
    newest, _ = max(dated, key=lambda pair: pair[1])
    raw = data[newest.span.start:newest.span.end].decode("utf-8", "surrogateescape").rstrip("\r\n")
    _, i, j = parse_date(raw)
    line = raw[:i] + format_date_like(raw[i:j], today) + raw[j:]
    return Section(newest, (), _own_entries(parsed, newest), new_heading=line)


def _gap_after_heading(data: bytes, h: Heading, entries: tuple[Entry, ...]) -> str:
    if entries and entries[0].span.start >= h.span.end:
        gap = data[h.span.end:entries[0].span.start]
        if not gap.strip():
            return gap.decode()
    return ""


def _gap_before_headings(data: bytes, parsed: ParsedList, separator: str) -> str:
    """The blank lines the list leaves between a dated section's last entry and the next one."""
    gaps = []
    for h, _ in _dated(parsed):
        before = [e for e in parsed.entries if e.span.end <= h.span.start]
        if before:
            gap = data[before[-1].span.end:h.span.start]
            if not gap.strip():
                gaps.append(gap)
    return Counter(gaps).most_common(1)[0][0].decode() if gaps else separator


def _line_end(data: bytes, at: int, newline: str) -> str:
    """A newline to write first when ``at`` is the end of a last line without one."""
    return newline if at > 0 and data[at - 1:at] not in (b"\n", b"\r") else ""


def insertion(data: bytes, parsed: ParsedList, section: Section, published: date,
              order: str, separator: str) -> Insertion:
    """Where the new entry goes in ``section`` and the blank lines around it."""
    nl = parsed.newline
    if section.new_heading is not None:
        # Today's section, above the newest dated one, spaced as that one is.
        h = section.heading
        assert h is not None
        gap = _gap_after_heading(data, h, section.style_from)
        return Insertion(h.span.start, section.new_heading + nl + gap,
                         _gap_before_headings(data, parsed, separator))
    entries = section.entries
    if not entries:
        at = section.heading.span.end if section.heading is not None else len(data)
        return Insertion(at, _line_end(data, at, nl), separator if at < len(data) else "")
    if order != "top":
        newest_first = order == "newest first"
        for e in entries:
            if e.date is not None and (e.date < published if newest_first else e.date > published):
                return Insertion(e.span.start, "", separator)
        last = entries[-1]
        return Insertion(last.span.end, _line_end(data, last.span.end, nl) + separator, "")
    return Insertion(entries[0].span.start, "", separator)
