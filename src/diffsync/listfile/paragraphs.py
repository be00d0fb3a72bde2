"""Paragraph entries, the reference shape: a bold title line and the metadata under it.

An entry starts at a bold title line (``**Title**``, possibly indented,
possibly followed by `` \\``).  The lines right after it that carry
metadata -- the ``*authors*`` line, lines with ``[[Label](url)]`` links, a
date line, an ``arXiv:ID`` mention -- are read field by field; the first
other line starts the free-text summary, which belongs to the entry but is
not read.  The entry ends at a blank line, a heading, an HTML block tag or
the next title.

The same pass finds every heading outside code fences: they name each entry's
section, and they split the file into the sections whose shape is voted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import arxivid
from .dates import parse_date
from .lines import Line as _Line, iter_lines as _iter_lines
from .text import display, mojibake_fix, split_authors
from ..models import Entry, Heading, Link, Span

_TITLE = re.compile(r"^(?P<indent>[ \t]*)\*\*(?P<title>.+?)\*\*(?!\*)(?P<rest>.*)$")
# A heading's marker; its text is the rest without a closing "#" run (see
# _heading_text: as one regex, ``.*?(?:[ \t]+#+)?[ \t]*$``, a long blank run
# took cubic time).
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HTML_BLOCK = re.compile(r"^[ \t]*</?(?:details|summary|div|table|p|br|hr)\b", re.IGNORECASE)
_AUTHORS = re.compile(r"^[ \t]*(?P<mark>\*|_)(?!\*|_)(?P<text>.+?)(?P=mark)(?:[ \t]*\\)?[ \t]*$")
# ``[[Label](url)]``, the list's link form, and its broken variants:
# ``[[Label] (url)]`` (Markdown renders it as text), ``[[Label(url)]``;
# a plain ``[Label](url)`` also counts.
_URL = r"[^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
_LINK = re.compile(
    rf"\[\[(?P<label>[^\[\]]*)\](?P<gap>[ \t]*)\((?P<url>{_URL})\)\]"
    rf"|\[\[(?P<label2>[^\[\]()]*)\((?P<url2>{_URL})\)\]"
    rf"|(?<!!)\[(?P<label1>[^\[\]]+)\](?P<gap1>[ \t]*)\((?P<url1>{_URL})\)"
)
# What may stand before the date on a date line, and what after it.
_DATE_PREFIX = re.compile(r"^[ \t]*(?:arxiv[ \t]*)?\[?[ \t]*(?:submitted[ \t]+on[ \t]*)?$", re.IGNORECASE)
_DATE_SUFFIX = re.compile(
    r"[ \t]*(?:\(v\d+\))?(?:,?[ \t]*last revised[^\]]*?\(this version, v\d+\))?[ \t]*\]?",
    re.IGNORECASE,
)
_LINE_TAIL = re.compile(r"[ \t`\\]*$")  # trailing hard-break backslash, stray backticks
_ARXIV_MENTION = re.compile(r"arxiv\s*:", re.IGNORECASE)
_ID_AS_WRITTEN = re.compile(r"^[a-z]+://[^/]+/(?:abs|pdf|html|format|ps)/(?P<id>.+?)(?:\.pdf)?/?(?:[?#].*)?$", re.I)


@dataclass
class _Draft:
    """An entry while its lines are being read."""

    title_line: _Line
    section: str | None
    title: str
    title_span: Span
    last: _Line
    in_summary: bool = False
    authors_text: str | None = None
    authors_span: Span | None = None
    venue: str | None = None
    venue_span: Span | None = None
    date: object = None
    date_text: str | None = None
    date_span: Span | None = None
    text_id: tuple[arxivid.ArxivId, Span] | None = None

    def __post_init__(self) -> None:
        self.links: list[Link] = []
        self.problems: list[str] = []


def _find_links(line: _Line, start: int, draft: _Draft) -> list[tuple[int, int]]:
    """Record the links on ``line`` from char ``start``; return their char spans."""
    found = []
    for m in _LINK.finditer(line.text, start):
        form = "" if m["url"] is not None else "2" if m["url2"] is not None else "1"
        label, url_group = m["label" + form], "url" + form
        url = m[url_group]
        broken = True
        if form == "2":
            draft.problems.append(f"link {display(m.group(0))} is missing the ']' after its label")
        elif m["gap" + form]:
            draft.problems.append(
                f"link {display(m.group(0))} has a space between ']' and '(' so Markdown shows it as text"
            )
        elif form == "1" and m.start() > 0 and line.text[m.start() - 1] == "[":
            draft.problems.append(f"link {display(m.group(0))} is missing its closing ']'")
        else:
            broken = False
        if not url:
            draft.problems.append(f"link {display(m.group(0))} has no URL")
        draft.links.append(
            Link(
                label=display(label.strip()),
                url=display(url),
                span=line.span(m.start(), m.end()),
                url_span=line.span(m.start(url_group), m.end(url_group)),
                broken=broken,
            )
        )
        found.append((m.start(), m.end()))
    return found


def _find_date(line: _Line, text_end: int) -> tuple[object, int, int, int, int] | None:
    """A date line's date: (date, date start, date end, expression start, end)."""
    text = line.text[:text_end]
    found = parse_date(text)
    if found is None:
        return None
    value, start, end = found
    prefix = _DATE_PREFIX.match(text[:start])
    if prefix is None:
        return None
    suffix = _DATE_SUFFIX.match(text, end)
    expr_end = suffix.end() if suffix else end
    expr_start = len(text[:start]) - len(text[:start].lstrip())
    return value, start, end, expr_start, expr_end


def _read_meta_line(line: _Line, draft: _Draft, from_char: int = 0) -> bool:
    """Read one metadata line into ``draft``; False if it is summary text."""
    text = line.text
    if draft.date_text is not None and draft.links:
        return False  # the date and the links are read: what follows is the summary
    if draft.authors_text is None and not draft.links and from_char == 0:
        m = _AUTHORS.match(text)
        if m:
            draft.authors_text = display(m["text"])
            draft.authors_span = line.span(m.start("text"), m.end("text"))
            return True
    link_spans = _find_links(line, from_char, draft)
    first_link = link_spans[0][0] if link_spans else len(text)
    is_meta = bool(link_spans)
    if draft.date_text is None:
        date = _find_date(line, first_link)
        if date is not None:
            value, start, end, expr_start, expr_end = date
            rest = _LINE_TAIL.sub("", text[expr_end:first_link])
            if link_spans or not rest.strip():
                draft.date, draft.date_span = value, line.span(start, end)
                draft.date_text = display(text[expr_start:expr_end].rstrip())
                is_meta = True
                if link_spans:  # venue may stand after the date: "arxiv 27 Jan 2023\ preprint [[..."
                    _read_venue(line, draft, expr_end, first_link)
                first_link = min(first_link, expr_start)
    if link_spans and draft.venue is None:
        _read_venue(line, draft, from_char, first_link)
    if draft.text_id is None and _ARXIV_MENTION.search(text, from_char):
        mention = arxivid.find_in_text(text[from_char:])
        if mention is not None:
            arxiv_id, i, j = mention
            draft.text_id = (arxiv_id, line.span(from_char + i, from_char + j))
            is_meta = True
    return is_meta


def _read_venue(line: _Line, draft: _Draft, start: int, end: int) -> None:
    segment = line.text[start:end]
    stripped = _LINE_TAIL.sub("", segment).strip()
    stripped = stripped.lstrip("\\ \t")
    if not stripped or draft.venue is not None:
        return
    i = start + segment.index(stripped)
    draft.venue = display(stripped)
    draft.venue_span = line.span(i, i + len(stripped))


def _arxiv_from_links(draft: _Draft) -> tuple[arxivid.ArxivId | None, Span | None]:
    chosen: tuple[arxivid.ArxivId, Span] | None = None
    seen: dict[str, str] = {}
    for link in draft.links:
        if "arxiv.org" not in link.url.lower():
            continue  # most links point elsewhere; skip the URL parsing
        found = arxivid.from_url(link.url)
        written = _ID_AS_WRITTEN.match(link.url)
        if found is None:
            if written:
                draft.problems.append(f"arXiv link {link.url} has no valid arXiv ID")
            continue
        seen.setdefault(found.id, link.label)
        if chosen is None or (link.label.lower() == "paper" and seen[chosen[0].id].lower() != "paper"):
            i = link.url.index(written["id"]) if written else 0
            prefix = len(link.url[:i].encode("utf-8"))
            width = len(written["id"].encode("utf-8")) if written else len(link.url.encode("utf-8"))
            start = link.url_span.start + prefix
            chosen = (found, Span(start, start + width))
    if len(seen) > 1 and chosen is not None:
        others = ", ".join(i for i in seen if i != chosen[0].id)
        draft.problems.append(f"links to several arXiv papers: using {chosen[0].id}, also {others}")
    return chosen if chosen else (None, None)


def _finish(draft: _Draft) -> Entry:
    arxiv, id_span = _arxiv_from_links(draft)
    id_form = "link" if arxiv is not None else None
    if arxiv is None and draft.text_id is not None:
        arxiv, id_span = draft.text_id
        id_form = "text"
    authors_text = draft.authors_text
    for field, value in (("title", draft.title), ("authors", authors_text)):
        fixed = mojibake_fix(value) if value else None
        if fixed:
            pairs = [f'"{a}" is probably "{b}"' for a, b in zip(value.split(), fixed.split()) if a != b]
            draft.problems.append(
                f"{field} look double-encoded (UTF-8 read as cp1252): {', '.join(pairs[:3])}; "
                "left as written")
    return Entry(
        line=draft.title_line.number,
        section=draft.section,
        span=Span(draft.title_line.start, draft.last.end),
        title=draft.title,
        title_span=draft.title_span,
        authors=split_authors(authors_text) if authors_text is not None else (),
        authors_text=authors_text,
        authors_span=draft.authors_span,
        venue=draft.venue,
        venue_span=draft.venue_span,
        links=tuple(draft.links),
        arxiv_id=arxiv.id if arxiv else None,
        arxiv_version=arxiv.version if arxiv else None,
        arxiv_id_span=id_span,
        date=draft.date,  # type: ignore[arg-type]
        date_text=draft.date_text,
        date_span=draft.date_span,
        problems=tuple(draft.problems),
        id_form=id_form,
    )


def _start_entry(line: _Line, m: re.Match[str], section: str | None) -> _Draft:
    raw = m["title"]
    lead = len(raw) - len(raw.lstrip())
    title = raw.strip()
    start = m.start("title") + lead
    draft = _Draft(line, section, display(title), line.span(start, start + len(title)), line)
    if not title:
        draft.problems.append("empty title")
    if _LINE_TAIL.sub("", m["rest"]).strip():
        _read_meta_line(line, draft, m.start("rest"))
    return draft


def _heading_text(line: str, marker: re.Match[str]) -> str:
    """The text of a heading line, without trailing blanks and an optional closing ``#`` run."""
    text = line[marker.end():].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        return bare.rstrip(" \t")
    return text


def read_paragraphs(data: bytes, body: int, hidden: frozenset[int] = frozenset()
                    ) -> tuple[list[Entry], list[Heading]]:
    """The paragraph entries of ``data[body:]`` and every heading, in file order.

    ``hidden``: the numbers of lines that hold only an HTML comment (blanked in
    ``data``); they are skipped, so a comment inside an entry does not end it.
    """
    entries: list[Entry] = []
    headings: list[Heading] = []
    section: str | None = None
    draft: _Draft | None = None
    fenced = False
    for line in _iter_lines(data, body):
        text = line.text
        stripped = text.lstrip(" \t")
        first = stripped[:1]  # dispatch on it: most lines need no regex at all
        if not first and hidden and line.number in hidden:
            continue
        if first in ("`", "~") and _FENCE.match(text):
            fenced = not fenced
        title = heading = None
        if fenced or not first:
            ends_entry = True
        elif first == "*":
            title = _TITLE.match(text)
            ends_entry = title is not None
        elif first == "#":
            heading = _HEADING.match(text)
            ends_entry = heading is not None
        else:
            ends_entry = first == "<" and _HTML_BLOCK.match(text) is not None
        if draft is not None and ends_entry:
            entries.append(_finish(draft))
            draft = None
        if fenced:
            continue
        if heading:
            named = display(_heading_text(text, heading).strip())
            section = named or section
            headings.append(Heading(line.number, len(heading[1]), named, Span(line.start, line.end)))
        elif title is not None:
            draft = _start_entry(line, title, section)
        elif draft is not None and first:
            draft.last = line
            if not draft.in_summary and not _read_meta_line(line, draft):
                draft.in_summary = True
    if draft is not None:
        entries.append(_finish(draft))
    return entries, headings


__all__ = ["read_paragraphs"]
