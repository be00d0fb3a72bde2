"""Commands: ``daemon`` (scheduled checks) and ``status`` (what it has been doing)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from .common import LISTS_ARGUMENT, app, list_paths, settings

if TYPE_CHECKING:  # the scheduler and the database stack load when these commands run
    from ..daemon.status import DaemonStatus
    from ..store.store import RunRow


def _check_cron(expr: str) -> None:
    """A bad --cron is the flag's error (exit 2), not the config file's."""
    from ..daemon.schedule import crontab_trigger

    try:
        crontab_trigger(expr, "UTC")
    except ValueError as exc:
        raise typer.BadParameter(f"{expr!r}: {exc}", param_hint="--cron") from None


@app.command()
def daemon(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    once: bool = typer.Option(
        False, "--once", help="Run one scheduled check now and exit with its code (for system cron)."),
    interval: Optional[float] = typer.Option(
        None, "--interval", metavar="SECONDS",
        help="Run every SECONDS (overrides [schedule] interval_seconds and cron)."),
    cron: Optional[str] = typer.Option(
        None, "--cron", metavar="EXPR",
        help="5-field crontab expression, e.g. '0 6 * * *' (default: [schedule] cron)."),
    stop_grace: float = typer.Option(
        5.0, "--stop-grace", metavar="SECONDS", min=0,
        help="On SIGTERM/SIGINT, wait this long for the current batch before abandoning the run."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details too."),
) -> None:
    """Check the lists on a schedule until stopped with SIGTERM or Ctrl-C.

    Without LIST: every list of the config ([list] path and [[lists]]).  All
    lists run in one pass (a shared paper is fetched once), one run at a time;
    each list gets its own review report and its own run in `status`.

    Runs the same check as `diffsync check` at every slot of [schedule]
    (interval_seconds if > 0, else cron in timezone), one run at a time;
    missed slots are coalesced. A failed run (arXiv down, a 429 storm, an
    unreadable list) is logged and recorded, and the next slot runs as
    usual; while arXiv's cooldown is active, runs are skipped. After each
    run the review report is written to [report] path (with several lists:
    each list's [[lists]] report, else [report] path named after the list).
    Logs go to stderr.

    Exit codes: 0 stopped by a signal. With --once: 0 no open findings,
    1 open findings, 3 the run could not complete (failed or skipped).

    Example:  diffsync daemon README.md --interval 3600
    """
    overrides: dict = {}
    if cron is not None:
        _check_cron(cron)
        overrides = {"cron": cron, "interval_seconds": 0.0}
    if interval is not None:
        if interval <= 0:
            raise typer.BadParameter("must be > 0", param_hint="--interval")
        overrides = {"interval_seconds": interval}
    from ..daemon.logs import configure_logging
    from ..daemon.service import Daemon
    from ..errors import UsageError
    from ..report.gather import guard_report_path

    s = settings(list_files[0] if list_files else None, schedule=overrides)
    paths = list_paths(s, list_files, must_exist=False)  # a run says it, each time, if one is missing
    # Refused now (exit 2), not after the first run: a report never replaces a list.
    reports = [s.report_path(p, among=paths) for p in paths]
    if len(set(reports)) < len(reports):
        raise UsageError("two lists would write the same report; give each its own "
                         "[[lists]] report")
    for report in reports:
        for other in paths:
            guard_report_path(report, other, s.database_url, "[report] path")
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    runner = Daemon(s, paths, stop_grace=stop_grace)
    runner.install_signal_handlers()
    code = runner.run_once() if once else runner.serve()
    raise typer.Exit(code)


@app.command()
def status(
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON on stdout."),
    limit: int = typer.Option(10, "--runs", "-n", min=1, metavar="N", help="Show the last N runs."),
) -> None:
    """Show recent runs, the next scheduled run, papers tracked, open findings and cooldown;
    with several lists, each list's open findings and last run.

    Example:  diffsync status --json
    """
    from ..daemon.service import default_store_opener
    from ..daemon.status import DaemonStatus, collect_status
    from ..models import Status

    from ..daemon.schedule import describe_schedule, next_run_time
    from ..store.store import Store
    from ..utc import utcnow

    s = settings()
    if not Store.exists(s.database_url):  # status only reads: it never creates a database
        now = utcnow()
        state = DaemonStatus(
            now=now, schedule=describe_schedule(s.schedule), daemon=None,
            next_run=next_run_time(s.schedule, now, None), runs=(), papers=0,
            open_by_kind={}, cooldown_until=None, cooldown_source=None)
        if as_json:
            json.dump({**state.to_dict(), "applied": 0}, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for line in _status_lines(state):
                typer.echo(line)
        print(f"diffsync: note: {Store.describe(s.database_url)} does not exist yet: "
              "nothing has been checked", file=sys.stderr)
        return
    state = collect_status(s, limit=limit)
    with default_store_opener(s)() as store:
        applied = store.count_status(Status.APPLIED)
        lists = _per_list(store)
    if as_json:
        json.dump({**state.to_dict(), "applied": applied, "lists": lists}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    lines = _status_lines(state)
    if len(lists) > 1:  # status per list, before the run log
        at = next((i for i, line in enumerate(lines) if line.startswith("Runs")), len(lines))
        lines[at:at] = [f"Lists:          {len(lists)}"] + [_list_line(one) for one in lists]
    for line in lines:
        typer.echo(line)
        if line.startswith("Open findings:") and applied:
            typer.echo(f"Applied:        {applied} (written by export; the next check resolves them)")


def _per_list(store) -> list[dict]:
    """Each checked list: its open findings and its last run (status per list)."""
    from ..report.markdown import iso, run_to_dict
    from ..store.store import list_key

    last: dict[str, object] = {}
    for run in store.runs(200):  # most recent first: the first seen is the list's last
        last.setdefault(list_key(run.list_path), run)  # the list's identity, as the store keeps it
    out = []
    for list_id, state in store.checked_lists():
        by_kind = store.open_by_kind(list_id)
        # A list the recent runs miss (a daemon over 100 others since): its own latest.
        run = last.get(state.path) or store.latest_run(state.path)
        out.append({"list": state.path, "open": sum(by_kind.values()), "open_by_kind": by_kind,
                    "checked_at": iso(state.checked_at),
                    "last_run": run_to_dict(run) if run is not None else None})
    return sorted(out, key=lambda one: one["list"])


def _list_line(one: dict) -> str:
    from ..report.render import count, shown_path

    run = one["last_run"] or {}
    last = f"last run {run.get('status', 'none')}" + (f" ({run['error']})" if run.get("error") else "")
    return f"  {shown_path(one['list'])}: {count(one['open'], 'open finding')}; {last}"


def _status_lines(state: DaemonStatus) -> list[str]:
    from ..models import KIND_ORDER, KIND_TITLES
    from ..report.markdown import human_time

    open_total = sum(state.open_by_kind.values())
    cooldown = (f"active until {human_time(state.cooldown_until)} (runs are skipped)"
                if state.cooldown_until else "none")
    if state.cooldown_until and state.cooldown_source:
        cooldown += f"; set after {state.cooldown_source}"
    if state.cooldown_until:
        cooldown += "; `diffsync db clear-cooldown` lifts it"
    daemon = state.daemon
    if daemon is not None:
        alive = (f"running (pid {daemon.pid} on {daemon.host}, since {human_time(daemon.started_at)}, "
                 f"last heartbeat {human_time(daemon.heartbeat_at)})")
        next_run = human_time(state.next_run)
    else:
        alive, next_run = "not running", "none (no daemon is running; start one with diffsync daemon)"
    lines = [
        f"Schedule:       {state.schedule}",
        f"Daemon:         {alive}",
        f"Next run:       {next_run}",
        f"Papers tracked: {state.papers}",
        f"arXiv cooldown: {cooldown}",
        f"Open findings:  {open_total}",
    ]
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    for kind, n in sorted(state.open_by_kind.items(), key=lambda kv: rank.get(kv[0], 99)):
        if n:
            lines.append(f"  {KIND_TITLES.get(kind, kind):<20} {n:>5}")
    if not state.runs:
        lines.append("Runs:           none yet")
        return lines
    lines.append("Runs (most recent first):")
    lines += ["  " + _run_line(r) for r in state.runs]
    return lines


def _run_line(run: RunRow) -> str:
    from ..report.markdown import human_time
    from ..report.render import count

    took = ""
    if run.started_at and run.finished_at:
        took = f" ({(run.finished_at - run.started_at).total_seconds():.1f} s)"
    line = (f"#{run.id:<5} {human_time(run.started_at)}{took:<10} {run.trigger:<7} "
            f"{run.status:<11} {count(run.requests, 'request')}, {count(run.papers, 'paper')}, "
            f"{run.new} new, {run.open} open, {run.resolved} resolved")
    if run.error:
        line += f"  - {run.error}"
    if run.venues:
        line += f"\n         {run.venues}"
    return line
