"""An entry's fields from one unit (item, row, heading block), in the list's own notation.

Title: the most title-like span, by ranked rules (issue 22, item 2):
``[**X**](url)`` or ``**[X](url)**``; ``**"X"**`` and ``"**X**."``; ``**X**``
unless it is a tag (``**[38]**``, ``**[ICCV' 17]**``, ``**Name**:``); a quoted
``"X"``; the text of the first link whose label is not a link word; for rows
and headings the shape's own title place (``Hint``).  A trailing period is not
part of the title, and wrapped link text is read as one line.

The arXiv ID may stand anywhere in the unit; the title's own link wins, then a
link labelled like a paper link.  Two different IDs are reported.  Authors and
the one venue-or-date slot are optional and read only where the unit writes
them.  A unit with no paper link and no venue-like text is not an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import notation
from .text import display, split_authors
from .unit import ArxivRef, FoundLink, Unit, arxiv_of, mentions, scan_links
from ..models import Entry, Link

Range = tuple[int, int]


@dataclass(frozen=True)
class Hint:
    """What the unit's shape already knows: where its title and fields stand."""

    title: tuple[int, int, tuple[str, ...]] | None = None  # (start, end, title_context)
    authors: Range | None = None
    venue: Range | None = None
    venue_in_heading: str | None = None  # a venue named only by a heading above
    search: Range | None = None  # where to look for the title (default: the whole unit)


_BOLD_LINK = re.compile(r"\[\*\*(?P<t>[^\n]+?)\*\*\]\(|\*\*\[(?P<u>[^\]]+?)\]\([^()\s]*\)\*\*", re.S)
_BOLD_QUOTED = re.compile(r"\*\*[\"“](?P<t>[^\"”\n]+?)[\"”]\.?\*\*|[\"“]\*\*(?P<u>[^*\n]+?)\*\*[.,]?[\"”]")
# Bold text may wrap once (a title broken over two lines), never across a blank line.
_BOLD = re.compile(r"(?<!\*)\*\*(?![\s*])(?P<t>[^\n*]{1,400}?(?:\n[ \t]*[^\s*][^\n*]{0,400}?)?)(?<!\s)\*\*(?!\*)"
                   r"|(?<!_)__(?![\s_])(?P<u>[^\n]+?)__(?!_)")
_QUOTED = re.compile(r"(?<![\w\"])[\"“](?P<t>[^\"”\n]{8,400}?)[\"”]")
_TAG = re.compile(r"^\[[^\[\]]*\]$|^\d+\.?$")
_ITALIC = re.compile(r"(?<![*\w])\*(?![*\s])(?P<t>[^*\n]+?)\*(?!\*)|(?<![_\w])_(?![_\s])(?P<u>[^_\n]+?)_(?![_\w])")
_AUTHORS_LABEL = re.compile(
    r"(?:\*\*|__)?authors?(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(?P<a>[^\n]*?)[ \t]*(?:<br\s*/?>)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
_AFFILIATION = re.compile(r"[ \t]*\([^()]*\)")  # "Name (Affiliation) et al.": the name only
_PARENS = re.compile(r"\((?P<v>[^()\n]{2,60})\)")
_BRACKET_DATE = re.compile(r"\[(?P<v>(?:19|20)\d\d[/.-]\d{1,2}(?:[/.-]\d{1,2})?)\]")
_BOLD_TAG = re.compile(r"\*\*\[(?P<v>[^\[\]\n]{2,40})\]\*\*")
_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,4}[.)])[ \t]+")
_SEGMENT = re.compile(r"[^,\n]+")
_LINE_END_JUNK = re.compile(r"(?:[ \t]|<br\s*/?>|\\)+$", re.IGNORECASE)
_PAPER_HOST = re.compile(r"arxiv\.org|openreview\.net|thecvf\.com|aclanthology|aclweb\.org|neurips\.cc|nips\.cc"
                         r"|mlr\.press|ieeexplore|dl\.acm\.org|springer|sciencedirect|doi\.org|\.pdf\b",
                         re.IGNORECASE)


def _inside(pos: int, ranges: list[Range]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _trimmed(text: str, i: int, j: int) -> Range:
    """``(i, j)`` without surrounding blanks and a trailing period or comma."""
    while i < j and text[i] in " \t\r\n":
        i += 1
    while j > i and text[j - 1] in " \t\r\n":
        j -= 1
    if j > i and text[j - 1] in ".," and text[j - 2:j] != "..":
        j -= 1
        while j > i and text[j - 1] in " \t":
            j -= 1
    return i, j


def _title(text: str, links: list[FoundLink], lo: int, hi: int) -> tuple[int, int, tuple[str, ...]] | None:
    """The most title-like span of ``text[lo:hi]``, by the ranked rules."""
    link_spans = [ln.at for ln in links]
    m = _BOLD_LINK.search(text, lo, hi)
    if m:
        group = "t" if m["t"] is not None else "u"
        return (*_trimmed(text, *m.span(group)), ("link", "bold") if group == "t" else ("bold", "link"))
    m = _BOLD_QUOTED.search(text, lo, hi)
    if m:
        group = "t" if m["t"] is not None else "u"
        return (*_trimmed(text, *m.span(group)), ("bold", "quote") if group == "t" else ("quote", "bold"))
    labelled = None  # "**Name**: ..." is a tag before the title, or the title when nothing follows
    for m in _BOLD.finditer(text, lo, hi):
        group = "t" if m["t"] is not None else "u"
        inner = m[group]
        if (_TAG.match(inner.strip()) or "](" in inner or notation.is_venue_or_date(inner)
                or inner.rstrip(" :").lower() in ("authors", "author")):
            continue
        if text[m.end():m.end() + 2].lstrip(" \t").startswith((":", "：")):
            labelled = labelled or (*_trimmed(text, *m.span(group)), ("bold",))
            continue
        return (*_trimmed(text, *m.span(group)), ("bold",))
    for m in _QUOTED.finditer(text, lo, hi):
        inner = m["t"]
        if len(inner.split()) >= 3 and not _inside(m.start(), link_spans):
            if inner.startswith("[") and inner.rstrip(".").endswith(")"):
                link = next((ln for ln in links if ln.at[0] == m.start("t")), None)
                if link is not None and not notation.is_link_word(link.label):
                    return (*_trimmed(text, *link.label_at), ("quote", "link"))
                continue
            return (*_trimmed(text, *m.span("t")), ("quote",))
    for link in links:
        if lo <= link.at[0] < hi and link.form in ("link", "html") and not notation.is_link_word(link.label) \
                and not notation.is_venue_or_date(link.label) and len(link.label.split()) >= 2:
            return (*_trimmed(text, *link.label_at), ("link",))
    return labelled


def _plain_title(text: str, links: list[FoundLink], lo: int, hi: int) -> tuple[int, int, tuple[str, ...]] | None:
    """An item's plain leading text as its title: ``- Title (2017), A et al. [[pdf]](url)``."""
    end = hi
    for link in links:
        if lo <= link.at[0] < end:
            end = link.at[0]
    # A title may hold commas: cut at "(2017)" when the item has one, else at the first comma.
    cut = (re.search(r"\s\((?:19|20)\d\d\)", text[lo:end])
           or re.search(r"[\[(]|\s[-–]\s|,\s", text[lo:end]))
    if cut:
        end = lo + cut.start()
    i, j = _trimmed(text, lo, end)
    candidate = text[i:j]
    if len(candidate.split()) < 2 or candidate.endswith((":", "：")) or notation.is_venue_or_date(candidate):
        return None
    if "*" in candidate or "http" in candidate:
        return None
    return i, j, ()


def _chosen_id(refs: list[ArxivRef], title_link: FoundLink | None) -> tuple[ArxivRef | None, str | None]:
    if not refs:
        return None, None
    for ref in refs:
        if title_link is not None and ref.link is title_link:
            return ref, "title-link"
    paperish = [r for r in refs if r.link is not None and r.link.form in ("link", "html")
                and notation.is_link_word(r.link.label)
                and r.link.label.strip(" []*").lower().split()[:1] in (["paper"], ["pdf"], ["arxiv"])]
    ref = paperish[0] if paperish else refs[0]
    if ref.link is None:
        return ref, "text"
    return ref, ref.link.form


def _authors(text: str, lo: int, title_end: int, taken: list[Range], hint: Hint) -> Range | None:
    if hint.authors is not None:
        return hint.authors
    m = _AUTHORS_LABEL.search(text, lo)
    if m and m["a"].strip():
        return m.span("a")
    for m in _ITALIC.finditer(text, lo):
        group = "t" if m["t"] is not None else "u"
        if not _inside(m.start(), taken) and notation.names(m[group]):
            return m.span(group)
    # The text after the title on its line: ", Li et al., Arxiv 2023" or "(2015), G. Hinton et al."
    line_end = text.find("\n", title_end)
    line_end = len(text) if line_end < 0 else line_end
    stop = min([a for a, _ in taken if a >= title_end] + [line_end])
    tail_from = title_end
    while True:
        segments = [s for s in _SEGMENT.finditer(text, tail_from, stop)]
        run: list[re.Match[str]] = []
        for s in segments:
            part = s.group().strip(" \t.;:*_-–")
            part = re.sub(r"^\((?:19|20)\d\d\)\s*", "", part)
            if not part:
                continue
            if notation.names(part):
                run.append(s)
            elif run:
                break
        if run:
            i, j = run[0].start(), run[-1].end()
            head = re.match(r"[ \t.;:*_\-–]*(?:\((?:19|20)\d\d\)[ \t,]*)?", text[i:j])
            i += head.end() if head else 0
            i, j = _trimmed(text, i, j)
            if notation.names(text[i:j]):
                return i, j
        break
    # A later line that is only names: "    Eric Mitchell, Charles Lin, Chelsea Finn."
    pos = text.find("\n", title_end)
    while 0 <= pos < len(text):
        nxt = text.find("\n", pos + 1)
        nxt = len(text) if nxt < 0 else nxt
        start = pos + 1
        first_link = min([a for a, _ in taken if start <= a < nxt] + [nxt])
        segment = _LINE_END_JUNK.sub("", text[start:first_link])
        i, j = _trimmed(text, start, start + len(segment))
        found = notation.names(text[i:j]) if j > i else None
        if found and found[0] >= 2:
            return i, j
        pos = nxt
    return None


def _venue(text: str, links: list[FoundLink], lo: int, title: Range, authors: Range | None,
           hint: Hint) -> Range | None:
    if hint.venue is not None:
        return hint.venue
    taken = [ln.at for ln in links]
    outside = [title] + ([authors] if authors else [])

    def ok(i: int, j: int) -> bool:
        return not any(a <= i < b or a < j <= b for a, b in outside)

    for pattern in (_BOLD_TAG, _BRACKET_DATE, _PARENS):
        for m in pattern.finditer(text, lo):
            if not _inside(m.start(), taken) and ok(*m.span("v")) and "/" not in m["v"].replace("/", "", 1) \
                    and "://" not in m["v"] and notation.is_venue_or_date(m["v"]):
                return _trimmed(text, *m.span("v"))
    for link in links:
        if link.form == "link" and notation.is_venue_or_date(link.label) and notation.has_year(link.label):
            return link.label_at
    for m in _ITALIC.finditer(text, lo):
        group = "t" if m["t"] is not None else "u"
        if not _inside(m.start(), taken) and ok(*m.span(group)) and notation.is_venue_or_date(m[group]):
            return m.span(group)
    # Segments after the title (and the authors) on the title's line.
    start = max(title[1], authors[1] if authors and authors[0] >= title[1] else 0)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    stop = min([a for a, _ in taken if a >= start] + [line_end])
    for s in re.finditer(r"[^,.\n]+(?:\.\d+)?", text[:stop]):
        if s.start() < start:
            continue
        i, j = _trimmed(text, *s.span())
        while i < j and text[i] in "*_ \t":  # after an emphasis that closed the authors
            i += 1
        part = text[i:j].strip("*_ ")
        if part and not any(c in part for c in "/|()[]") and notation.is_venue_or_date(part):
            return _trimmed(text, i, j)
    return None


def _collection(shape: str, distinct: list[str], id_form: str | None) -> bool:
    """A row linking two papers, or an item or heading block linking three, none by its
    title, lists papers (a table of benchmarks, a news line): it is not one paper's entry."""
    if id_form == "title-link" or shape == "paragraph":
        return False
    return len(distinct) >= (2 if shape == "row" else 3)


def read_unit(unit: Unit, shape: str, section: str | None, hint: Hint = Hint()) -> Entry | None:
    """The entry ``unit`` holds, or None when it holds no paper (no title, or neither a
    paper link nor venue-like text)."""
    text = unit.text
    links = scan_links(text)
    taken = [ln.at for ln in links]
    refs = [r for r in map(arxiv_of, links) if r is not None] + mentions(text, taken)
    lo, hi = hint.search or (0, len(text))
    title = hint.title or _title(text, links, lo, hi)
    if title is None and shape == "item":
        marker = _MARKER.match(text)
        title = _plain_title(text, links, marker.end() if marker else 0, text.find("\n") % (len(text) + 1))
    if title is None or title[1] <= title[0]:
        return None
    ti, tj, context = title
    title_link = next((ln for ln in links if ln.label_at[0] <= ti and tj <= ln.label_at[1]
                       and ln.form in ("link", "html")), None)
    paper_link = bool(refs) or any(_PAPER_HOST.search(ln.url) or notation.is_link_word(ln.label)
                                   and ln.label.strip(" []*📄").lower().startswith(("paper", "pdf"))
                                   for ln in links)
    authors = _authors(text, lo if hint.title is None else 0, tj, taken + [(ti, tj)], hint)
    venue = _venue(text, links, 0, (ti, tj), authors, hint)
    if not paper_link and venue is None:
        return None  # a heading's venue alone makes no unit a paper
    chosen, id_form = _chosen_id(refs, title_link)
    problems = []
    distinct = list(dict.fromkeys(r.id.id for r in refs))
    if _collection(shape, distinct, id_form):
        return None
    if len(distinct) > 1 and chosen is not None:
        others = ", ".join(i for i in distinct if i != chosen.id.id)
        problems.append(f"links to several arXiv papers: using {chosen.id.id}, also {others}")
    authors_text = display(" ".join(text[authors[0]:authors[1]].split())) if authors else None
    et_al = bool(authors_text and re.search(r"\bet\.?\s*al\b", authors_text, re.IGNORECASE))
    venue_text = display(" ".join(text[venue[0]:venue[1]].split())) if venue else hint.venue_in_heading
    return Entry(
        line=unit.line,
        section=section,
        span=unit.span(0, len(text)),
        title=display(" ".join(text[ti:tj].split())),
        title_span=unit.span(ti, tj),
        authors=split_authors(_AFFILIATION.sub("", authors_text)) if authors_text else (),
        authors_text=authors_text,
        authors_span=unit.span(*authors) if authors else None,
        venue=venue_text,
        venue_span=unit.span(*venue) if venue else None,
        links=tuple(Link(label=display(ln.label.strip()), url=display(ln.url), span=unit.span(*ln.at),
                         url_span=unit.span(*ln.url_at)) for ln in links),
        arxiv_id=chosen.id.id if chosen else None,
        arxiv_version=chosen.id.version if chosen else None,
        arxiv_id_span=unit.span(*chosen.at) if chosen else None,
        problems=tuple(problems),
        shape=shape,
        title_context=context,
        id_form=id_form,
        authors_et_al=et_al,
        venue_in_heading=venue is None and hint.venue_in_heading is not None,
    )


__all__ = ["Hint", "read_unit"]
