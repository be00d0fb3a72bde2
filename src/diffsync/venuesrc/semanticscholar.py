"""Semantic Scholar's paper batch: ``POST {url}/paper/batch?fields=…`` with ``{"ids": ["ARXIV:…"]}``.

Up to 500 IDs a request; the answer is an array in request order with
``null`` for an ID Semantic Scholar does not know, so answers are zipped
back with the IDs asked.  The venue comes from ``publicationVenue`` (its id
tells arXiv.org apart, whatever its name), else ``venue``, else
``journal.name``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from ..venuenames import S2_PREPRINT_VENUE_IDS, is_no_venue
from .http import JsonHttp
from .records import SEMANTIC_SCHOLAR, SourceRecord

BATCH = 500  # the API's most IDs a request
FIELDS = "title,venue,publicationVenue,journal,year,publicationTypes,externalIds,authors,url"


@dataclass(frozen=True)
class BatchAnswer:
    """One request's worth: what each asked ID came to."""

    records: dict[str, SourceRecord]  # arXiv ID -> Semantic Scholar's record
    unknown: frozenset[str]  # answered null: Semantic Scholar does not know the paper


def _check(ids: Sequence[str]):
    def check(answer: Any) -> str | None:
        if not isinstance(answer, list):
            return f"expected a JSON array, got {type(answer).__name__}"
        if len(answer) != len(ids):
            return f"{len(answer)} answers for {len(ids)} IDs"
        if any(a is not None and not isinstance(a, dict) for a in answer):
            return "an answer is neither a record nor null"
        return None
    return check


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 2200 else None


def record(arxiv_id: str, data: dict[str, Any]) -> SourceRecord:
    """A Semantic Scholar paper as a ``SourceRecord``; arXiv.org as venue is no venue."""
    place = data.get("publicationVenue") if isinstance(data.get("publicationVenue"), dict) else {}
    journal = data.get("journal") if isinstance(data.get("journal"), dict) else {}
    preprint = _text(place.get("id")) in S2_PREPRINT_VENUE_IDS
    venue = "" if preprint else (_text(place.get("name")) or _text(data.get("venue"))
                                 or _text(journal.get("name")))
    alternate = place.get("alternate_names") if not preprint else ()
    authors = data.get("authors") if isinstance(data.get("authors"), list) else []
    external = data.get("externalIds") if isinstance(data.get("externalIds"), dict) else {}
    key = _text(data.get("paperId"))
    return SourceRecord(
        source=SEMANTIC_SCHOLAR, key=key,
        url=_text(data.get("url")) or f"https://www.semanticscholar.org/paper/{key}",
        title=_text(data.get("title")),
        authors=tuple(_text(a.get("name")) for a in authors if isinstance(a, dict) and _text(a.get("name"))),
        venue_text=venue, year=_year(data.get("year")),
        arxiv_id=_text(external.get("ArXiv")) or arxiv_id,
        published=bool(venue) and not is_no_venue(venue),
        alternate=tuple(_text(a) for a in alternate if _text(a)) if isinstance(alternate, list) else (),
    )


class SemanticScholar:
    """``batches(ids)``: one ``BatchAnswer`` per request of up to 500 IDs (raises ``SourceDown``)."""

    def __init__(self, url: str, http: JsonHttp, batch: int = BATCH) -> None:
        self.url = url.rstrip("/") + "/paper/batch"
        self.http = http
        self.batch = max(1, min(batch, BATCH))

    def batches(self, ids: Sequence[str]) -> Iterator[BatchAnswer]:
        for start in range(0, len(ids), self.batch):
            chunk = list(ids[start:start + self.batch])
            answer = self.http.post(self.url, {"fields": FIELDS},
                                    {"ids": [f"ARXIV:{i}" for i in chunk]}, _check(chunk))
            records = {i: record(i, a) for i, a in zip(chunk, answer) if a is not None}
            yield BatchAnswer(records, frozenset(i for i, a in zip(chunk, answer) if a is None))
