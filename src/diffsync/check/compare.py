"""Compare one list with what is known, and record its findings: the per-list step of a check.

``compare_list`` is a plain function of values: the list (bytes and parsed entries), what
the store knows about its papers and searches (``Known``, loaded once for every list of a
run), and what this run could not check.  A check of many lists calls it once per list
after one fetch over their union.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..drift import rules
from ..models import Entry, Finding, ParsedList, PaperRecord, SearchMatch, Status
from ..review import decisions
from ..store.store import Store
from ..utc import utcnow
from ..writeback.fixes import with_fixes


@dataclass(frozen=True)
class CheckSummary:
    entries: int = 0
    papers: int = 0  # distinct arXiv IDs tracked by the list
    fetched: int = 0  # the list's papers asked of arXiv this run
    requests: int = 0  # HTTP requests made to arXiv this run (shared by the lists of one run)
    unchecked: int = 0  # papers arXiv could not be asked about this run
    unreadable: int = 0  # of those, answered with a record that could not be read or stored
    not_compared: int = 0  # linked papers with no stored metadata (e.g. --offline before any fetch)
    searched: int = 0  # title searches sent this run
    new: int = 0  # findings first seen this run
    open: int = 0  # findings open after this run
    resolved: int = 0  # findings resolved by this run
    by_kind: dict[str, int] = field(default_factory=dict)  # open findings per kind
    links: int = 0  # arXiv links in the file (coverage)
    links_in_entries: int = 0  # of those, inside an entry

    @property
    def unanswered(self) -> int:
        """Papers and searches left unchecked because arXiv stopped answering: the check is
        incomplete (exit 3), unlike a record arXiv answered unreadably (a warning)."""
        return self.unchecked - self.unreadable


@dataclass(frozen=True)
class Known:
    """What the store knows after the fetch: records (the lists' papers and every search
    match), papers arXiv does not have, and the title-search answers by entry key."""

    records: dict[str, PaperRecord]
    not_found: set[str]
    searches: dict[str, SearchMatch | None]

    @classmethod
    def load(cls, store: Store, ids: Iterable[str],
             current: dict[str, PaperRecord] | None = None) -> Known:
        """``current``: the records already read after the fetch (else read here)."""
        ids = sorted(set(ids))
        records = dict(current) if current is not None else store.load_records(ids)
        rows = store.load_searches()
        matched = store.load_records({r.match_id for r in rows.values() if r.match_id})
        searches: dict[str, SearchMatch | None] = {}
        for key, row in rows.items():
            if row.match_id is None:
                searches[key] = None  # searched; nothing confirmed
            elif row.match_id in matched:
                searches[key] = SearchMatch(record=matched[row.match_id], score=row.score or 0.0)
        for arxiv_id, record in matched.items():
            records.setdefault(arxiv_id, record)
        return cls(records=records, not_found=store.not_found_ids() & set(ids), searches=searches)


@dataclass(frozen=True)
class Unchecked:
    """What this run could not check for one list, and its share of the run's work."""

    fetched: int = 0  # of the list's papers
    requests: int = 0  # of the whole run
    searched: int = 0  # of the list's entries
    unchecked: frozenset[str] = frozenset()  # IDs and search keys left unchecked
    unreadable: frozenset[str] = frozenset()  # of those, answered unreadably


@dataclass(frozen=True)
class Compared:
    findings: tuple[Finding, ...]  # every finding of the list after the run, any status
    summary: CheckSummary


def compare_list(store: Store, list_id: int, data: bytes, parsed: ParsedList, ids: list[str],
                 known: Known, last_seen: dict[str, int], work: Unchecked, *,
                 strict: bool = False, keys: list[str] | None = None) -> Compared:
    """Compare the list's entries with ``known``, record the findings, and sum them up.

    ``ids`` are the list's arXiv IDs, ``last_seen`` the versions stored before this run
    (for new_version), ``keys`` the entries' search keys (computed if not given).
    """
    keys = keys if keys is not None else [rules.search_key(e) for e in parsed.entries]
    records, searches = known.records, known.searches
    not_found = known.not_found & set(ids)
    findings = rules.compare(parsed.entries, records, not_found=not_found, searches=searches,
                             last_seen_versions=last_seen, strict=strict, search_keys=keys)
    scope = _scope(parsed.entries, records, not_found, searches, keys)
    # A finding whose entry key no longer appears (e.g. a fix changed the entry's ID)
    # describes an entry that is gone: it is resolved, not left open forever.
    current = {e.key for e in parsed.entries}
    scope |= {f.entry_key for f in store.findings(list_id) if f.entry_key not in current}
    sync = store.sync_findings(list_id, findings, scope_keys=scope, now=utcnow())
    decisions.apply(store, list_id, parsed)  # LIST.diffsync.toml, when the list has one
    everything = with_fixes(data, parsed, store.findings(list_id), records)
    by_kind: dict[str, int] = {}
    for f in everything:
        if f.status is Status.OPEN:
            by_kind[f.kind.value] = by_kind.get(f.kind.value, 0) + 1
    summary = CheckSummary(
        entries=len(parsed.entries), papers=len(ids), fetched=work.fetched,
        requests=work.requests, unchecked=len(work.unchecked), searched=work.searched,
        unreadable=len(work.unreadable),
        not_compared=len(set(ids) - records.keys() - not_found - work.unchecked),
        new=sync.new, open=sum(by_kind.values()), resolved=sync.resolved, by_kind=by_kind,
        links=parsed.coverage.links if parsed.coverage else 0,
        links_in_entries=parsed.coverage.links_in_entries if parsed.coverage else 0,
    )
    return Compared(findings=everything, summary=summary)


def _scope(entries: Iterable[Entry], records: dict[str, PaperRecord], not_found: set[str],
           searches: dict[str, SearchMatch | None], keys: list[str]) -> set[str]:
    """Entries compared this run: only their findings may be resolved by absence."""
    scope = set()
    for e, key in zip(entries, keys):
        if e.arxiv_id:
            if e.arxiv_id in records or e.arxiv_id in not_found:
                scope.add(e.key)
        elif key in searches:
            scope.add(e.key)
    return scope
