"""Entries built by hand with the spans the parser's contract promises (models.Entry).

For tests of the write-back and ``add`` in every shape that must not depend on
how a list is read: ``entry(data, line, title, ...)`` finds each field's bytes
inside ``line`` and builds the Entry a parser would.
"""

from __future__ import annotations

import re

from diffsync.models import Entry, Link, Span


def _links(data: bytes, start: int, end: int) -> tuple[Link, ...]:
    """Every ``[[label](url)]``, ``[label](url)`` and ``[![img](src)](url)`` in data[start:end]."""
    out = []
    for m in re.finditer(rb"\[\[([^\]]*)\]\(([^()\s]+)\)\]|\[(!\[[^\]]*\]\([^)]*\)|[^\]]*)\]\(([^()\s]+)\)",
                         data[start:end]):
        label, url = (1, 2) if m.group(1) is not None else (3, 4)
        s = start + m.start()
        out.append(Link(m.group(label).decode(), m.group(url).decode(), Span(s, start + m.end()),
                        Span(start + m.start(url), start + m.end(url))))
    return tuple(out)


def _trimmed(data: bytes, a: int, b: int) -> Span:
    while a < b and data[a:a + 1] in b" \t":
        a += 1
    while b > a and data[b - 1:b] in b" \t":
        b -= 1
    return Span(a, b)


def _span(data: bytes, text: str | None, start: int, end: int) -> Span | None:
    if text is None:
        return None
    at = data.index(text.encode(), start, end)
    return Span(at, at + len(text.encode()))


def entry(data: bytes, line: bytes, title: str, *, shape: str, context: tuple[str, ...],
          arxiv_id: str | None = None, id_form: str | None = None, cells: bool = False,
          section: str = "S", authors: str | None = None, venue: str | None = None,
          date_text: str | None = None, date=None, et_al: bool = False) -> Entry:
    start = data.index(line)
    end = start + len(line)
    t = data.index(title.encode(), start)
    id_span = None
    if arxiv_id:
        at = data.rindex(arxiv_id.encode(), start, end)
        id_span = Span(at, at + len(arxiv_id))
    cell_spans: tuple[Span, ...] = ()
    if cells:
        bars = [start + m.start() for m in re.finditer(rb"(?<!\\)\|", line)]
        cell_spans = tuple(_trimmed(data, a + 1, b) for a, b in zip(bars, bars[1:]))
    names = tuple(n.strip() for n in re.sub(r"\bet al\.?", "", authors).split(",") if n.strip()) if authors else ()
    return Entry(line=data[:start].count(b"\n") + 1, section=section, span=Span(start, end), title=title,
                 title_span=Span(t, t + len(title.encode())), links=_links(data, start, end),
                 arxiv_id=arxiv_id, arxiv_id_span=id_span, shape=shape, title_context=context,
                 id_form=id_form, cells=cell_spans, authors=names, authors_text=authors,
                 authors_span=_span(data, authors, t + len(title.encode()), end), venue=venue,
                 venue_span=_span(data, venue, t + len(title.encode()), end), date=date, date_text=date_text,
                 date_span=_span(data, date_text, start, end), authors_et_al=et_al)
