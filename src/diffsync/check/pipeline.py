"""The check pipeline: parse -> fetch -> store -> compare -> record findings.

Shared by ``diffsync check`` and the daemon, so both run the same steps.  A run checks
any number of lists in one pass: every list is parsed, the union of their arXiv IDs is
fetched once (a paper several lists hold is asked for once), one batched title-search
phase covers every list's unlinked entries, then each list is compared on its own
(``steps.check_list``: compare, record, decide, attach fixes) and gets its own run in
the log.

Fetching happens under the database's poll lock, so two processes sharing a
database never ask arXiv at the same time; each fetched batch is stored in
its own transaction, so an interrupted run loses nothing already fetched.
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..arxivapi.client import ArxivClient
from ..config import AUTO_MAX_AGE, Settings
from ..drift import rules
from ..errors import ApiError, DiffsyncError, ListReadError, one_line, shown_name
from ..gcpause import gc_paused, set_aside
from ..listfile.parse import read_list
from ..models import Finding, ParsedList, PaperRecord
from ..store.liveness import Heartbeat
from ..store.store import RunCounts, Store
from ..utc import utcnow
from ..writeback.listwrite import settle
from .compare import CheckSummary, Known
from .lookup import refuse_during_cooldown, store_batch
from .searchphase import SearchSource, search_entries
from .steps import check_list
from .tally import RunTally
from ..venuecheck import gather as venuegather

log = logging.getLogger("diffsync.check")


@contextmanager
def _phase(name: str) -> Iterator[None]:
    """-v says each phase of a check and how long it took."""
    started = time.monotonic()
    log.debug("%s ...", name)
    yield
    log.debug("%s: done in %.2f s", name, time.monotonic() - started)

__all__ = ["CheckOptions", "CheckResult", "CheckSummary", "ListFailure", "ManyChecked",
           "run_check", "run_checks"]

@dataclass(frozen=True)
class CheckResult:
    list_path: str
    findings: tuple[Finding, ...]  # every finding of this list after the run, any status
    summary: CheckSummary
    run_id: int | None = None
    problems: tuple[str, ...] = ()  # per-entry problems reported, run went on
    interrupted: bool = False
    unreadable: dict[str, str] = field(default_factory=dict)  # paper or search -> why, unchecked


@dataclass(frozen=True)
class ListFailure:
    """A list that could not be checked in a run that went on with the others."""

    list_path: str
    error: DiffsyncError


@dataclass(frozen=True)
class ManyChecked:
    """A run over several lists: each list's result, the lists that failed, the run's totals."""

    results: tuple[CheckResult, ...]
    failed: tuple[ListFailure, ...] = ()
    requests: int = 0
    fetched: int = 0  # distinct papers fetched
    papers: int = 0  # distinct papers of all the lists
    searched: int = 0
    interrupted: bool = False


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
                should_stop: Callable[[], bool] | None = None,
                auto_max_age: float = 0.0) -> CheckOptions:
        """Flags over settings: a flag left at None takes the ``[check]`` value.  ``auto_max_age``
        is what ``max_age = "auto"`` means in this run: 0 on demand (ask arXiv); the daemon
        passes a little under its schedule's period (``daemon.schedule.auto_max_age``)."""
        check = settings.check
        max_age = check.max_age if max_age_hours is None else max_age_hours
        if max_age == AUTO_MAX_AGE:
            max_age = auto_max_age
        return cls(offline=offline, max_age=max_age,
                   strict=check.strict if strict is None else strict,
                   search=(check.search if search is None else search) and not offline,
                   trigger=trigger, progress=progress, should_stop=should_stop)

    def stopping(self) -> bool:
        return bool(self.should_stop and self.should_stop())



@dataclass
class _Listed:
    """One list of the run, parsed, with its own options."""

    path: Path
    data: bytes
    parsed: ParsedList
    options: CheckOptions
    search_max_age: float
    keys: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    list_id: int = 0
    run_id: int = 0
    done: bool = False

    def __post_init__(self) -> None:
        self.keys = [rules.search_key(e) for e in self.parsed.entries]  # once: search, compare, scope
        self.ids = sorted({e.arxiv_id for e in self.parsed.entries if e.arxiv_id})


def run_check(settings: Settings, list_path: Path, **flags) -> CheckResult:
    """Run one check of ``list_path``; raises DiffsyncError subclasses when it cannot complete.

    ``flags``: offline, max_age_hours, strict, search, progress, trigger, should_stop,
    auto_max_age (see ``CheckOptions.resolve``)."""
    many = run_checks(settings, [list_path], **flags)
    if many.failed:
        raise many.failed[0].error
    return many.results[0]


def run_checks(settings: Settings, list_paths: Sequence[Path], **flags) -> ManyChecked:
    """Check every list in one pass over the union of their papers.

    A list that cannot be read or compared is a ``ListFailure`` and the others go on;
    what stops every list (arXiv unreachable, the database gone, an interrupt) raises.
    Each list's ``[[lists]]`` keys apply to it (``Settings.for_list``).
    """
    with gc_paused():
        return _run_checks(settings, list(dict.fromkeys(Path(p) for p in list_paths)), flags)


def untracked(list_path: Path, parsed: ParsedList) -> None:
    """A list with arXiv links of which no entry holds one would check nothing: refuse it."""
    cov = parsed.coverage
    if cov is not None and cov.links and not any(e.arxiv_id for e in parsed.entries):
        raise ListReadError(
            f"{list_path}: {cov.summary}: no entry holds an arXiv link, so nothing would be checked; "
            "the papers may be kept in another shape: diffsync entries shows how the list is read, "
            "and --shape item, row, heading or paragraph reads it as one")


def _run_checks(settings: Settings, paths: list[Path], flags: dict) -> ManyChecked:
    listed: list[_Listed] = []
    failed: list[ListFailure] = []
    for path in paths:
        own = settings.for_list(path)
        try:
            with _phase(f"read {shown_name(str(path))}"):
                data, parsed = read_list(path, own.list.max_mb, shape=own.list.shape or None)
            untracked(path, parsed)
        except DiffsyncError as exc:
            failed.append(ListFailure(str(path), exc))
            continue
        log.debug("%s: %d entries, %d bytes", shown_name(str(path)), len(parsed.entries), len(data))
        options = CheckOptions.resolve(own, **flags)
        hours = options.max_age if options.max_age > 0 else own.check.search_max_age
        listed.append(_Listed(path, data, parsed, options, hours))
    if not listed:  # nothing to check: no database is opened (or created)
        return ManyChecked(results=(), failed=tuple(failed))
    options = CheckOptions.resolve(settings, **flags)
    with Store.open(settings.database_url, busy_timeout=settings.database.busy_timeout) as store:
        for failure in failed:  # in the run log too: status shows the list failed
            run_id = store.start_run(options.trigger, failure.list_path)
            store.finish_run(run_id, status="failed", error=one_line(failure.error))
        for one in listed:
            one.list_id = store.list_id(str(Path(one.path).resolve()))
            settle(store, one.list_id, one.data, one.path)  # an export a crash left unrecorded
            one.run_id = store.start_run(options.trigger, str(one.path))
        tally = RunTally()
        beat = Heartbeat(lambda: [store.beat_run(one.run_id) for one in listed if not one.done])
        with ExitStack() as stack:
            stack.enter_context(beat)  # so a killed check shows as abandoned, not running
            try:
                results = _check_all(settings, store, listed, options, tally, failed)
                store.ensure_still_there()  # a deleted file took every write of this run with it
            except BaseException as exc:  # record the failure, then let the caller report it
                status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                for one in listed:
                    if not one.done:
                        done = RunCounts(requests=tally.requests,
                                         papers=len(tally.fetched_ids.intersection(one.ids)))
                        store.finish_run(one.run_id, status=status, counts=done, error=one_line(exc))
                raise
    union = set().union(*(one.ids for one in listed))
    return ManyChecked(results=tuple(results), failed=tuple(failed), requests=tally.requests,
                       fetched=tally.fetched, papers=len(union), searched=tally.searched,
                       interrupted=tally.interrupted)


def _check_all(settings: Settings, store: Store, listed: list[_Listed], options: CheckOptions,
               tally: RunTally, failed: list[ListFailure]) -> list[CheckResult]:
    with _phase("store the entries"):
        for one in listed:
            store.save_entries(one.list_id, one.parsed)
    union = sorted(set().union(*(one.ids for one in listed)))
    stored = store.load_records(union)
    last_seen = {i: r.version for i, r in stored.items()}  # for new_version
    # Offline nothing changes after this read; online, _fetch reads the records
    # again, so only their versions are kept meanwhile (half the memory).
    current = stored if options.offline else None
    del stored
    set_aside()
    if not options.offline:
        with _phase(f"fetch from arXiv ({len(union)} papers listed)"):
            current = _fetch(settings, store, listed, union, options, tally)
    known = Known.load(store, union, current)
    del current
    # After arXiv, outside its poll lock: a slow venue source never holds arXiv up.
    venues = venuegather.gather(
        settings.venues, store.venues(),
        {} if tally.interrupted else {i: known.records[i] for i in union if i in known.records},
        listed=_listed_venues(listed), offline=options.offline, should_stop=options.stopping)
    results = []
    for one in listed:
        try:
            with _phase(f"compare {shown_name(str(one.path))} with arXiv and record the findings"):
                compared = check_list(store, one.list_id, one.data, one.parsed, one.ids, known,
                                      last_seen, tally.share(one.ids, one.keys),
                                      strict=one.options.strict, keys=one.keys, venues=venues)
        except DiffsyncError as exc:
            store.finish_run(one.run_id, status="failed", counts=RunCounts(requests=tally.requests),
                             error=one_line(exc))
            one.done = True
            failed.append(ListFailure(str(one.path), exc))
            continue
        summary = compared.summary
        store.finish_run(one.run_id, status="interrupted" if tally.interrupted else "ok",
                         counts=summary.run_counts, error=tally.note(one.ids, one.keys),
                         venues=summary.venue_coverage)
        one.done = True
        problems = tuple(f"line {e.line}: {p}" for e in one.parsed.entries for p in e.problems)
        warnings = [*tally.warnings(one.ids, one.keys), *venues.warnings]
        results.append(CheckResult(
            list_path=str(one.path), findings=compared.findings, summary=summary,
            run_id=one.run_id, problems=tuple(one.parsed.problems) + problems + tuple(warnings),
            interrupted=tally.interrupted,
            unreadable=tally.unreadable_of(one.ids, one.keys)))
    return results


def _listed_venues(listed: list[_Listed]) -> dict[str, set[str]]:
    """The lists' venue texts by arXiv ID, for the venue step."""
    texts: dict[str, set[str]] = {}
    for one in listed:
        for e in one.parsed.entries:
            if e.arxiv_id and e.venue:
                texts.setdefault(e.arxiv_id, set()).add(e.venue)
    return texts


def _fetch(settings: Settings, store: Store, listed: list[_Listed], union: list[str],
           options: CheckOptions, tally: RunTally) -> dict[str, PaperRecord] | None:
    """Fetch what is due for any list, then title-search; the union's records as stored
    after it (None if stopped)."""
    refuse_during_cooldown(store, settings)
    waiting_since = utcnow()
    with store.poll_lock() as waited:
        todo = _due(store, listed, waiting_since if waited else None)
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
                tally.fetched_ids.update(i for i in batch.records if i not in unstored)
                tally.fetched_ids.update(batch.not_found)
                if progress:
                    progress("fetch", tally.fetched + len(tally.unchecked), len(todo))
                if options.stopping():
                    tally.interrupted = True
                    return None
            if todo and tally.fetched == 0 and tally.unchecked and not tally.unreadable:
                reason = next(iter(tally.unchecked.values()))
                raise ApiError(f"arXiv could not be reached: {reason}")
            records = store.load_records(union)
            sources = [SearchSource(one.parsed, one.keys, one.search_max_age)
                       for one in listed if one.options.search]
            if sources:
                saved = search_entries(store, sources, records, client, settings.check.search_batch,
                                       tally, stopping=options.stopping, progress=progress)
                # A match may be one of the lists' papers, stored anew: read those again.
                records.update(store.load_records(sorted(saved & records.keys())))
            return records


def _due(store: Store, listed: list[_Listed], waiting_since: datetime | None) -> list[str]:
    """The union's papers some list wants fetched: not fetched within that list's max_age
    (nor, when this run waited for the poll lock, since it began waiting: another process
    just polled arXiv, and what it fetched meanwhile is reused).  Each paper once."""
    now = utcnow()
    fresh_since: dict[datetime | None, set[str]] = {}
    due: dict[str, None] = {}
    for one in listed:
        cutoff = now - timedelta(hours=one.options.max_age) if one.options.max_age > 0 else None
        if waiting_since is not None:
            cutoff = min(cutoff, waiting_since) if cutoff else waiting_since
        if cutoff not in fresh_since:
            fresh_since[cutoff] = store.fetched_since(cutoff) if cutoff else set()
        fresh = fresh_since[cutoff]
        due.update((i, None) for i in one.ids if i not in fresh)
    return sorted(due)
