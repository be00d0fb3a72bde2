"""Scheduled checks: run the check pipeline on a cron or interval schedule.

The daemon runs the same ``pipeline.run_checks`` as ``diffsync check``; this
module only decides *when*, keeps one run at a time, turns every failure
into a logged, recorded run (so the next slot runs as usual), honours the
arXiv cooldown, writes the review report after each run, and stops cleanly
on SIGTERM/SIGINT.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Protocol, Sequence

from apscheduler.executors.base import BaseExecutor, run_job
from apscheduler.schedulers.background import BackgroundScheduler

from ..report import markdown
from ..report.gather import gather, guard_report_path, last_good_run, list_argument
from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, AlreadyRunningError, DiffsyncError, one_line, shown_name
from .process import STOP_SIGNALS, give_back_memory, is_ours, monotonic_interval
from .manylists import RunOutcome, one_by_one, overall, run_checks
from .schedule import build_trigger, describe_schedule, next_run_time
from ..models import Finding, Status
from ..store.liveness import HEARTBEAT_SECONDS
from ..store.store import Cooldown, DaemonInfo, RunCounts, RunRow, Store, list_key
from ..utc import utcnow

if TYPE_CHECKING:
    from ..check.pipeline import CheckResult

log = logging.getLogger("diffsync.daemon.service")

TRIGGER = "daemon"  # how the daemon's runs are labelled in the run log


class RunStore(Protocol):
    """The part of ``store.Store`` the daemon and ``status`` use."""

    def runs(self, limit: int) -> list[RunRow]: ...
    def latest_run(self, list_path: str | None = None, status: str | None = None) -> RunRow | None: ...
    def prune_runs(self, keep: int) -> int: ...
    def start_run(self, trigger: str, list_path: str) -> int: ...
    def finish_run(self, run_id: int, *, status: str, counts: RunCounts = ..., error: str | None = None) -> None: ...
    def cooldown(self, max_seconds: float, now: datetime | None = None) -> Cooldown | None: ...
    def list_id(self, path: str) -> int: ...
    def findings(self, list_id: int, status: list[Status]) -> list[Finding]: ...
    def open_by_kind(self, list_id: int | None) -> dict[str, int]: ...
    def count_papers(self) -> int: ...
    def live_daemons(self) -> list[DaemonInfo]: ...
    def abandon_dead_runs(self) -> int: ...


StoreOpener = Callable[[], ContextManager[RunStore]]
CheckFunction = Callable[..., "CheckResult"]


def default_store_opener(settings: Settings) -> StoreOpener:
    def open_store() -> ContextManager[RunStore]:
        return Store.open(settings.database_url, busy_timeout=settings.database.busy_timeout)

    return open_store


# --------------------------------------------------------------------------
# One scheduled run
# --------------------------------------------------------------------------


class ScheduledCheck:
    """The daemon's job: cooldown gate, the pipeline over every list, failure recording,
    a report per list.

    All the lists go through one ``run_checks`` pass (each paper fetched once); a list
    that cannot be checked is recorded and reported as failed while the others are
    checked.  Calling it never raises: whatever goes wrong is logged and recorded, so
    the scheduler simply runs it again at the next slot.
    """

    def __init__(self, settings: Settings, list_paths: Path | Sequence[Path], *,
                 check: CheckFunction | None = None, open_store: StoreOpener | None = None,
                 should_stop: Callable[[], bool] = lambda: False,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.settings = settings
        paths = [list_paths] if isinstance(list_paths, (str, Path)) else list(list_paths)
        self.list_paths = [Path(p) for p in dict.fromkeys(paths)]
        self.list_path = self.list_paths[0]
        self.report_paths = {p: settings.report_path(p, among=self.list_paths) for p in self.list_paths}
        self.report_path = self.report_paths[self.list_path]
        self.report_format = markdown.report_format(settings.report.format)
        self._check_many = one_by_one(check) if check is not None else run_checks
        self._open_store = open_store or default_store_opener(settings)
        self._should_stop = should_stop
        self._clock = clock
        self._lock = threading.Lock()
        self.idle = threading.Event()  # set while no run is in progress
        self.idle.set()
        self.last: RunOutcome | None = None

    def __call__(self, lists: Sequence[Path] | None = None) -> RunOutcome:
        """One run over ``lists`` (default: every list of the job), one run at a time."""
        with self._lock:
            self.idle.clear()
            try:
                self.last = self._run(list(lists) if lists else self.list_paths)
                self._prune()
            except Exception as exc:  # noqa: BLE001  the scheduler must never see one
                log.error("run failed and could not be recorded: %s", one_line(exc))
                self.last = RunOutcome("failed", EXIT_INCOMPLETE, error=one_line(exc))
            finally:
                give_back_memory()  # before idle: a caller waiting for the run sees it done
                self.idle.set()
            return self.last

    def _prune(self) -> None:
        """Keep the run log to ``[daemon] keep_runs``: a daemon running for months adds a run
        an hour.  A failure only costs the pruning."""
        keep = self.settings.daemon.keep_runs
        if keep <= 0:
            return
        try:
            with self._open_store() as store:
                pruned = store.prune_runs(keep)
            if pruned:
                log.info("pruned %d old runs from the run log (keeping %d)", pruned, keep)
        except Exception as exc:  # noqa: BLE001  the next run tries again
            log.warning("old runs not pruned: %s", one_line(exc))

    @property
    def running(self) -> bool:
        return not self.idle.is_set()

    def _run(self, paths: list[Path]) -> RunOutcome:
        started = self._clock()
        with self._open_store() as store:
            cooldown = store.cooldown(self.settings.arxiv.max_cooldown, started)
            if cooldown is not None:
                msg = (f"arXiv cooldown active until {markdown.human_time(cooldown.until)}"
                       f"{_because(cooldown)}; run skipped")
                log.warning("%s", msg)
                skipped = []
                for path in paths:
                    run_id = store.start_run(TRIGGER, str(path))
                    store.finish_run(run_id, status="skipped", error=msg)
                    outcome = RunOutcome("skipped", EXIT_INCOMPLETE, run_id, msg, list_path=str(path))
                    self._write_report(store, outcome, frozenset(), path)
                    skipped.append(outcome)
                return overall(skipped)
            list_ids = {p: store.list_id(str(p.resolve())) for p in paths}
            open_before = {p: {f.id for f in store.findings(i, status=[Status.OPEN])}
                           for p, i in list_ids.items()}
            last_run_id = _latest_run_id(store)

        log.info("run started: %s", ", ".join(shown_name(p) for p in paths))
        try:
            many = self._check_many(self.settings, paths, trigger=TRIGGER,
                                    should_stop=self._should_stop)
        except Exception as exc:  # noqa: BLE001  DiffsyncError or a bug: both are recorded
            error = one_line(exc)
            if not isinstance(exc, DiffsyncError):
                error = f"internal error: {type(exc).__name__}: {error}"
                log.debug("run failed", exc_info=True)
            log.error("run failed: %s", error)
            failed = []
            with self._open_store() as store:
                for path in paths:
                    run_id = self._ensure_failure_recorded(store, last_run_id, error, path)
                    outcome = RunOutcome("failed", EXIT_INCOMPLETE, run_id, error, list_path=str(path))
                    self._write_report(store, outcome, frozenset(), path)
                    failed.append(outcome)
            return overall(failed)

        outcomes: dict[str, RunOutcome] = {}
        named = len(paths) > 1
        with self._open_store() as store:
            for failure in many.failed:
                path, error = Path(failure.list_path), one_line(failure.error)
                log.error("%srun failed: %s", f"{path}: " if named else "", error)
                run_id = self._ensure_failure_recorded(store, last_run_id, error, path)
                outcome = RunOutcome("failed", EXIT_INCOMPLETE, run_id, error, list_path=str(path))
                self._write_report(store, outcome, frozenset(), path)
                outcomes[str(path)] = outcome
            for result in many.results:
                path = Path(result.list_path)
                outcome = self._finished(result, named)
                open_after = {f.id for f in store.findings(list_ids[path], status=[Status.OPEN])}
                self._write_report(store, outcome, frozenset(open_after - open_before[path]), path)
                outcomes[str(path)] = outcome
        return overall([outcomes[str(p)] for p in paths if str(p) in outcomes])

    def _finished(self, result: "CheckResult", named: bool) -> RunOutcome:
        summary = result.summary
        for warning in getattr(result, "unreadable", {}).values():
            log.warning("%s", warning)
        if getattr(result, "interrupted", False):
            outcome = RunOutcome("interrupted", EXIT_INCOMPLETE, result.run_id, None, result,
                                 list_path=result.list_path)
        else:
            # arXiv stopped answering part-way: the run is recorded ok, the list not fully checked.
            code = EXIT_INCOMPLETE if summary.unanswered else EXIT_FINDINGS if summary.open else EXIT_OK
            outcome = RunOutcome("ok", code, result.run_id, None, result, list_path=result.list_path)
        log.info("%srun %s: %d papers, %d requests, %d new, %d open, %d resolved",
                 f"{shown_name(result.list_path)}: " if named else "", outcome.status, summary.papers,
                 summary.requests, summary.new, summary.open, summary.resolved)
        return outcome

    def _ensure_failure_recorded(self, store: RunStore, last_run_id: int | None,
                                 error: str, list_path: Path) -> int | None:
        """The pipeline records failures it sees; an early one (unreadable list) it does not."""
        for row in store.runs(5 + len(self.list_paths)):
            if last_run_id is not None and row.id <= last_run_id:
                break
            if row.trigger == TRIGGER and is_ours(row) and row.list_path in (str(list_path), list_key(list_path)):
                if row.finished_at is None:  # left open by a crash
                    store.finish_run(row.id, status="failed", counts=_so_far(row), error=error)
                return row.id
        run_id = store.start_run(TRIGGER, str(list_path))
        store.finish_run(run_id, status="failed", error=error)
        return run_id

    def _write_report(self, store: RunStore, outcome: RunOutcome, new_ids: frozenset[str],
                      list_path: Path) -> None:
        report_path = self.report_paths.get(list_path) or self.settings.report_path(list_path)
        try:
            run = _find_run(store, outcome.run_id)
            list_id = store.list_id(str(list_path.resolve()))
            shown = gather(store, list_id, list_path)
            now = self._clock()
            schedule = self.settings.schedule
            report = markdown.Report(
                list_path=str(list_path), generated_at=now, findings=shown.open,
                new_ids=new_ids, run=run, papers=store.count_papers(),
                next_run=next_run_time(schedule, now, run.started_at if run else None),
                last_good=last_good_run(store, str(list_path)) if outcome.status != "ok" else None,
                ignored=shown.ignored, titles=shown.titles,
                list_arg=list_argument(list_path, self.settings.resolve(self.settings.list.path)),
            )
            text = markdown.render(report, self.report_format, report_path=report_path)
            guard_report_path(report_path, list_path, self.settings.database_url, "[report] path")
            markdown.write_report(report_path, text)
            log.info("report written: %s", report_path)
        except Exception as exc:  # noqa: BLE001  a report problem must not stop the daemon
            log.error("report not written: %s", one_line(exc))

    def abandon(self, reason: str) -> None:
        """Mark the runs the pipeline did not get to finish (the process is leaving)."""
        try:
            with self._open_store() as store:
                # This process's open runs only: another daemon's running run is not ours to end.
                for row in store.runs(50):
                    if row.trigger == TRIGGER and row.finished_at is None and is_ours(row):
                        store.finish_run(row.id, status="interrupted", counts=_so_far(row), error=reason)
        except Exception as exc:  # noqa: BLE001
            log.error("could not mark the abandoned run: %s", one_line(exc))


def _so_far(row: RunRow) -> RunCounts:
    """What a run that did not finish had done: its requests and papers, no findings."""
    return RunCounts(requests=row.requests or 0, papers=row.papers or 0)


def _latest_run_id(store: RunStore) -> int | None:
    rows = store.runs(1)
    return rows[0].id if rows else None


def _find_run(store: RunStore, run_id: int | None) -> RunRow | None:
    if run_id is None:
        return None
    for row in store.runs(20):
        if row.id == run_id:
            return row
    return None


def _because(cooldown: Cooldown) -> str:
    return f" ({cooldown.source})" if cooldown.source else ""


# --------------------------------------------------------------------------
# The scheduler and its lifecycle
# --------------------------------------------------------------------------


class DaemonThreadExecutor(BaseExecutor):
    """Runs each job in a daemon thread, so a stuck run cannot hold the process.

    APScheduler's pool executor joins its threads at exit; a run sleeping
    through an arXiv back-off would then delay shutdown by minutes.
    """

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        def work() -> None:
            try:
                events = run_job(job, job._jobstore_alias, run_times, self._logger.name)
            except BaseException as exc:  # noqa: BLE001
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, events)

        threading.Thread(target=work, name=f"diffsync-{job.id}", daemon=True).start()


class Daemon:
    """A scheduler around one ``ScheduledCheck``; ``stop()`` is signal-safe."""

    def __init__(self, settings: Settings, list_paths: Path | Sequence[Path], *,
                 job: ScheduledCheck | None = None, stop_grace: float = 5.0) -> None:
        self.settings = settings
        self.stop_requested = threading.Event()
        self.job = job or ScheduledCheck(settings, list_paths,
                                         should_stop=self.stop_requested.is_set)
        self.stop_grace = stop_grace
        self.trigger = build_trigger(settings.schedule, settings.origin)
        self._signals = 0

    def stop(self, signum: int | None = None, _frame: Any = None) -> None:
        self._signals += 1
        if signum is not None:
            name = signal.Signals(signum).name
            log.info("%s received: stopping%s", name,
                     "" if self._signals == 1 else " now")
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        # SIGHUP too (a closed terminal, a service manager's reload): it ends the daemon
        # cleanly like TERM instead of killing it mid-run; a restart reads the config anew.
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.stop)

    def run_once(self) -> int:
        """One run in a worker thread (so a signal can still stop it); its exit code."""
        worker = threading.Thread(target=self.job, name="diffsync-once", daemon=True)
        worker.start()
        while worker.is_alive() and not self.stop_requested.wait(0.2):
            pass
        if worker.is_alive():
            self._wind_down()
            return EXIT_INCOMPLETE if self.job.running else self._last_code()
        return self._last_code()

    def serve(self) -> int:
        """Run on schedule until stopped; returns 0.  Raises ``AlreadyRunningError`` (one
        line, before anything runs) when a daemon already checks the list with this database."""
        schedule = self.settings.schedule
        interval = schedule.interval_seconds
        daemon_id = self._claim(utcnow() if interval > 0 else next_run_time(schedule, utcnow(), None))
        self._last_beat = time.monotonic()
        self._daemon_id = daemon_id
        log.info("daemon started (pid %s): %s, %s", os.getpid(),
                 ", ".join(shown_name(p) for p in self.job.list_paths), describe_schedule(schedule))
        try:
            if interval > 0:
                # Kept on the monotonic clock: a wall clock stepped back must not stall it.
                monotonic_interval(interval, self._start_run, lambda t: self._tick(t, self._interval_next))
            else:
                self._serve_cron()
        finally:
            self._wind_down()
            if daemon_id is not None:
                self._registry("daemon_stopped", daemon_id)
            log.info("daemon stopped")
        return EXIT_OK

    def _serve_cron(self) -> None:
        scheduler = BackgroundScheduler(
            executors={"default": DaemonThreadExecutor()}, timezone=self.settings.schedule.timezone)
        scheduler.add_job(self.job, self.trigger, id="check", name="diffsync check",
                          max_instances=1, coalesce=True,
                          misfire_grace_time=self.settings.schedule.misfire_grace_time or None)
        scheduler.start()

        def next_run() -> datetime | None:
            found = scheduler.get_job("check")
            return found.next_run_time if found is not None else None

        log.info("next run %s", markdown.human_time(next_run()))
        try:
            while not self._tick(0.5, next_run):
                pass
        finally:
            scheduler.shutdown(wait=False)

    def _claim(self, next_run: datetime | None) -> int | None:
        """Register as the one daemon of each of its lists (marking runs of dead processes abandoned first)."""
        try:
            with self.job._open_store() as store:
                store.abandon_dead_runs()  # a killed check or daemon: recognised now, not later
                return store.daemon_started([str(p) for p in self.job.list_paths], next_run,
                                            describe_schedule(self.settings.schedule))
        except AlreadyRunningError:
            raise
        except Exception as exc:  # noqa: BLE001  the daemon runs on without it
            log.debug("daemon not registered: %s", one_line(exc))
            return None

    def _tick(self, timeout: float, next_run: Callable[[], datetime | None]) -> bool:
        """Wait up to ``timeout`` s for a stop; beat meanwhile.  Whether to stop."""
        if self.stop_requested.wait(timeout):
            return True
        if time.monotonic() - self._last_beat >= HEARTBEAT_SECONDS and self._daemon_id is not None:
            self._registry("daemon_beat", self._daemon_id, next_run())
            self._last_beat = time.monotonic()
        return False

    def _start_run(self) -> None:
        """The interval's run, in a daemon thread (a stuck run cannot hold the process)."""
        self._started_at = time.monotonic()
        if not self.job.running:
            threading.Thread(target=self.job, name="diffsync-check", daemon=True).start()

    def _interval_next(self) -> datetime | None:
        started = getattr(self, "_started_at", None)
        if started is None:
            return utcnow()
        left = max(0.0, started + self.settings.schedule.interval_seconds - time.monotonic())
        return utcnow() + timedelta(seconds=left)

    def _registry(self, method: str, *args: Any) -> Any:
        """Note the daemon's own liveness in the database; a failure only costs ``status`` its answer."""
        try:
            with self.job._open_store() as store:
                return getattr(store, method)(*args)
        except Exception as exc:  # noqa: BLE001  the daemon runs on without it
            log.debug("daemon heartbeat not written (%s): %s", method, one_line(exc))
            return None

    def _wind_down(self) -> None:
        """Let the current run finish its batch; abandon it after ``stop_grace`` seconds."""
        if not self.job.running:
            return
        log.info("waiting up to %g s for the current run to finish its batch", self.stop_grace)
        deadline = time.monotonic() + self.stop_grace
        seen = self._signals
        while self.job.running and time.monotonic() < deadline and self._signals == seen:
            self.job.idle.wait(0.1)
        if self.job.running:
            log.warning("abandoning the current run; every stored batch is kept")
            self.job.abandon("stopped by signal before the run finished")

    def _last_code(self) -> int:
        return self.job.last.exit_code if self.job.last else EXIT_INCOMPLETE
