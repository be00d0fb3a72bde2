"""Parse arXiv API Atom responses, both dialects, into ``PaperRecord``s.

arXiv replaced its API backend on 2025-11-11: titles were hard-wrapped
before, links moved from http to https and ``dx.doi.org`` to ``doi.org``,
namespaces moved, and element order changed.  This parser goes by namespace
and element name only, and normalises those differences, so a format change
never looks like drift.  Error entries (``<title>Error</title>``, id under
``/api/errors``) are reported apart from papers, never mistaken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

from lxml import etree

from ..arxivid import parse_id
from ..models import PaperRecord
from ..textnorm import without_format_chars

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NS = {"a": ATOM, "arxiv": ARXIV, "os": OPENSEARCH}

MAX_VERSION = 100_000  # arXiv papers have tens of versions; more is a corrupt record
_ABS = re.compile(r"arxiv\.org/abs/(.+?)(?:v(\d+))?/?$")
_ERROR_ID = re.compile(r"^https?://arxiv\.org/api/errors", re.IGNORECASE)
_DOI_URL = re.compile(r"^\s*(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)
_WITHDRAWN = re.compile(
    r"""^\s*withdrawn\b
    | \b(?:has|have)\s+been\s+withdrawn\b
    | \bis\s+(?:being\s+)?withdrawn\b
    | \bwithdrawn\s+by\s+(?:the\s+)?(?:authors?|submitter|arxiv|admin)
    | \b(?:paper|article|submission|manuscript)\s+(?:is\s+)?withdrawn\b
    | \bwithdrawn\s+(?:due\s+to|because|for\s+(?:the\s+)?reasons?)\b
    | \bwithdraw(?:ing|n)?\s+this\s+(?:paper|article|submission|manuscript)\b""",
    re.IGNORECASE | re.VERBOSE,
)


class FeedError(ValueError):
    """The body is not an arXiv Atom feed (empty, HTML, truncated XML...)."""


class RecordError(ValueError):
    """One entry names a paper but its fields cannot be read (a date out of range...)."""


@dataclass(frozen=True)
class Feed:
    """One parsed response page."""

    records: tuple[PaperRecord, ...]
    total_results: int | None  # opensearch:totalResults, None if absent
    errors: tuple[str, ...] = ()  # summaries of error entries
    skipped: int = 0  # entries that were neither a paper nor an error (no usable <id>)
    # Entries naming a paper whose fields cannot be read: canonical ID -> reason.
    unreadable: Mapping[str, str] = field(default_factory=dict)


def squeezed(text: str | None) -> str | None:
    """Whitespace collapsed to single spaces, invisible format characters dropped; None for blank."""
    if text is None:
        return None
    text = " ".join(without_format_chars(text).split())
    return text or None


def normalise_doi(text: str | None) -> str | None:
    """A bare DOI: ``http://dx.doi.org/10.1/x`` and ``10.1/x`` both become ``10.1/x``."""
    text = squeezed(text)
    return _DOI_URL.sub("", text) if text else None


def is_withdrawn(comment: str | None) -> bool:
    """Whether an arXiv comment announces a withdrawal (the API has no flag for it)."""
    return bool(comment and _WITHDRAWN.search(comment))


def parse_datetime(text: str) -> datetime:
    """An Atom timestamp as an aware UTC datetime (legacy ``-04:00`` offsets included).

    Raises ``RecordError`` for text that is no timestamp or one that leaves the
    years 1-9999 in UTC (``9999-12-31T23:00:00-05:00``).
    """
    shown = " ".join(text.split())[:40]
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        return dt.astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise RecordError(f"unreadable date {shown!r} ({exc})") from None


def _text(elem: etree._Element, path: str) -> str | None:
    found = elem.find(path, NS)
    return None if found is None else _all_text(found)


def _all_text(elem: etree._Element) -> str:
    if len(elem) == 0:  # a leaf, as nearly every element of a feed is
        return elem.text or ""
    return "".join(elem.itertext())


# Child elements of an <entry>, by tag.  An entry is read in one pass over its
# children: a find() per field costs several times more on 1,000-entry pages.
_ID, _TITLE, _PUBLISHED, _UPDATED, _SUMMARY, _LINK, _AUTHOR, _NAME, _CATEGORY = (
    f"{{{ATOM}}}{name}" for name in
    ("id", "title", "published", "updated", "summary", "link", "author", "name", "category"))
_COMMENT, _JOURNAL_REF, _DOI = (f"{{{ARXIV}}}{name}" for name in ("comment", "journal_ref", "doi"))

_Children = dict[str, list[etree._Element]]


def _children(entry: etree._Element) -> _Children:
    found: _Children = {}
    for child in entry.iterchildren(etree.Element):
        found.setdefault(child.tag, []).append(child)
    return found


def _first_text(children: _Children, tag: str) -> str | None:
    """Text of the first child with ``tag`` (as ``_text``), None if there is none."""
    found = children.get(tag)
    return _all_text(found[0]) if found else None


def _version(digits: str) -> int:
    if len(digits) > 6 or not 1 <= int(digits) <= MAX_VERSION:
        raise RecordError(f"version v{digits[:24]} out of range (1-{MAX_VERSION})")
    return int(digits)


def _version_from_links(links: list[etree._Element]) -> int | None:
    for link in links:
        m = _ABS.search(link.get("href") or "")
        if m and m.group(2):
            return _version(m.group(2))
    return None


def _paper_id(children: _Children) -> str | None:
    """The canonical ID an entry names, or None."""
    m = _ABS.search((_first_text(children, _ID) or "").strip())
    parsed = parse_id(m.group(1)) if m else None
    return parsed.id if parsed else None


def _record(children: _Children) -> PaperRecord | None:
    m = _ABS.search((_first_text(children, _ID) or "").strip())
    arxiv_id = parse_id(m.group(1)) if m else None
    if arxiv_id is None:
        return None
    published = _first_text(children, _PUBLISHED)
    if not published or not published.strip():
        # Not "absent": arXiv named the paper, its record just cannot be dated.
        raise RecordError("its record has no <published> date")
    links = children.get(_LINK, [])
    updated = _first_text(children, _UPDATED) or published
    # The 2007 manual example has no vN in <id>; its links still carry it.
    version = _version(m.group(2)) if m.group(2) else _version_from_links(links) or 1
    comment = squeezed(_first_text(children, _COMMENT))
    dois = [normalise_doi(e.text) for e in children.get(_DOI, [])]
    if not any(dois):
        dois = [normalise_doi(link.get("href")) for link in links if link.get("title") == "doi"]
    categories = [c.get("term") for c in children.get(_CATEGORY, []) if c.get("term")]
    names = (squeezed(_text(a, "a:name")) for a in children.get(_AUTHOR, []))
    return PaperRecord(
        arxiv_id=arxiv_id.id,
        version=version,
        # The paper literally titled "0" must stay "0", not become empty.
        title=squeezed(_first_text(children, _TITLE)) or "",
        authors=tuple(name for name in names if name),
        published=parse_datetime(published),
        updated=parse_datetime(updated),
        comment=comment,
        journal_ref=squeezed(_first_text(children, _JOURNAL_REF)),
        doi=" ".join(dict.fromkeys(d for d in dois if d)) or None,
        categories=tuple(dict.fromkeys(categories)),
        withdrawn=is_withdrawn(comment),
    )


def _is_error_entry(children: _Children) -> bool:
    entry_id = (_first_text(children, _ID) or "").strip()
    return bool(_ERROR_ID.match(entry_id)) or (_first_text(children, _TITLE) or "").strip() == "Error"


_XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_FEED_START = re.compile(rb"<feed\b[^>]*>")
_ENTRY_SPAN = re.compile(rb"<entry\b.*?</entry\s*>", re.DOTALL)
_ENTRY_ID = re.compile(rb"<id>\s*([^<]*?)\s*</id>")


def _check_encoding(body: bytes) -> None:
    """Refuse a declared encoding the bytes contradict (Latin-1 declared over UTF-8 bytes).

    Read as declared, every accented letter would become mojibake ("CafÃ©") and
    be proposed as a fix; arXiv sends UTF-8, so such an answer is a fault, retried.
    """
    m = _XML_DECLARATION.match(body)
    declared = m.group(1).decode("ascii").lower().replace("_", "-") if m else "utf-8"
    if declared in ("utf-8", "utf8") or body.isascii():
        return
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the declaration may well be right
    raise FeedError(f"declares encoding {declared!r} but its bytes are UTF-8 "
                    "(read as declared, its text would be mojibake)")


def _parse(body: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(body, parser=parser)


def _entries_one_by_one(body: bytes, error: str) -> tuple[etree._Element, list[etree._Element], dict[str, str]]:
    """A feed that is not well-formed XML, read entry by entry.

    One illegal character (``&#1;``, a raw 0x01) in one record would otherwise
    reject the whole answer, and every paper of the batch with it.  Each
    ``<entry>`` is parsed on its own inside the feed's start tag (so its
    namespaces hold); one that still fails costs the paper its ``<id>`` names.
    Raises ``FeedError`` when the rest of the feed is broken too, or a broken
    entry names no paper (no telling whose record it was).
    """
    start = _FEED_START.search(body)
    if start is None:
        raise FeedError(f"not XML ({error})")
    head, close = body[: start.end()], b"</feed>"
    try:
        root = _parse(_ENTRY_SPAN.sub(b"", body))
    except etree.XMLSyntaxError:
        raise FeedError(f"not XML ({error})") from None
    entries: list[etree._Element] = []
    broken: dict[str, str] = {}
    for span in _ENTRY_SPAN.finditer(body):
        try:
            entries.extend(_parse(head + span.group(0) + close).iterfind("a:entry", NS))
        except etree.XMLSyntaxError as exc:
            named = _ENTRY_ID.search(span.group(0))
            m = _ABS.search(named.group(1).decode("utf-8", "replace")) if named else None
            parsed = parse_id(m.group(1)) if m else None
            if parsed is None:
                raise FeedError(f"not XML ({error})") from None
            broken[parsed.id] = f"its record is not well-formed XML ({' '.join(exc.msg.split())[:120]})"
    return root, entries, broken


def _one_record_each(records: list[PaperRecord], unreadable: dict[str, str]) -> list[PaperRecord]:
    """One record per paper: repeats dropped; two that disagree make the paper unreadable.

    Which of two different records is arXiv's would be a guess: the later one
    used to win silently.
    """
    first: dict[str, PaperRecord] = {}
    for record in records:
        seen = first.setdefault(record.arxiv_id, record)
        if seen != record and record.arxiv_id not in unreadable:
            unreadable[record.arxiv_id] = (
                f"arXiv answered two different records for it ({seen.title[:60]!r} v{seen.version}"
                f" and {record.title[:60]!r} v{record.version})")
    return [r for i, r in first.items() if i not in unreadable]


def parse_feed(body: bytes) -> Feed:
    """Parse one API response body; raises ``FeedError`` if it is not an Atom feed."""
    if not body or not body.strip():
        raise FeedError("empty body")
    _check_encoding(body)
    unreadable: dict[str, str] = {}
    try:
        root = _parse(body)
        entries = list(root.iterfind("a:entry", NS))
    except etree.XMLSyntaxError as exc:
        root, entries, unreadable = _entries_one_by_one(body, exc.msg)
    if root.tag != f"{{{ATOM}}}feed":
        raise FeedError(f"not an Atom feed (root element {etree.QName(root).localname!r})")
    total = _text(root, "os:totalResults")
    records: list[PaperRecord] = []
    errors: list[str] = []
    skipped = 0
    for entry in entries:
        children = _children(entry)
        if _is_error_entry(children):
            errors.append(squeezed(_first_text(children, _SUMMARY)) or "unspecified arXiv API error")
            continue
        try:
            record = _record(children)
        except RecordError as exc:  # one bad record costs that paper, not the page
            paper = _paper_id(children)
            if paper is None:
                skipped += 1
            else:
                unreadable[paper] = str(exc)
            continue
        if record is None:
            skipped += 1  # legacy servers sent an id-less <entry> for a missing paper
        else:
            records.append(record)
    return Feed(
        records=tuple(_one_record_each(records, unreadable)),
        total_results=int(total) if total and total.strip().isdigit() else None,
        errors=tuple(errors),
        skipped=skipped,
        unreadable=unreadable,
    )
