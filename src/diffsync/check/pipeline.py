"""The check pipeline: parse -> fetch -> store -> compare -> record findings.

Shared by ``diffsync check`` and the daemon, so both run the same steps.
Fetching happens under the database's poll lock, so two processes sharing a
database never ask arXiv at the same time; each fetched batch is stored in
its own transaction, so an interrupted run loses nothing already fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterable

from ..review import decisions
from ..drift import rules
from ..arxivapi.client import ArxivClient
from ..config import Settings
from ..listfile.dates import entry_year
from ..gcpause import gc_paused, set_aside
from ..errors import ApiError, DiffsyncError, one_line
from ..listfile.parse import read_list
from ..models import Entry, Finding, ParsedList, PaperRecord, SearchMatch, Status
from ..store import papers
from ..store.store import Store
from ..textnorm import without_leftover
from .lookup import refuse_during_cooldown, store_batch
from .titlesearch import TitleAsk, search_titles
from ..utc import as_utc, utcnow
from ..writeback.fixes import with_fixes


@dataclass(frozen=True)
class CheckSummary:
    entries: int = 0
    papers: int = 0  # distinct arXiv IDs tracked by the list
    fetched: int = 0  # papers asked of arXiv this run
    requests: int = 0  # HTTP requests made to arXiv this run
    unchecked: int = 0  # papers arXiv could not be asked about this run
    unreadable: int = 0  # of those, answered with a record that could not be read or stored
    not_compared: int = 0  # linked papers with no stored metadata (e.g. --offline before any fetch)
    searched: int = 0  # title searches sent this run
    new: int = 0  # findings first seen this run
    open: int = 0  # findings open after this run
    resolved: int = 0  # findings resolved by this run
    by_kind: dict[str, int] = field(default_factory=dict)  # open findings per kind


@dataclass(frozen=True)
class CheckResult:
    list_path: str
    findings: tuple[Finding, ...]  # every finding of this list after the run, any status
    summary: CheckSummary
    run_id: int | None = None
    problems: tuple[str, ...] = ()  # per-entry problems reported, run went on
    interrupted: bool = False
    unreadable: dict[str, str] = field(default_factory=dict)  # paper or search -> why, unchecked


ProgressCallback = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True)
class CheckOptions:
    """How one check runs: the flags, with ``[check]`` settings filled in for those not given.

    One value the stages share, instead of the same five arguments threaded through each.
    """

    offline: bool = False
    max_age: float = 0.0  # hours a stored answer stays fresh; 0: always ask
    strict: bool = False
    search: bool = True  # title-search unlinked and mismatched entries (never offline)
    trigger: str = "check"  # "check" | "daemon": recorded in the run log
    progress: ProgressCallback | None = None
    should_stop: Callable[[], bool] | None = None

    @classmethod
    def resolve(cls, settings: Settings, *, offline: bool = False,
                max_age_hours: float | None = None, strict: bool | None = None,
                search: bool | None = None, trigger: str = "check",
                progress: ProgressCallback | None = None,
                should_stop: Callable[[], bool] | None = None) -> CheckOptions:
        """Flags over settings: a flag left at None takes the ``[check]`` value."""
        check = settings.check
        return cls(offline=offline,
                   max_age=check.max_age if max_age_hours is None else max_age_hours,
                   strict=check.strict if strict is None else strict,
                   search=(check.search if search is None else search) and not offline,
                   trigger=trigger, progress=progress, should_stop=should_stop)

    def stopping(self) -> bool:
        return bool(self.should_stop and self.should_stop())


@dataclass
class _FetchTally:
    # One accumulator per run, not a value each stage returns: a stage that fails half-way
    # has still made requests, and the failed run's log must count them.
    fetched: int = 0
    requests: int = 0
    searched: int = 0
    unchecked: dict[str, str] = field(default_factory=dict)
    # Answers that could not be read or stored: what (an ID or a search) -> warning line.
    unreadable: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False

    def skip(self, what: str, warning: str) -> None:
        """One paper or search is left unchecked this run; the run goes on."""
        self.unchecked[what] = warning
        self.unreadable[what] = warning


def run_check(
    settings: Settings,
    list_path: Path,
    *,
    offline: bool = False,
    max_age_hours: float | None = None,
    strict: bool | None = None,
    search: bool | None = None,
    progress: ProgressCallback | None = None,
    trigger: str = "check",  # "check" | "daemon": recorded in the run log
    should_stop: Callable[[], bool] | None = None,
) -> CheckResult:
    """Run one check of ``list_path``; raises DiffsyncError subclasses when it cannot complete."""
    options = CheckOptions.resolve(settings, offline=offline, max_age_hours=max_age_hours,
                                   strict=strict, search=search, trigger=trigger,
                                   progress=progress, should_stop=should_stop)
    with gc_paused():
        return _run_check(settings, list_path, options)


def _run_check(settings: Settings, list_path: Path, options: CheckOptions) -> CheckResult:
    data, parsed = read_list(list_path, settings.list.max_mb)
    with Store.open(settings.database_url, busy_timeout=settings.database.busy_timeout) as store:
        list_id = store.list_id(str(Path(list_path).resolve()))
        run_id = store.start_run(options.trigger, str(list_path))
        tally = _FetchTally()
        with store.heartbeat(run_id):  # so a killed check shows as abandoned, not running
            try:
                store.save_entries(list_id, parsed)
                keys = [rules.search_key(e) for e in parsed.entries]  # once: search, compare, scope
                ids = sorted({e.arxiv_id for e in parsed.entries if e.arxiv_id})
                stored = store.load_records(ids)
                last_seen = {i: r.version for i, r in stored.items()}  # for new_version
                # Offline nothing changes after this read; online, _fetch reads the records
                # again, so only their versions are kept meanwhile (half the memory).
                current = stored if options.offline else None
                del stored
                set_aside()
                if not options.offline:
                    current = _fetch(settings, store, list_id, parsed, ids, keys, options, tally)
                result = _compare_and_record(store, list_id, data, parsed, ids, last_seen, current,
                                             options, tally, keys)
                store.ensure_still_there()  # a deleted file took every write of this run with it
            except BaseException as exc:  # record the failure, then let the CLI report it
                status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                store.finish_run(run_id, status=status, requests=tally.requests,
                                 papers=tally.fetched, new=0, open=0, resolved=0,
                                 error=one_line(exc))
                raise
        summary = result.summary
        store.finish_run(
            run_id, status="interrupted" if tally.interrupted else "ok",
            requests=summary.requests, papers=summary.fetched, new=summary.new,
            open=summary.open, resolved=summary.resolved,
            error=_unchecked_note(tally.unchecked),
        )
    problems = tuple(f"line {e.line}: {p}" for e in parsed.entries for p in e.problems)
    return CheckResult(
        list_path=str(list_path), findings=result.findings, summary=summary,
        run_id=run_id, problems=tuple(parsed.problems) + problems + tuple(tally.unreadable.values()),
        interrupted=tally.interrupted, unreadable=dict(tally.unreadable),
    )


def _unchecked_note(unchecked: dict[str, str]) -> str | None:
    if not unchecked:
        return None
    reason = next(iter(unchecked.values()))
    return f"{len(unchecked)} papers unchecked this run ({reason})"


def _fetch(
    settings: Settings, store: Store, list_id: int, parsed: ParsedList, ids: list[str],
    keys: list[str], options: CheckOptions, tally: _FetchTally,
) -> dict[str, PaperRecord] | None:
    """Fetch what is due, then title-search; the list's records as stored after it (None if stopped)."""
    refuse_during_cooldown(store, settings)
    waiting_since = utcnow()
    with store.poll_lock() as waited:
        max_age = options.max_age
        cutoff = utcnow() - timedelta(hours=max_age) if max_age > 0 else None
        if waited:
            # Another process just polled arXiv: reuse what it fetched meanwhile.
            cutoff = min(cutoff, waiting_since) if cutoff else waiting_since
        fresh = store.fetched_since(cutoff) if cutoff else set()
        todo = [i for i in ids if i not in fresh]
        with ArxivClient(settings.arxiv, pacer=store.pacer()) as client:
            progress = options.progress
            if progress:
                progress("fetch", 0, len(todo))
            for batch in client.fetch_batches(todo):
                now = utcnow()
                unstored = store_batch(store, batch.records.values(), now)
                if batch.not_found:
                    store.mark_not_found(batch.not_found, now)
                set_aside(collect=True)
                tally.unchecked.update(batch.unchecked)
                for arxiv_id, reason in {**batch.unreadable, **unstored}.items():
                    tally.skip(arxiv_id, f"arXiv {arxiv_id}: {reason}; left unchecked this run")
                tally.requests += batch.requests
                tally.fetched += len(batch.records) - len(unstored) + len(batch.not_found)
                if progress:
                    progress("fetch", tally.fetched + len(tally.unchecked), len(todo))
                if options.stopping():
                    tally.interrupted = True
                    return None
            if todo and tally.fetched == 0 and tally.unchecked and not tally.unreadable:
                reason = next(iter(tally.unchecked.values()))
                raise ApiError(f"arXiv could not be reached: {reason}")
            records = store.load_records(ids)
            if options.search:
                saved = _search(settings, store, parsed, records, client, keys, options, tally)
                # A match may be one of the list's papers, stored anew: read those again.
                records.update(store.load_records(sorted(saved & records.keys())))
            return records


def _search(
    settings: Settings, store: Store, parsed: ParsedList, records: dict[str, PaperRecord],
    client: ArxivClient, keys: list[str], options: CheckOptions, tally: _FetchTally,
) -> set[str]:
    """Title-search entries with no arXiv link or a link to another paper; answers are cached.

    ``records`` are the list's papers and ``keys`` the entries' search keys; returns the
    IDs of the matches stored here.  Titles go in batches of
    ``[check] search_batch`` (see titlesearch); each batch's answers are stored together.
    """
    cached = store.load_searches()
    # A search answer is reused while the entry is unchanged (its key) and the answer is
    # younger than --max-age when one is given, else [check] search_max_age.
    hours = options.max_age if options.max_age > 0 else settings.check.search_max_age
    fresh_after = utcnow() - timedelta(hours=hours)
    wanted: dict[str, TitleAsk] = {}
    lines: dict[str, int] = {}  # for warnings: the first entry that asked
    for e, key in zip(parsed.entries, keys):
        if key in wanted or not rules.needs_search(e, records.get(e.arxiv_id) if e.arxiv_id else None):
            continue
        row = cached.get(key)
        if row is not None and as_utc(row.searched_at) >= fresh_after:
            continue
        wanted[key] = TitleAsk(key, without_leftover(e.title), tuple(e.authors), entry_year(e))
        lines[key] = e.line
    del cached
    titles = {key: ask.title for key, ask in wanted.items()}
    done: set[str] = set()
    saved: set[str] = set()
    batches = search_titles(client, list(wanted.values()), settings.check.search_batch)
    while True:
        if options.stopping():
            tally.interrupted = True
            return saved
        before = client.requests_made
        try:
            answered = next(batches, None)
        except DiffsyncError as exc:
            # arXiv stopped answering: keep what was answered, search the rest next run.
            tally.unchecked.update({k: one_line(exc) for k in wanted if k not in done})
            return saved
        finally:
            tally.requests += client.requests_made - before
        if answered is None:
            return saved
        for key, why in answered.unreadable.items():
            # The paper may be the one that could not be read: "no match" would be cached.
            tally.skip(key, f"title search for line {lines[key]}: {why}; searched again next run")
        matches = dict(answered.matches)
        for key, m in answered.matches.items():
            why = papers.unstorable(m.record) if m is not None else None
            if why:
                tally.skip(key, f"title search for line {lines[key]}: arXiv {m.record.arxiv_id}: "
                                f"{why}; searched again next run")
                del matches[key]
        found = [m.record for m in matches.values() if m is not None]
        store.save_searches(found, [(key, titles[key], m.record.arxiv_id if m else None,
                                     m.score if m else None) for key, m in matches.items()],
                            utcnow())
        saved.update(r.arxiv_id for r in found)
        searched = [k for k in [*answered.matches, *answered.unreadable] if k not in done]
        done.update(searched)
        tally.searched += len(searched)
        if options.progress and searched:
            options.progress("search", len(done), len(wanted))


@dataclass(frozen=True)
class _Compared:
    findings: tuple[Finding, ...]
    summary: CheckSummary


def _compare_and_record(
    store: Store, list_id: int, data: bytes, parsed: ParsedList, ids: list[str],
    last_seen: dict[str, int], current: dict[str, PaperRecord] | None, options: CheckOptions,
    tally: _FetchTally, keys: list[str],
) -> _Compared:
    records = dict(current) if current is not None else store.load_records(ids)
    not_found = store.not_found_ids() & set(ids)
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
    findings = rules.compare(parsed.entries, records, not_found=not_found, searches=searches,
                             last_seen_versions=last_seen, strict=options.strict, search_keys=keys)
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
        entries=len(parsed.entries), papers=len(ids), fetched=tally.fetched,
        requests=tally.requests, unchecked=len(tally.unchecked), searched=tally.searched,
        unreadable=len(tally.unreadable),
        not_compared=len(set(ids) - records.keys() - not_found - tally.unchecked.keys()),
        new=sync.new, open=sum(by_kind.values()), resolved=sync.resolved, by_kind=by_kind,
    )
    return _Compared(findings=everything, summary=summary)


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
