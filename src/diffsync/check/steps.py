"""The per-list steps of a check, in order: compare, record, decide, attach fixes, sum up.

A check of many lists runs them once per list after one fetch over the lists' union.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..models import Finding, ParsedList, Status
from ..review import decisions
from ..store.store import Store, SyncSummary
from ..utc import utcnow
from ..venuecheck.evidence import coverage
from ..venuecheck.findings import venue_findings
from ..venuecheck.gather import VenueRun
from ..writeback.fixes import with_fixes
from .compare import CheckSummary, Comparison, Known, Unchecked, compare_entries


@dataclass(frozen=True)
class Compared:
    findings: tuple[Finding, ...]  # every finding of the list after the run, any status
    summary: CheckSummary


def check_list(store: Store, list_id: int, data: bytes, parsed: ParsedList, ids: list[str],
               known: Known, last_seen: dict[str, int], work: Unchecked, *,
               strict: bool = False, keys: list[str] | None = None,
               venues: VenueRun | None = None) -> Compared:
    """Compare the list with ``known`` (and the venue sources' evidence, ``venues``), record
    the findings, apply its decisions file, attach each finding's fix, and sum them up."""
    comparison = compare_entries(parsed, ids, known, last_seen, work, strict=strict, keys=keys)
    evidence = {i: venues.evidence[i] for i in ids if i in venues.evidence} if venues else {}
    if evidence:
        found = venue_findings(parsed.entries, evidence, {f.id for f in comparison.findings})
        comparison = replace(comparison, findings=comparison.findings + tuple(found))
    sync = record_findings(store, list_id, parsed, comparison)
    decide(store, list_id, parsed)
    everything = attach_fixes(store, list_id, data, parsed, known)
    summary = sum_up(parsed, ids, work, comparison, sync, everything)
    if venues is not None and evidence:
        summary = replace(summary, venue_requests=dict(venues.requests),
                          venue_coverage=coverage(evidence).line())
    return Compared(findings=everything, summary=summary)


def record_findings(store: Store, list_id: int, parsed: ParsedList, comparison: Comparison) -> SyncSummary:
    """Store this run's findings; a compared entry's finding not found again is resolved."""
    # A finding whose entry key no longer appears (e.g. a fix changed the entry's ID)
    # describes an entry that is gone: it is resolved, not left open forever.
    current = {e.key for e in parsed.entries}
    scope = set(comparison.scope)
    scope |= {f.entry_key for f in store.findings(list_id) if f.entry_key not in current}
    return store.sync_findings(list_id, comparison.findings, scope_keys=scope, now=utcnow())


def decide(store: Store, list_id: int, parsed: ParsedList) -> None:
    """Apply the decisions kept beside the list (LIST.diffsync.toml), when it has them."""
    decisions.apply(store, list_id, parsed)


def attach_fixes(store: Store, list_id: int, data: bytes, parsed: ParsedList,
                 known: Known) -> tuple[Finding, ...]:
    """Every finding of the list, each with the exact text export would write for it."""
    return with_fixes(data, parsed, store.findings(list_id), known.records)


def sum_up(parsed: ParsedList, ids: list[str], work: Unchecked, comparison: Comparison,
           sync: SyncSummary, everything: tuple[Finding, ...]) -> CheckSummary:
    by_kind: dict[str, int] = {}
    for f in everything:
        if f.status is Status.OPEN:
            by_kind[f.kind.value] = by_kind.get(f.kind.value, 0) + 1
    return CheckSummary(
        entries=len(parsed.entries), papers=len(ids), fetched=work.fetched,
        requests=work.requests, unchecked=len(work.unchecked), searched=work.searched,
        unreadable=len(work.unreadable), not_compared=comparison.not_compared,
        new=sync.new, open=sum(by_kind.values()), resolved=sync.resolved, by_kind=by_kind,
        links=parsed.coverage.links if parsed.coverage else 0,
        links_in_entries=parsed.coverage.links_in_entries if parsed.coverage else 0,
    )
