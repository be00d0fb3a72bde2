"""What the fake venue sources know: one truth per paper, answered in each API's real format.

Shapes follow the recorded answers in ``shared/venue-samples``:
Semantic Scholar's batch array (``null`` for an unknown ID, arXiv.org as
``publicationVenue`` for a paper it knows no venue of), OpenReview v2 notes
(``content.*.value``, ``venueid`` per decision) and DBLP's
``result.hits.hit[].info`` with a CoRR record for every arXiv posting.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ..textnorm import title_key
from ..venuenames import VENUES, openreview_venue_id

ARXIV_ORG = {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org",
             "alternate_names": ["ArXiv"], "issn": "2331-8422", "url": "https://arxiv.org"}


@dataclass(frozen=True)
class FakeVenuePaper:
    """One paper's truth, and which sources have caught up with it."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    year: int  # arXiv v1 year
    venue: str | None = None  # a short name of venuenames.VENUES; None: a preprint only
    venue_year: int | None = None
    workshop: bool = False
    s2_known: bool = True  # else Semantic Scholar answers null
    s2_venue: bool = True  # Semantic Scholar has caught up with the venue (else arXiv.org)
    dblp_venue: bool = True  # DBLP has the venue's record (it always has the CoRR one)
    rejected_at: str | None = None  # an OpenReview venue id it was rejected at
    dblp_says: str | None = None  # DBLP names another venue than the truth (a conflict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FakeVenuePaper:
        return cls(**{**data, "authors": tuple(data["authors"])})


def long_name(short: str) -> str:
    """The venue's longest alias, title-cased: how Semantic Scholar names venues."""
    aliases = VENUES.get(short, ())
    longest = max(aliases, key=len) if aliases else short
    return longest.title() if len(longest) > len(short) else short


def _venue_uuid(short: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"venue:{short}"))


def s2_record(p: FakeVenuePaper) -> dict[str, Any] | None:
    if not p.s2_known:
        return None
    has = p.venue is not None and p.s2_venue
    name = long_name(p.venue) if has and p.venue else ""
    if has and p.workshop:
        name = f"{name} Workshops"
    place = ({"id": _venue_uuid(name), "name": name, "alternate_names": [p.venue], "url": ""}
             if has else ARXIV_ORG)
    key = uuid.uuid5(uuid.NAMESPACE_URL, p.arxiv_id).hex + "00000000"
    return {"paperId": key[:40], "externalIds": {"ArXiv": p.arxiv_id, "DBLP": f"journals/corr/abs-{p.arxiv_id}"},
            "url": f"https://www.semanticscholar.org/paper/{key[:40]}", "title": p.title,
            "venue": name or "arXiv.org", "publicationVenue": place,
            "year": p.venue_year if has else p.year,
            "journal": {"name": name or "ArXiv", "volume": "" if has else f"abs/{p.arxiv_id}"},
            "publicationTypes": ["Conference"] if has else ["JournalArticle"],
            "authors": [{"authorId": str(i), "name": a} for i, a in enumerate(p.authors)]}


def openreview_note(p: FakeVenuePaper, venue_id: str, venue: str) -> dict[str, Any]:
    forum = uuid.uuid5(uuid.NAMESPACE_URL, f"or:{p.arxiv_id}:{venue_id}").hex[:10]
    return {"id": forum, "forum": forum, "domain": venue_id.split("/-/")[0],
            "content": {"title": {"value": p.title}, "authors": {"value": list(p.authors)},
                        "venue": {"value": venue}, "venueid": {"value": venue_id}}}


def openreview_notes(p: FakeVenuePaper) -> list[dict[str, Any]]:
    notes = []
    if p.venue and p.venue_year and not p.workshop:
        venue_id = openreview_venue_id(p.venue, p.venue_year)
        if venue_id:
            shown = f"{p.venue} {p.venue_year} Poster" if p.venue != "TMLR" else "Accepted by TMLR"
            notes.append(openreview_note(p, venue_id, shown))
    if p.rejected_at:
        notes.append(openreview_note(p, p.rejected_at + "/Rejected_Submission",
                                     f"Submitted to {p.rejected_at.split('.')[0]}"))
    return notes


def _authors(names: Iterable[str]) -> dict[str, Any]:
    people = [{"@pid": str(i), "text": n} for i, n in enumerate(names)]
    return {"author": people[0] if len(people) == 1 else people}


def dblp_hits(p: FakeVenuePaper) -> list[dict[str, Any]]:
    corr = {"info": {"authors": _authors(p.authors), "title": p.title + ".", "venue": "CoRR",
                     "volume": f"abs/{p.arxiv_id}", "year": str(p.year), "type": "Informal and Other Publications",
                     "key": f"journals/corr/abs-{p.arxiv_id.replace('.', '-')}",
                     "doi": f"10.48550/ARXIV.{p.arxiv_id}", "ee": f"https://arxiv.org/abs/{p.arxiv_id}",
                     "url": f"https://dblp.org/rec/journals/corr/abs-{p.arxiv_id.replace('.', '-')}"}}
    hits = [corr]
    if p.venue and p.venue_year and p.dblp_venue:
        venue = p.dblp_says or (f"{p.venue} Workshops" if p.workshop else p.venue)
        key = f"conf/{venue.lower().replace(' ', '')}/{p.arxiv_id.replace('.', '')}"
        hits.insert(0, {"info": {"authors": _authors(p.authors), "title": p.title + ".", "venue": venue,
                                 "year": str(p.venue_year), "type": "Conference and Workshop Papers",
                                 "key": key, "url": f"https://dblp.org/rec/{key}"}})
    return hits


class World:
    """Every paper's truth, indexed the way each API is asked."""

    def __init__(self, papers: Iterable[FakeVenuePaper]) -> None:
        self.papers = {p.arxiv_id: p for p in papers}
        self.by_title: dict[str, list[FakeVenuePaper]] = {}
        self.by_venue_id: dict[str, list[dict[str, Any]]] = {}
        for p in self.papers.values():
            self.by_title.setdefault(title_key(p.title), []).append(p)
            for note in openreview_notes(p):
                self.by_venue_id.setdefault(note["content"]["venueid"]["value"], []).append(note)

    def s2_batch(self, ids: list[str]) -> list[dict[str, Any] | None]:
        out = []
        for given in ids:
            p = self.papers.get(given.removeprefix("ARXIV:")) if given.startswith("ARXIV:") else None
            out.append(s2_record(p) if p else None)
        return out

    def openreview_listing(self, venue_id: str, limit: int, offset: int) -> dict[str, Any]:
        notes = self.by_venue_id.get(venue_id, [])
        return {"notes": notes[offset:offset + limit], "count": len(notes)}

    def openreview_search(self, term: str) -> dict[str, Any]:
        notes = [n for p in self.by_title.get(title_key(term), []) for n in openreview_notes(p)]
        return {"notes": notes, "count": len(notes)}

    def dblp_search(self, q: str, hits: int) -> dict[str, Any]:
        found = [h for p in self.by_title.get(title_key(q), []) for h in dblp_hits(p)][:hits]
        return {"result": {"query": q, "status": {"@code": "200", "text": "OK"},
                           "hits": {"@total": str(len(found)), "@sent": str(len(found)), "hit": found}}}


def load_world(path: str | Path) -> World:
    return World(FakeVenuePaper.from_json(d) for d in json.loads(Path(path).read_text(encoding="utf-8")))


def dump_papers(papers: Iterable[FakeVenuePaper]) -> str:
    return json.dumps([asdict(p) for p in papers])
