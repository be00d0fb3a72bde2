"""One unit of a list file (an item, a row, a heading block), and the links in it.

A unit is the text of whole lines, decoded with ``surrogateescape`` like the
rest of the file, so a character offset maps back to exact bytes
(``Unit.span``).  ``scan_links`` finds every link form lists use: ``[label](url)``,
``[[label]](url)``, ``[[label](url)]``, badges ``[![alt](img)](url)``,
``<a href>``, bare URLs, and ``arXiv:ID`` mentions; ``arxiv_of`` reads the ID
each one points at, with the span of the ID as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import arxivid
from ..models import Span


class Unit:
    """The text of lines ``data[start:end]`` and the unit's first line number."""

    __slots__ = ("text", "start", "line", "ascii", "_bytes")

    def __init__(self, data: bytes, start: int, end: int, line: int) -> None:
        self.text = data[start:end].decode("utf-8", "surrogateescape")
        self.start = start
        self.line = line
        self.ascii = self.text.isascii()
        self._bytes: list[int] | None = None

    def byte(self, i: int) -> int:
        """The byte offset (into the file) of character ``i`` of the unit."""
        if self.ascii:
            return self.start + i
        return self.start + len(self.text[:i].encode("utf-8", "surrogateescape"))

    def span(self, i: int, j: int) -> Span:
        return Span(self.byte(i), self.byte(j))


_URL = r"[^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
# Alternatives in the order they must be tried at one position: the badge and the
# double-bracket forms before the plain link they contain.
_LINKS = re.compile(
    rf"\[!\[(?P<alt>[^\[\]\n]*)\]\([^()\s]*\)\]\([ \t]*(?P<burl>{_URL})[ \t]*\)"
    rf"|\[\[(?P<dlabel>[^\[\]\n]*)\]\]\([ \t]*(?P<durl>{_URL})[ \t]*\)"
    rf"|\[\[(?P<llabel>[^\[\]\n]*)\]\([ \t]*(?P<lurl>{_URL})[ \t]*\)\]"
    rf"|(?<!!)\[(?P<label>(?:[^\[\]]|\[[^\[\]\n]{{0,80}}\]){{0,600}}?)\]\([ \t]*(?P<url>{_URL})[ \t]*\)"
    r"|<a\s[^>]{0,300}?href[ \t]*=[ \t]*[\"']?(?P<hurl>[^\"'\s>]+)[\"']?[^>]{0,300}>(?P<hlabel>[^<]{0,600})</a>"
    r"|!\[[^\[\]\n]*\]\([^()\s]*\)"
    r"|(?P<bare>https?://[^\s<>\[\]()|\"'`]+)",
    re.IGNORECASE,
)
_FORMS = (("burl", "alt", "badge"), ("durl", "dlabel", "link"), ("lurl", "llabel", "link"),
          ("url", "label", "link"), ("hurl", "hlabel", "html"), ("bare", None, "bare"))
_ID_IN_URL = re.compile(r"/(?:abs|pdf|html|format|ps)/(?P<id>[^?#\s]+?)(?:\.pdf)?/?(?:[?#]|$)", re.IGNORECASE)
_MENTION = re.compile(r"arxiv\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundLink:
    """One link of a unit, in character offsets of the unit's text."""

    form: str  # "link", "badge", "html", "bare"
    label: str  # as written ("" for a bare URL)
    label_at: tuple[int, int]
    url: str
    url_at: tuple[int, int]
    at: tuple[int, int]  # the whole link


def scan_links(text: str) -> list[FoundLink]:
    """Every link in ``text``, in order (images that link nowhere are skipped)."""
    found = []
    for m in _LINKS.finditer(text):
        for url_group, label_group, form in _FORMS:
            url = m[url_group]
            if url is None:
                continue
            if form == "bare":
                url = url.rstrip(".,;:*_")
                at = (m.start(url_group), m.start(url_group) + len(url))
                found.append(FoundLink(form, "", at, url, at, at))
            else:
                found.append(FoundLink(form, m[label_group], m.span(label_group), url, m.span(url_group),
                                       m.span()))
            break
    return found


@dataclass(frozen=True, slots=True)
class ArxivRef:
    """An arXiv ID the unit points at, and where."""

    id: arxivid.ArxivId
    at: tuple[int, int]  # the ID as written (incl. vN), in unit characters
    link: FoundLink | None  # None for an ``arXiv:ID`` mention


def arxiv_of(link: FoundLink) -> ArxivRef | None:
    """The arXiv paper ``link`` points at, if it points at one."""
    if "arxiv.org" not in link.url.lower():
        return None
    found = arxivid.from_url(link.url.strip())
    if found is None:
        return None
    written = _ID_IN_URL.search(link.url)
    if written is None:
        return ArxivRef(found, link.url_at, link)
    start = link.url_at[0] + written.start("id")
    return ArxivRef(found, (start, start + len(written["id"])), link)


def mentions(text: str, taken: list[tuple[int, int]]) -> list[ArxivRef]:
    """``arXiv:ID`` mentions in text, outside the character ranges ``taken`` (links)."""
    refs = []
    for m in _MENTION.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found = arxivid.find_in_text(text[m.start():m.end() + 40])
        if found is not None:
            arxiv_id, i, j = found
            refs.append(ArxivRef(arxiv_id, (m.start() + i, m.start() + j), None))
    return refs


__all__ = ["ArxivRef", "FoundLink", "Unit", "arxiv_of", "mentions", "scan_links"]
