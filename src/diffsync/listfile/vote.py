"""Which shape each section of a list keeps its papers in, and the entries read in it.

The file is cut at its headings into sections.  A section whose paragraph
entries (the reference shape) hold every arXiv link in it, one paper each, is
read as paragraphs without trying anything else: the reference lists read as
they always did, as fast.  Every other section is read in each shape (items,
table rows, the heading block as one paper) and the shape whose entries hold
the most papers wins; a tie goes to the shape that wins most of the file.
``--shape`` / ``[list] shape`` read every section in one shape instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from . import coverage as cover, notation
from .headingblocks import heading_hint
from .items import item_units
from .lines import Line, iter_lines
from .rows import Row, html_rows, markdown_rows, row_hint
from .unit import Unit
from .unitfields import Hint, read_unit
from ..models import SHAPES, Coverage, Entry, Heading, SectionShape

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ARXIV_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/([\w.\-/]+?\d)(?:v\d+)?(?:\.pdf)?(?=[)\]\s\"'<|]|$)", re.IGNORECASE)
_LABEL_TITLES = frozenset(("authors", "author", "abstract", "paper", "code", "note", "notes", "keywords"))
_FIELDS = ("authors", "venue", "date")
CARRIED_SHARE = 0.05  # a section carries a field when at least this share of its entries write it


class _Section:
    """The lines from one heading (or the file's start) to the next heading."""

    def __init__(self, heading: Heading | None, start: int, end: int, parent: str | None) -> None:
        self.heading = heading
        self.start, self.end = start, end  # bytes
        self.parent = parent  # the text of the nearest heading above of a lower level
        self.lines: list[Line] = []


def _score(entries: Sequence[Entry]) -> int:
    score = 0
    for e in entries:
        score += 3 if e.arxiv_id else 1
        if any(p.startswith("links to several arXiv papers") for p in e.problems):
            score -= 4
        if e.title.strip(" :").lower() in _LABEL_TITLES:
            score -= 4
    return score


def _heading_venue(name: str | None) -> Hint:
    """``### 2024 CVPR`` over the entries: their venue when they name none (read, never written)."""
    return Hint(venue_in_heading=name.strip(" :")) if name and notation.is_venue_or_date(name) else Hint()


def _items(data: bytes, section: _Section, name: str | None) -> list[Entry]:
    body = section.lines[1:] if section.heading else section.lines
    found = []
    hint = _heading_venue(name)
    for first, last in item_units(body):
        entry = read_unit(Unit(data, first.start, last.end, first.number), "item", name, hint)
        if entry is not None:
            found.append(entry)
    return found


def _paper_tables(rows: list[Row]) -> list[Row]:
    """The rows of tables that list one paper per row: a table where a third of the rows
    link several arXiv papers is a table of something else (benchmarks, datasets)."""
    by_table: dict[int, list[Row]] = {}
    for row in rows:
        by_table.setdefault(id(row.columns), []).append(row)
    kept = []
    for members in by_table.values():
        several = sum(1 for r in members if len(set(_ARXIV_ID.findall(r.text))) >= 2)
        if several * 3 < len(members):
            kept.extend(members)
    return kept


def _rows(data: bytes, section: _Section, name: str | None) -> list[Entry]:
    found = []
    for row in _paper_tables(markdown_rows(section.lines) + html_rows(data, section.lines)):
        unit = Unit(data, row.start, row.end, row.line)
        entry = read_unit(unit, "row", name, replace(row_hint(unit, row),
                                                     venue_in_heading=_heading_venue(name).venue_in_heading))
        if entry is not None:
            if "cell" not in entry.title_context:
                entry = replace(entry, title_context=("cell", *entry.title_context))
            found.append(replace(entry, cells=tuple(unit.span(i, j) for i, j in row.cells),
                                 columns=tuple(row.columns[k] if k < len(row.columns) else ""
                                               for k in range(len(row.cells)))))
    return sorted(found, key=lambda e: e.span.start)


def _filled(options: dict[str, list[Entry]], kind: str) -> list[Entry]:
    """The chosen shape's entries, plus any other shape's entry that holds a paper none of
    them holds and overlaps none of them (items under bold-title paragraphs, say)."""
    chosen = list(options[kind])
    held = {e.arxiv_id for e in chosen if e.arxiv_id}
    for other, found in options.items():
        if other == kind:
            continue
        for e in found:
            if e.arxiv_id and e.arxiv_id not in held and not any(
                    e.span.start < c.span.end and c.span.start < e.span.end for c in chosen):
                chosen.append(e)
                held.add(e.arxiv_id)
    return sorted(chosen, key=lambda e: e.span.start)


def _best_paragraphs(data: bytes, paragraphs: list[Entry]) -> list[Entry]:
    """The paragraphs as read, or re-read as units when that finds more papers: an ID
    on a bare ``- Paper: https://arxiv.org/abs/...`` line under a bold title."""
    if not paragraphs or all(e.arxiv_id for e in paragraphs):
        return paragraphs
    reread = []
    for e in paragraphs:
        if e.arxiv_id:
            reread.append(e)
            continue
        unit = Unit(data, e.span.start, e.span.end, e.line)
        title = (e.title_span.start - e.span.start, e.title_span.end - e.span.start)
        if not unit.ascii:  # character offsets of the title inside the unit
            head = data[e.span.start:e.title_span.start].decode("utf-8", "surrogateescape")
            inner = data[e.title_span.start:e.title_span.end].decode("utf-8", "surrogateescape")
            title = (len(head), len(head) + len(inner))
        again = read_unit(unit, "paragraph", e.section, Hint(title=(*title, e.title_context)))
        reread.append(again if again is not None and again.arxiv_id else e)
    return reread if _score(reread) > _score(paragraphs) else paragraphs


def _heading(data: bytes, section: _Section) -> list[Entry]:
    if section.heading is None or section.heading.level < 2:
        return []
    lines = section.lines
    fence = next((k for k, ln in enumerate(lines) if _FENCE.match(ln.text)), None)
    if fence is not None:  # a code block (a BibTeX "Citation") is no paper's block
        lines = lines[:max(fence, 1)]
    while len(lines) > 1 and not lines[-1].text.strip():
        lines = lines[:-1]
    unit = Unit(data, lines[0].start, lines[-1].end, lines[0].number)
    venue = section.parent.strip(" :") if section.parent and notation.is_venue_or_date(section.parent) else None
    hint = heading_hint(unit, venue)
    if hint is None:
        return []
    entry = read_unit(unit, "heading", section.parent, hint)
    # A one-word heading ("Citation", "Tools") names a part of the list, not a paper.
    return [entry] if entry is not None and len(entry.title.split()) >= 2 else []


def _holds_paper(entry: Entry) -> bool:
    """Outside a list read wholly as paragraphs, a paragraph is an entry only with a paper
    link or venue-like text (a bold "**Note**" line is not a paper)."""
    return bool(entry.arxiv_id or entry.links or entry.date or notation.is_venue_or_date(entry.venue or ""))


def _sections(data: bytes, body: int, headings: Sequence[Heading]) -> list[_Section]:
    sections: list[_Section] = []
    start, above = body, None
    stack: list[Heading] = []
    for h in headings:
        sections.append(_Section(above, start, h.span.start, _parent(stack, above)))
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        start, above = h.span.start, h
    sections.append(_Section(above, start, len(data), _parent(stack, above)))
    return [s for s in sections if s.end > s.start]


def _parent(stack: list[Heading], heading: Heading | None) -> str | None:
    if heading is None:
        return None
    above = [h for h in stack if h.level < heading.level]
    return above[-1].text if above else None


def _fill_lines(data: bytes, body: int, sections: list[_Section], hidden: frozenset[int]) -> None:
    k = 0
    for line in iter_lines(data, body):
        if hidden and line.number in hidden:
            continue
        while k < len(sections) - 1 and line.start >= sections[k].end:
            k += 1
        sections[k].lines.append(line)


def _carried(entries: Sequence[Entry]) -> tuple[str, ...]:
    if not entries:
        return ()
    has = {"authors": sum(1 for e in entries if e.authors),
           "venue": sum(1 for e in entries if notation.names_venue(e.venue)),
           "date": sum(1 for e in entries if e.date is not None)}
    return tuple(f for f in _FIELDS if has[f] >= CARRIED_SHARE * len(entries))


def read_entries(data: bytes, body: int, paragraphs: list[Entry], headings: Sequence[Heading],
                 shape: str | None = None, source: str = "flag", hidden: frozenset[int] = frozenset()
                 ) -> tuple[list[Entry], list[SectionShape], Coverage]:
    """The list's entries, the shape of each part of the file, and the arXiv link coverage.

    ``hidden``: numbers of lines holding only an HTML comment, skipped by every unit."""
    if shape is not None and shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; one of {', '.join(SHAPES)}")
    refs = cover.arxiv_refs(data, body)
    sections = _sections(data, body, headings)
    by_section: list[list[Entry]] = [[] for _ in sections]
    k = 0
    for e in paragraphs:
        while k < len(sections) - 1 and e.span.start >= sections[k].end:
            k += 1
        by_section[k].append(e)
    clean = cover.clean_sections(sections, by_section, refs) if shape is None else [False] * len(sections)
    if shape == "paragraph" or all(clean):
        chosen = [("paragraph", es) for es in by_section]
    else:
        _fill_lines(data, body, sections, hidden)
        chosen = _choose(data, sections, by_section, clean, shape)
        chosen = [(kind, [e for e in found if kind != "paragraph" or _holds_paper(e)]) for kind, found in chosen]
    entries: list[Entry] = []
    parts: list[SectionShape] = []
    for section, (kind, found) in zip(sections, chosen):
        carried = _FIELDS if kind == "paragraph" else _carried(found)
        if kind != "paragraph":
            found = [replace(e, carried=carried) for e in found]
        entries.extend(found)
        if found or not parts:
            how = "vote" if shape is None else source
            line = section.heading.line if section.heading else 1
            name = section.heading.text if section.heading else None
            if parts and parts[-1].shape == kind and parts[-1].source == how:
                last = parts[-1]
                parts[-1] = replace(last, entries=last.entries + len(found),
                                    carried=tuple(f for f in _FIELDS if f in last.carried or f in carried))
            else:
                parts.append(SectionShape(line, name, kind, how, len(found), tuple(carried)))
    entries.sort(key=lambda e: e.span.start)
    return entries, parts, cover.measure(data, refs, entries)


def _choose(data: bytes, sections: list[_Section], by_section: list[list[Entry]], clean: list[bool],
            forced: str | None) -> list[tuple[str, list[Entry]]]:
    candidates: list[dict[str, list[Entry]]] = []
    for section, paragraphs, ok in zip(sections, by_section, clean):
        if ok:
            candidates.append({"paragraph": paragraphs})
            continue
        name = section.heading.text if section.heading else None
        options = {"paragraph": _best_paragraphs(data, paragraphs)}
        if forced in (None, "item"):
            options["item"] = _items(data, section, name)
        if forced in (None, "row"):
            options["row"] = _rows(data, section, name)
        if forced in (None, "heading"):
            options["heading"] = _heading(data, section)
        candidates.append(options if forced is None else {forced: options[forced]})
    totals = {s: 0 for s in SHAPES}
    for options in candidates:
        best = max(options, key=lambda s: _score(options[s]))
        totals[best] += max(0, _score(options[best]))
    order = sorted(SHAPES, key=lambda s: -totals[s])
    chosen = []
    for options in candidates:
        top = max(_score(v) for v in options.values())
        kind = next(s for s in order if s in options and _score(options[s]) == top)
        if top <= 0 and "paragraph" in options:
            kind = "paragraph"  # nothing reads better: the paragraphs as they are, problems and all
        chosen.append((kind, _filled(options, kind)))
    return chosen


__all__ = ["CARRIED_SHARE", "read_entries"]
