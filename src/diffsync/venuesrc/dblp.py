"""DBLP publication search: ``GET {url}/search/publ/api?q=…&format=json``, one title a request.

Hits are ``result.hits.hit[].info``; a single author comes as an object,
several as a list, names may end in a disambiguation number ("0001").
arXiv postings are DBLP records too (venue CoRR, type "Informal and Other
Publications", key ``journals/corr/abs-…``): they are never a venue.
"""

from __future__ import annotations

import re
from typing import Any

from ..venuenames import is_no_venue
from .http import JsonHttp
from .records import DBLP, SourceRecord

HITS = 10
_NUMBER = re.compile(r"\s+\d{4}$")
_ARXIV = re.compile(r"(?:arxiv\.org/abs/|abs/|ARXIV\.)(\d{4}\.\d{4,5})", re.IGNORECASE)


def _check(answer: Any) -> str | None:
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, dict):
        return 'expected an object with "result"'
    hits = result.get("hits")
    if hits is not None and not isinstance(hits, dict):
        return '"hits" is not an object'
    hit = (hits or {}).get("hit", [])
    if not isinstance(hit, list) or any(not isinstance(h, dict) for h in hit):
        return '"hit" is not an array of objects'
    return None


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _authors(info: dict[str, Any]) -> tuple[str, ...]:
    wrapped = info.get("authors")
    people = wrapped.get("author") if isinstance(wrapped, dict) else None
    if isinstance(people, dict):
        people = [people]
    if not isinstance(people, list):
        return ()
    names = (_text(p.get("text")) if isinstance(p, dict) else _text(p) for p in people)
    return tuple(_NUMBER.sub("", n) for n in names if n)


def hit_record(info: dict[str, Any]) -> SourceRecord | None:
    title = _text(info.get("title")).rstrip(".")
    if not title:
        return None
    venue = info.get("venue")
    venue = " ".join(_text(v) for v in venue) if isinstance(venue, list) else _text(venue)
    key = _text(info.get("key"))
    kind = _text(info.get("type"))
    year = _text(info.get("year"))
    linked = " ".join(_text(info.get(k)) for k in ("ee", "volume", "doi"))
    arxiv = _ARXIV.search(linked)
    preprint = is_no_venue(venue) or is_no_venue(kind) or key.startswith("journals/corr/")
    return SourceRecord(
        source=DBLP, key=key, url=_text(info.get("url")) or f"https://dblp.org/rec/{key}",
        title=title, authors=_authors(info), venue_text=venue,
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        arxiv_id=arxiv.group(1) if arxiv else None, published=bool(venue) and not preprint,
    )


class Dblp:
    """``search(title)``: DBLP's records for one title."""

    def __init__(self, url: str, http: JsonHttp) -> None:
        self.url = url.rstrip("/") + "/search/publ/api"
        self.http = http

    def search(self, title: str) -> list[SourceRecord]:
        """Records DBLP finds for ``title`` (raises ``SourceDown``)."""
        answer = self.http.get(self.url, {"q": title, "format": "json", "h": str(HITS)}, _check)
        hits = ((answer["result"].get("hits") or {}).get("hit")) or []
        return [r for r in (hit_record(h.get("info") or {}) for h in hits if isinstance(h.get("info"), dict))
                if r is not None]
