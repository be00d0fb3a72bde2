"""OpenReview API v2: a venue-year's accepted papers, and exact-title search.

The accepted papers of a venue are the notes whose ``content.venueid`` is
the venue id itself (``ICLR.cc/2024/Conference``); rejected, withdrawn and
desk-rejected notes and open submissions carry other ids
(``…/Rejected_Submission``, ``…/Submission``), and are never a venue.
Content values are wrapped: ``content.title.value``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .http import JsonHttp
from .records import OPENREVIEW, SourceRecord

PAGE = 1000  # the API's most notes a request
MAX_PAGES = 20  # 20,000 notes: no venue-year is near it; a lying count cannot loop us
_NOT_ACCEPTED = re.compile(r"(submission|rejected|withdrawn|under review|submitted to|desk)", re.IGNORECASE)


def _check(answer: Any) -> str | None:
    if not isinstance(answer, dict) or not isinstance(answer.get("notes"), list):
        return 'expected an object with a "notes" array'
    if any(not isinstance(n, dict) for n in answer["notes"]):
        return "a note is not an object"
    return None


def _value(content: dict[str, Any], key: str) -> Any:
    wrapped = content.get(key)
    return wrapped.get("value") if isinstance(wrapped, dict) else wrapped


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def note_record(note: dict[str, Any], site: str) -> SourceRecord | None:
    """A note as a ``SourceRecord``; None for a note without a title."""
    content = note.get("content") if isinstance(note.get("content"), dict) else {}
    title = _text(_value(content, "title"))
    if not title:
        return None
    venue = _text(_value(content, "venue"))
    venue_id = _text(_value(content, "venueid"))
    authors = _value(content, "authors")
    year = re.search(r"/((?:19|20)\d\d)/", f"/{venue_id}/") or re.search(r"\b((?:19|20)\d\d)\b", venue)
    forum = _text(note.get("forum")) or _text(note.get("id"))
    published = bool(venue_id) and not _NOT_ACCEPTED.search(venue_id) and not _NOT_ACCEPTED.search(venue)
    return SourceRecord(
        source=OPENREVIEW, key=forum, url=f"{site}/forum?id={forum}", title=title,
        authors=tuple(_text(a) for a in authors if _text(a)) if isinstance(authors, list) else (),
        venue_text=venue or venue_id, year=int(year.group(1)) if year else None,
        published=published and "dblp" not in _text(note.get("domain")).lower(),
    )


class OpenReview:
    """``accepted(venue_id)`` and ``search(title)``; ``site`` is the web address for links."""

    def __init__(self, url: str, http: JsonHttp, site: str = "https://openreview.net") -> None:
        self.url = url.rstrip("/")
        self.http = http
        self.site = site

    def accepted(self, venue_id: str) -> list[SourceRecord]:
        """Every accepted paper of one venue-year (raises ``SourceDown``)."""
        found: list[SourceRecord] = []
        for notes in self._pages({"content.venueid": venue_id}):
            for note in notes:
                rec = note_record(note, self.site)
                if rec is not None and _text(_value(note.get("content") or {}, "venueid")) == venue_id:
                    found.append(rec)
        return found

    def _pages(self, params: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
        for page in range(MAX_PAGES):
            answer = self.http.get(f"{self.url}/notes", {**params, "limit": str(PAGE),
                                                         "offset": str(page * PAGE)}, _check)
            yield answer["notes"]
            if len(answer["notes"]) < PAGE:
                return

    def search(self, title: str) -> list[SourceRecord]:
        """Forums whose title is ``title`` (raises ``SourceDown``)."""
        answer = self.http.get(f"{self.url}/notes/search",
                               {"term": title, "content": "title", "type": "exact", "source": "forum",
                                "limit": "25"}, _check)
        return [r for r in (note_record(n, self.site) for n in answer["notes"]) if r is not None]
