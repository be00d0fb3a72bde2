"""From the sources' answers to one verdict per paper: confirmed, ambiguous, preprint or unchecked.

- The main track beats a workshop of any venue: a paper presented at a
  workshop and later published at the main conference is a main-track paper.
- Two sources naming different venues (or one venue in different years)
  give no verdict: the paper is "ambiguous", and the finding names both.
- The year comes from the source closest to the venue: OpenReview, then
  DBLP, then Semantic Scholar (whose year may be the preprint's).
- A source that could not be asked makes a paper with no venue "unchecked",
  never "preprint".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import PaperRecord
from ..venuenames import Named, same_venue
from ..venuesrc.records import DBLP, OPENREVIEW, SEMANTIC_SCHOLAR, SOURCE_NAMES, SourceRecord
from .match import venue_of

CONFIRMED, AMBIGUOUS, PREPRINT, UNCHECKED = "confirmed", "ambiguous", "preprint", "unchecked"
_YEAR_ORDER = (OPENREVIEW, DBLP, SEMANTIC_SCHOLAR)


@dataclass(frozen=True)
class Said:
    """One source's venue for the paper, with the record that says it."""

    venue: Named
    record: SourceRecord

    @property
    def where(self) -> str:
        return f"{SOURCE_NAMES[self.record.source]} ({self.record.url})"


@dataclass(frozen=True)
class VenueEvidence:
    """What the venue sources together say about one paper."""

    arxiv_id: str
    state: str  # CONFIRMED | AMBIGUOUS | PREPRINT | UNCHECKED
    venue: Named | None = None  # when confirmed
    agreeing: tuple[Said, ...] = ()  # the sources that name ``venue`` (confirmed) or disagree (ambiguous)
    unchecked: tuple[str, ...] = ()  # sources that could not be asked
    others: tuple[Said, ...] = field(default=())  # further venues seen (workshops beaten by a main track)

    @property
    def sources(self) -> str:
        """"Semantic Scholar and DBLP": who says it."""
        names = list(dict.fromkeys(SOURCE_NAMES[s.record.source] for s in self.agreeing))
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _key(named: Named) -> str:
    return named.name


def decide(rec: PaperRecord, records: dict[str, SourceRecord | None], unchecked: set[str]) -> VenueEvidence:
    """The verdict for ``rec`` from each asked source's record (None: it knows no record)."""
    said = [Said(v, r) for r in records.values() if r is not None
            for v in [venue_of(rec, r)] if v is not None]
    main = [s for s in said if not s.venue.workshop]
    pool = main or said
    if not pool:
        state = UNCHECKED if unchecked else PREPRINT
        return VenueEvidence(rec.arxiv_id, state, unchecked=tuple(sorted(unchecked)))
    ordered = sorted(pool, key=lambda s: _YEAR_ORDER.index(s.record.source))
    first = ordered[0]
    names = {_key(s.venue) for s in pool}
    if any(not same_venue(first.venue.name, n) for n in names):
        return VenueEvidence(rec.arxiv_id, AMBIGUOUS, agreeing=tuple(_one_per_venue(ordered)),
                             unchecked=tuple(sorted(unchecked)))
    years = {s.venue.year for s in pool if s.venue.year is not None}
    if len(years) > 1 and not _year_settled(ordered):
        return VenueEvidence(rec.arxiv_id, AMBIGUOUS, agreeing=tuple(_one_per_year(ordered)),
                             unchecked=tuple(sorted(unchecked)))
    venue = Named(first.venue.name, first.venue.year, first.venue.workshop)
    agreeing = tuple(s for s in ordered if s.venue.year in (venue.year, None))
    return VenueEvidence(rec.arxiv_id, CONFIRMED, venue, agreeing, tuple(sorted(unchecked)),
                         others=tuple(s for s in said if s not in pool))


def _year_settled(ordered: list[Said]) -> bool:
    """OpenReview's venue-year is the acceptance itself: it settles a year Semantic Scholar differs on."""
    first = ordered[0]
    if first.record.source != OPENREVIEW:
        return False
    # DBLP dates the proceedings: if it disagrees with OpenReview, a person looks
    return all(s.venue.year == first.venue.year for s in ordered if s.record.source == DBLP)


def _one_per_venue(ordered: list[Said]) -> list[Said]:
    seen: dict[str, Said] = {}
    for s in ordered:
        seen.setdefault(s.venue.name, s)
    return list(seen.values())


def _one_per_year(ordered: list[Said]) -> list[Said]:
    seen: dict[int | None, Said] = {}
    for s in ordered:
        seen.setdefault(s.venue.year, s)
    return list(seen.values())


@dataclass(frozen=True)
class Coverage:
    """Venue coverage of one check: "venue confirmed for N of M papers; K preprints; L unchecked"."""

    papers: int = 0
    confirmed: int = 0
    preprints: int = 0
    unchecked: int = 0
    ambiguous: int = 0

    def line(self) -> str:
        extra = f"; {self.ambiguous} ambiguous" if self.ambiguous else ""
        return (f"venue confirmed for {self.confirmed} of {self.papers} papers; {self.preprints} still "
                f"preprints as far as the sources know; {self.unchecked} unchecked{extra}")


def coverage(evidence: dict[str, VenueEvidence]) -> Coverage:
    states = [e.state for e in evidence.values()]
    return Coverage(len(states), states.count(CONFIRMED), states.count(PREPRINT), states.count(UNCHECKED),
                    states.count(AMBIGUOUS))
