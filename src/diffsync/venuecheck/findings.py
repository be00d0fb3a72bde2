"""``venue`` findings from the venue sources' evidence, each naming its sources with links.

- A placeholder ("arXiv 2023.", "Preprint") or a submission to the same venue
  is fixable to the confirmed venue in the list's notation ("ICLR 2024.").
- A venue the list names that the sources contradict is review-only, unless
  two sources agree on the other venue.
- A workshop is never taken for its main track, nor the reverse: the list
  naming the other one is a review-only finding.
- An entry whose shape carries no venue text gets no venue finding, and a
  paper the sources call a preprint is never a finding: sources lag.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..drift.venues import Venue, is_placeholder, known_venues, venue_fix
from ..models import Entry, Finding, Kind, finding_id
from ..textnorm import fold
from ..venuenames import Named, VENUES, is_workshop, same_venue
from .evidence import AMBIGUOUS, CONFIRMED, VenueEvidence

_HEDGE = re.compile(r"\b(submit\w*|submission|under review|in review)\b")


def listed_venues(entry_venue: str) -> list[tuple[str, int | None, bool]]:
    """Venues the entry names as published: (short name, year, workshop)."""
    out = []
    for clause in re.split(r"[;,]|\s[-–—]\s", entry_venue):
        if _HEDGE.search(fold(clause)):
            continue
        for name, year in known_venues(clause):
            out.append((name, year, is_workshop(clause)))
    return out


def agrees(listed: list[tuple[str, int | None, bool]], venue: Named) -> bool:
    return any(same_venue(venue.name, name) and (year is None or venue.year is None or year == venue.year)
               and workshop == venue.workshop for name, year, workshop in listed)


def _fix_text(entry_venue: str, ev: VenueEvidence) -> tuple[str | None, str]:
    """The replacement venue text, or None and why a person decides instead."""
    venue = ev.venue
    assert venue is not None
    if venue.name not in VENUES:
        return None, f'diffsync has no short name for "{venue.name}" to write'
    if venue.year is None:
        return None, "the sources give no year"
    as_arxiv = Venue(f"{venue.name} Workshop" if venue.workshop else venue.name, venue.year, "sources", "")
    listed = listed_venues(entry_venue)
    if is_placeholder(entry_venue) or not listed:
        return venue_fix(entry_venue, as_arxiv)
    if any(same_venue(venue.name, n) and w != venue.workshop for n, _, w in listed):
        return None, ("the list names the workshop and the sources the main track" if not venue.workshop
                      else "the list names the main track and the sources a workshop")
    if len({s.record.source for s in ev.agreeing}) >= 2:
        body = entry_venue.strip().rstrip(".,;:")
        return f"{as_arxiv}{entry_venue.strip()[len(body):]}", ""
    return None, f'the list names another venue ("{entry_venue.strip()}") and only one source says otherwise'


def written_venue(ev: VenueEvidence | None) -> Venue | None:
    """The confirmed venue as ``drift.venues.Venue``, for ``add`` to write; None unless confirmed."""
    if ev is None or ev.state != CONFIRMED or ev.venue is None:
        return None
    label = f"{ev.venue.name} Workshop" if ev.venue.workshop else ev.venue.name
    return Venue(label, ev.venue.year, "sources", ev.sources)


def _one(entry: Entry, occurrence: int, ev: VenueEvidence) -> Finding | None:
    listed_text = (entry.venue or "").strip()
    listed = listed_venues(listed_text)
    if ev.state == CONFIRMED and ev.venue is not None:
        if agrees(listed, ev.venue):
            return None
        links = ", ".join(s.where for s in ev.agreeing)
        agree = len({s.record.source for s in ev.agreeing})
        how = {1: "one source", 2: "two sources agree"}.get(agree, f"{agree} sources agree")
        suggestion, why = _fix_text(listed_text, ev)
        said = f"{ev.sources} say{'s' if ' and ' not in ev.sources else ''} {ev.venue} ({how}: {links})"
        message = f'venue not in the list: list has "{listed_text}", {said}'
        value = f"{ev.venue} (from {ev.sources})"
    elif ev.state == AMBIGUOUS:
        if any(agrees(listed, s.venue) for s in ev.agreeing):
            return None
        said = "; ".join(f"{s.where} says {s.venue}" for s in ev.agreeing)
        message = f'venue ambiguous: list has "{listed_text}"; the sources disagree: {said}'
        suggestion, why = None, "the sources disagree"
        value = " or ".join(str(s.venue) for s in ev.agreeing) + f" (from {ev.sources})"
    else:
        return None
    if why:
        message += f"; review by hand: {why}"
    return Finding(id=finding_id(Kind.VENUE, entry.key, occurrence), kind=Kind.VENUE, line=entry.line,
                   entry_key=entry.key, arxiv_id=entry.arxiv_id, listed=listed_text, arxiv=value,
                   message=message, suggestion=suggestion)


def venue_findings(entries: Sequence[Entry], evidence: dict[str, VenueEvidence],
                   taken: Iterable[str] = ()) -> list[Finding]:
    """Findings for ``entries`` from ``evidence`` by arXiv ID; ``taken``: finding ids already made
    (arXiv's own venue rule speaks first for its entry)."""
    skip = set(taken)
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        occurrence = seen.get(e.key, 0)
        seen[e.key] = occurrence + 1
        if e.venue is None or not e.venue.strip() or e.arxiv_id is None:
            continue  # the shape carries no venue here: nothing to say about it
        ev = evidence.get(e.arxiv_id)
        if ev is None:
            continue
        f = _one(e, occurrence, ev)
        if f is not None and f.id not in skip:
            out.append(f)
    return out
