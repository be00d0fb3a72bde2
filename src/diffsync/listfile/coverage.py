"""Honest coverage: every arXiv link in the file, and whether an entry holds it.

"N arXiv links in the file, M inside entries" counts arxiv.org URLs (abs,
pdf, html, with or without a scheme or version) and ``arXiv:ID`` mentions
with a valid ID; a link outside every entry is a ``StrayLink`` with its line,
so ``lint`` can name it and ``check`` can refuse a list whose links it cannot
place.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple, Sequence

from .. import arxivid
from ..models import Coverage, Entry, Span, StrayLink

# Matched on the bytes (IDs are ASCII), so offsets are byte offsets with no decoding; the
# ID is captured as written and validated by arxivid.parse_id (no URL parsing: a
# 10,000-entry list has 20,000 links); ``arXiv:ID`` mentions likewise.
_ID = rb"[a-z-]+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?|\d{4}\.\d{4,5}(?:v\d+)?"
_REF = re.compile(rb"arxiv\.org/(?:abs|pdf|html|format|ps)/(?P<url_id>" + _ID + rb")(?!\d|\.\d)"
                  rb"|arxiv\s*:\s*(?P<text_id>" + _ID + rb")(?!\w)", re.IGNORECASE)


class Ref(NamedTuple):
    start: int  # bytes
    end: int
    id: str


def arxiv_refs(data: bytes, body: int) -> list[Ref]:
    """Every arXiv link or mention with a valid ID, in file order, in byte offsets."""
    refs: list[Ref] = []
    known: dict[bytes, str | None] = {}  # as written -> canonical ID (lists repeat IDs)
    for m in _REF.finditer(data, body):
        written = m["url_id"] or m["text_id"]
        if written not in known:
            found = arxivid.parse_id(written.decode("ascii"))
            known[written] = found.id if found else None
        arxiv_id = known[written]
        if arxiv_id is not None:
            refs.append(Ref(m.start(), m.end(), arxiv_id))
    return refs


def _inside(refs: Sequence[Ref], entries: Sequence[Entry]) -> list[bool]:
    starts = [e.span.start for e in entries]
    ends = [e.span.end for e in entries]
    out = []
    for ref in refs:
        k = bisect.bisect_right(starts, ref.start) - 1
        out.append(k >= 0 and ref.start < ends[k])
    return out


def _each_held(refs: Sequence[Ref], entries: Sequence[Entry]) -> bool:
    """Every ref sits inside an entry that read an arXiv ID (a bare ``- Paper: URL`` line the
    paragraph reader does not read leaves its entry without one)."""
    starts = [e.span.start for e in entries]
    for ref in refs:
        k = bisect.bisect_right(starts, ref.start) - 1
        if k < 0 or ref.start >= entries[k].span.end or entries[k].arxiv_id is None:
            return False
    return True


def clean_sections(sections, by_section: list[list[Entry]], refs: Sequence[Ref]) -> list[bool]:
    """Per section: its paragraph entries hold every arXiv link in it, one paper each,
    under titles that are not field labels."""
    clean = []
    k = 0
    for section, entries in zip(sections, by_section):
        mine = []
        while k < len(refs) and refs[k].start < section.end:
            if refs[k].start >= section.start:
                mine.append(refs[k])
            k += 1
        if not entries:
            clean.append(None if not mine else False)  # decided below
            continue
        ok = _each_held(mine, entries) and not any(
            p.startswith("links to several arXiv papers") for e in entries for p in e.problems)
        ok = ok and not any(e.title.strip(" :").lower() in ("authors", "author", "abstract") for e in entries)
        clean.append(ok)
    # A section with no paragraph and no arXiv link is left alone in a list whose other
    # sections all read as paragraphs; in any other list it may hold items or rows.
    settled = all(c is not False for c in clean) and any(by_section)
    return [settled if c is None else c for c in clean]


def measure(data: bytes, refs: Sequence[Ref], entries: Sequence[Entry]) -> Coverage:
    ordered = sorted(entries, key=lambda e: e.span.start)
    inside = _inside(refs, ordered)
    stray = []
    newlines = [m.start() for m in re.finditer(rb"\r\n|\r|\n", data)] if not all(inside) else []
    for ref, ok in zip(refs, inside):
        if not ok:
            line = bisect.bisect_left(newlines, ref.start) + 1
            stray.append(StrayLink(line, ref.id, Span(ref.start, ref.end)))
    return Coverage(
        links=len(refs),
        links_in_entries=sum(inside),
        ids=len({r.id for r in refs}),
        ids_in_entries=len({r.id for r, ok in zip(refs, inside) if ok}),
        stray=tuple(stray),
    )


__all__ = ["Ref", "arxiv_refs", "clean_sections", "measure"]
