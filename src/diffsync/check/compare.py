"""Compare one list with what is known: the first per-list step of a check.

``compare_entries`` is a plain function of values: the list's parsed entries, what the
store knows about its papers and searches (``Known``, loaded once for every list of a
run), and what this run could not check.  Recording, deciding and attaching fixes are
the steps after it (``steps``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..drift import rules
from ..models import Entry, Finding, ParsedList, PaperRecord, SearchMatch
from ..store.store import RunCounts, Store


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
    venue_requests: dict[str, int] = field(default_factory=dict)  # per venue source, whole run
    venue_coverage: str = ""  # "venue confirmed for N of M papers; ..." ("" with [venues] off)

    @property
    def run_counts(self) -> RunCounts:
        """What the run log keeps of this list's run."""
        return RunCounts(requests=self.requests, papers=self.fetched, new=self.new, open=self.open,
                         resolved=self.resolved)

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
class Comparison:
    """What comparing one list found, before anything is recorded."""

    findings: tuple[Finding, ...]  # this run's findings, all open
    scope: frozenset[str]  # keys of the entries compared this run: only theirs resolve by absence
    not_compared: int  # linked papers with no stored metadata and not left unchecked


def compare_entries(parsed: ParsedList, ids: list[str], known: Known, last_seen: dict[str, int],
                    work: Unchecked, *, strict: bool = False,
                    keys: list[str] | None = None) -> Comparison:
    """Compare the list's entries with ``known``: the findings, and which entries were compared.

    ``ids`` are the list's arXiv IDs, ``last_seen`` the versions stored before this run
    (for new_version), ``keys`` the entries' search keys (computed if not given).
    """
    keys = keys if keys is not None else [rules.search_key(e) for e in parsed.entries]
    records, searches = known.records, known.searches
    not_found = known.not_found & set(ids)
    findings = rules.compare(parsed.entries, records, not_found=not_found, searches=searches,
                             last_seen_versions=last_seen, strict=strict, search_keys=keys)
    return Comparison(
        findings=tuple(findings), scope=frozenset(_scope(parsed.entries, records, not_found, searches, keys)),
        not_compared=len(set(ids) - records.keys() - not_found - work.unchecked))


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
