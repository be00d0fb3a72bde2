"""The check's venue step: ask what is due of each source, store it, decide per paper.

Order, each step only for papers still without a venue:

1. Semantic Scholar by arXiv ID, 500 a request;
2. OpenReview: the accepted list of each venue-year a paper could be in
   (fetched once; kept for good once decisions are final), matched here;
   an exact-title search for papers Semantic Scholar does not know;
3. DBLP, one title search a paper.

An answer is fresh for ``[venues] max_age`` days, a confirmed venue for a
year.  ``--offline`` reads stored answers only.  A source that is down or
cooling down is skipped with one warning; its papers keep their stored
answers, or are "venue unchecked", never "no venue".
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from ..config import VenuesSettings
from ..configvalues import source_names
from ..models import PaperRecord
from ..store.venues import StoredAnswer, VenueStore
from ..textnorm import title_key
from ..utc import as_utc, utcnow
from ..venuenames import OPENREVIEW_VENUES, openreview_final, openreview_venue_id
from ..venuesrc.http import SourceDown
from ..venuesrc.records import DBLP, OPENREVIEW, SEMANTIC_SCHOLAR, SOURCE_NAMES, SourceRecord
from .clients import Clients, open_clients
from .evidence import CONFIRMED, VenueEvidence, coverage, decide
from .findings import agrees, listed_venues
from .match import YEARS_AFTER_V1, venue_of

log = logging.getLogger("diffsync.venuecheck")
CONFIRMED_MAX_AGE = timedelta(days=365)  # a confirmed venue rarely changes
OR_SEARCH_FROM = 2023  # OpenReview's API v2 holds venues from 2023 on: older papers are not searched


@dataclass
class VenueRun:
    """What the venue step did: evidence per paper, requests per source, warnings."""

    evidence: dict[str, VenueEvidence] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False

    def coverage_line(self) -> str:
        return coverage(self.evidence).line()


def _priority(answer: StoredAnswer | None, arxiv_id: str) -> tuple[int, float, tuple[int, ...]]:
    """Never asked first (newest arXiv ID first: the likeliest to be newly published), then the
    oldest answer first."""
    if answer is None:
        return (0, 0.0, tuple(-ord(c) for c in arxiv_id))
    return (1, as_utc(answer.asked_at).timestamp(), ())


def _fresh(answer: StoredAnswer | None, now: datetime, max_age: timedelta) -> bool:
    if answer is None:
        return False
    return as_utc(answer.asked_at) >= now - (CONFIRMED_MAX_AGE if answer.confirmed else max_age)


class _Step:
    """One run's state: stored answers, what each source said now, which sources are down."""

    def __init__(self, venues: VenueStore, papers: dict[str, PaperRecord], settings: VenuesSettings,
                 now: datetime) -> None:
        self.venues, self.papers, self.now = venues, papers, now
        self.max_age = timedelta(days=settings.max_age)
        self.stored = venues.answers(papers)
        self.down: dict[str, str] = {}
        self.listed: dict[str, set[str]] = {}
        self.max_requests = settings.max_requests
        self.notes: list[str] = []

    def record(self, arxiv_id: str, source: str) -> SourceRecord | None:
        answer = self.stored.get((arxiv_id, source))
        return SourceRecord.from_json(answer.record) if answer is not None and answer.record else None

    def confirmed(self, arxiv_id: str) -> bool:
        rec = self.papers[arxiv_id]
        return any(r is not None and venue_of(rec, r) is not None
                   for r in (self.record(arxiv_id, s) for s in (SEMANTIC_SCHOLAR, OPENREVIEW, DBLP)))

    def contradicted(self, arxiv_id: str) -> bool:
        """A venue the list names that the one confirming source contradicts."""
        rec = self.papers[arxiv_id]
        said = [v for r in (self.record(arxiv_id, s) for s in (SEMANTIC_SCHOLAR, OPENREVIEW))
                if r is not None for v in [venue_of(rec, r)] if v is not None]
        named = [n for text in self.listed.get(arxiv_id, ()) for n in listed_venues(text)]
        return bool(said and named) and not any(agrees(named, v) for v in said)

    def capped(self, source: str, ids: list[str]) -> list[str]:
        """At most ``[venues] max_requests`` of ``ids``: never-asked papers first, newest first,
        then the oldest answers; the rest wait for the next checks (one note)."""
        if not self.max_requests or len(ids) <= self.max_requests:
            return ids
        order = sorted(ids, key=lambda i: _priority(self.stored.get((i, source)), i))
        self.notes.append(f"{SOURCE_NAMES[source]}: {len(ids) - self.max_requests} papers left for the "
                          f"next checks (venues.max_requests = {self.max_requests})")
        return order[:self.max_requests]

    def due(self, source: str, ids: Iterable[str]) -> list[str]:
        return [i for i in ids if not _fresh(self.stored.get((i, source)), self.now, self.max_age)]

    def keep(self, source: str, answers: dict[str, SourceRecord | None]) -> None:
        rows = []
        for arxiv_id, rec in answers.items():
            confirmed = rec is not None and venue_of(self.papers[arxiv_id], rec) is not None
            data = rec.as_json() if rec is not None else None
            rows.append((arxiv_id, source, data, confirmed))
            self.stored[(arxiv_id, source)] = StoredAnswer(arxiv_id, source, self.now, data, confirmed)
        self.venues.save_answers(rows, self.now)

    def went_down(self, source: str, exc: SourceDown) -> None:
        self.down[source] = exc.reason
        if exc.cooldown_until is not None:
            self.venues.set_cooldown(source, exc.cooldown_until, exc.reason, time.time())


def gather(settings: VenuesSettings, venues: VenueStore, papers: dict[str, PaperRecord], *,
           listed: dict[str, set[str]] | None = None, offline: bool = False,
           clients: Clients | None = None, should_stop: Callable[[], bool] | None = None) -> VenueRun:
    """Venue evidence for ``papers`` (arXiv's records by ID); see the module docstring.

    ``listed``: the list's venue texts by arXiv ID.  A venue the list names that one
    source contradicts gets DBLP's opinion too: two sources agreeing make it fixable,
    two disagreeing make it ambiguous.
    """
    run = VenueRun()
    if not settings.enabled or not papers:
        return run
    step = _Step(venues, papers, settings, utcnow())
    step.listed = listed or {}
    wanted = source_names(settings.sources)
    if not offline:
        own = clients is None
        clients = clients or open_clients(settings)
        try:
            _ask(step, clients, wanted, run, should_stop or (lambda: False))
        finally:
            run.requests = clients.requests()
            if own:
                clients.close()
    for source, reason in step.down.items():
        run.warnings.append(f"venues: {reason}; its papers are venue-unchecked this run")
    run.warnings += [f"venues: {note}" for note in step.notes]
    for arxiv_id, rec in papers.items():
        records = {s: step.record(arxiv_id, s) for s in wanted if (arxiv_id, s) in step.stored}
        unasked = {s for s in wanted if (arxiv_id, s) not in step.stored and _needed(s, rec, step)}
        run.evidence[arxiv_id] = decide(rec, records, unasked)
    return run


def _needed(source: str, rec: PaperRecord, step: _Step) -> bool:
    """Whether a source that gave no answer could still have told us something."""
    if source == OPENREVIEW:
        return rec.published.year + YEARS_AFTER_V1 >= OR_SEARCH_FROM
    return True


def _ask(step: _Step, clients: Clients, wanted: list[str], run: VenueRun, stop: Callable[[], bool]) -> None:
    for source in wanted:
        cooling = step.venues.cooldown(source)
        if cooling is not None and cooling[0] > time.time():
            step.down[source] = f"{SOURCE_NAMES[source]} cooling down ({cooling[1]})"
    ids = sorted(step.papers)
    if SEMANTIC_SCHOLAR in wanted and SEMANTIC_SCHOLAR not in step.down and clients.s2 is not None:
        try:
            for batch in clients.s2.batches(step.due(SEMANTIC_SCHOLAR, ids)):
                step.keep(SEMANTIC_SCHOLAR, {**{i: None for i in batch.unknown}, **batch.records})
                if stop():
                    run.interrupted = True
                    return
        except SourceDown as exc:
            step.went_down(SEMANTIC_SCHOLAR, exc)
    if OPENREVIEW in wanted and OPENREVIEW not in step.down and clients.openreview is not None:
        try:
            _openreview(step, clients, stop)
        except SourceDown as exc:
            step.went_down(OPENREVIEW, exc)
    if DBLP in wanted and DBLP not in step.down and clients.dblp is not None and not stop():
        residue = step.capped(DBLP, [i for i in step.due(DBLP, ids)
                                     if not step.confirmed(i) or step.contradicted(i)])
        try:
            for arxiv_id in residue:
                rec = step.papers[arxiv_id]
                found = clients.dblp.search(rec.title)
                step.keep(DBLP, {arxiv_id: _best(rec, found)})
                if stop():
                    run.interrupted = True
                    return
        except SourceDown as exc:
            step.went_down(DBLP, exc)
    if stop():
        run.interrupted = True


def _best(rec: PaperRecord, found: list[SourceRecord]) -> SourceRecord | None:
    """The record that is this paper and names a venue (main track first), else None."""
    venues = [(r, v) for r in found for v in [venue_of(rec, r)] if v is not None]
    venues.sort(key=lambda rv: rv[1].workshop)
    return venues[0][0] if venues else None


def _openreview(step: _Step, clients: Clients, stop: Callable[[], bool]) -> None:
    assert clients.openreview is not None
    ids = sorted(step.papers)
    residue = [i for i in step.due(OPENREVIEW, ids) if not step.confirmed(i)]
    if not residue:
        return
    listings = step.venues.listings()
    year_now, month_now = step.now.year, step.now.month
    wanted: set[str] = set()
    for arxiv_id in residue:
        v1 = step.papers[arxiv_id].published.year
        for name in OPENREVIEW_VENUES:
            for year in range(v1, min(v1 + YEARS_AFTER_V1, year_now) + 1):
                venue_id = openreview_venue_id(name, year)
                if venue_id:
                    wanted.add(venue_id)
    by_title: dict[str, list[SourceRecord]] = {}
    for venue_id in sorted(wanted):
        kept = listings.get(venue_id)
        fresh = kept is not None and (kept.final or as_utc(kept.fetched_at) >= step.now - step.max_age)
        records = [SourceRecord.from_json(d) for d in kept.records] if kept is not None and fresh else None
        if records is None:
            records = clients.openreview.accepted(venue_id)
            step.venues.save_listing(venue_id, [r.as_json() for r in records],
                                     openreview_final(venue_id, year_now, month_now), step.now)
        for r in records:
            by_title.setdefault(title_key(r.title), []).append(r)
        if stop():
            return
    answers = {i: _best(step.papers[i], by_title.get(title_key(step.papers[i].title), [])) for i in residue}
    step.keep(OPENREVIEW, answers)
    # Papers Semantic Scholar does not know are often too new for it: ask OpenReview by title.
    unknown = [i for i, a in answers.items() if a is None and step.papers[i].published.year >= OR_SEARCH_FROM
               and (i, SEMANTIC_SCHOLAR) in step.stored and step.record(i, SEMANTIC_SCHOLAR) is None]
    for arxiv_id in step.capped(OPENREVIEW, unknown):
        rec = step.papers[arxiv_id]
        step.keep(OPENREVIEW, {arxiv_id: _best(rec, clients.openreview.search(rec.title))})
        if stop():
            return


def evidence_confirmed(run: VenueRun) -> int:
    return sum(1 for e in run.evidence.values() if e.state == CONFIRMED)
