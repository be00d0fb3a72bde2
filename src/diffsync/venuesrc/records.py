"""What a venue source says about one paper: plain values out of every client."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SEMANTIC_SCHOLAR = "semantic_scholar"
OPENREVIEW = "openreview"
DBLP = "dblp"
SOURCES = (SEMANTIC_SCHOLAR, OPENREVIEW, DBLP)
SOURCE_NAMES = {SEMANTIC_SCHOLAR: "Semantic Scholar", OPENREVIEW: "OpenReview", DBLP: "DBLP"}


@dataclass(frozen=True)
class SourceRecord:
    """One source's record of a paper, as the source gave it."""

    source: str  # one of SOURCES
    key: str  # the record's id at the source: S2 paperId, OpenReview forum, DBLP key
    url: str  # a link to the record, shown as evidence
    title: str
    authors: tuple[str, ...]
    venue_text: str  # the source's venue as written ("" when it names none)
    year: int | None  # the venue's year (the record's year)
    arxiv_id: str | None = None  # an arXiv ID the record carries
    published: bool = True  # False: a preprint record, a submission, a rejection, CoRR
    alternate: tuple[str, ...] = ()  # other names of the venue (S2's alternate_names)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceRecord:
        return cls(**{**data, "authors": tuple(data.get("authors") or ()),
                      "alternate": tuple(data.get("alternate") or ())})
