"""``diffsync check``: the main job."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from ..report import ci_formats
from ..errors import DiffsyncError
from ..models import Status
from ..utc import utcnow
from .checklines import exit_code, ProgressBar, summary_line
from .common import LISTS_ARGUMENT, app, arxiv_notices, list_paths, settings, shown_path, verbose

if TYPE_CHECKING:  # rich, the pipeline and the database stack load when a check runs
    from datetime import datetime

    from rich.console import Console

    from ..check.pipeline import CheckResult
    from ..config import Settings




@app.command()
def check(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    offline: bool = typer.Option(
        False, "--offline", help="Compare against stored metadata; send no request to arXiv."),
    max_age: Optional[float] = typer.Option(
        None, "--max-age", metavar="HOURS", min=0,
        help="Only fetch papers not fetched in the last HOURS (default: [check] max_age; 0 = all)."),
    strict: Optional[bool] = typer.Option(
        None, "--strict/--no-strict",
        help="Also report cosmetic differences (case, punctuation, diacritics, initials)."),
    search: Optional[bool] = typer.Option(
        None, "--search/--no-search", help="Title-search entries that have no arXiv link."),
    as_json: bool = typer.Option(False, "--json", help="Print {findings, summary} as JSON on stdout."),
    fmt: str = typer.Option(
        "auto", "--format", metavar="FORMAT",
        help="auto (a table on a wide terminal, else concise), table, concise (a line per "
             "finding), json, github (workflow commands), sarif (SARIF 2.1.0) or markdown."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", metavar="KIND[,KIND]",
        help="Exit 1 only for open findings of these kinds; the others are still reported."),
    arxiv_url: Optional[str] = typer.Option(
        None, "--arxiv-url", metavar="URL", help="arXiv API endpoint (a mirror or a fake)."),
    delay: Optional[float] = typer.Option(
        None, "--delay", metavar="SECONDS", help="Seconds between requests to arXiv (default 3)."),
    database_url: Optional[str] = typer.Option(
        None, "--database-url", metavar="URL", help="SQLAlchemy database URL."),
    report_file: Optional[Path] = typer.Option(
        None, "--report", metavar="FILE",
        help="Also write the review report the daemon writes to FILE: JSON if FILE ends in "
             ".json, Markdown if .md, else [report] format. Replaces only a report diffsync "
             "wrote; never the list, the database or a symlink."),
) -> None:
    """Compare the lists with arXiv and report drift.

    Several lists are checked in one pass: a paper they share is fetched once,
    and each list's findings are reported under its path.  Without LIST: every
    list of the config ([list] path and [[lists]]).

    Parses LIST, fetches canonical metadata for every linked arXiv paper,
    stores it, and reports where the list disagrees: titles, authors, dates,
    wrong or missing IDs, broken links, new versions, withdrawals, venues,
    duplicates.

    Exit codes: 0 no open findings, 1 open findings, 2 usage error,
    3 could not complete (list unreadable, database unusable, arXiv unreachable,
    or arXiv stopped answering and left papers unchecked: findings are still shown;
    with several lists: any list not checked, named, while the others are).
    --report refused (it names the list, the database, a symlink or a file that is
    not a diffsync report): exit 2, before anything is checked.

    Example:  diffsync check README.md --format concise
    """
    from rich.console import Console

    from ..check.pipeline import run_check

    s = settings(list_files[0] if list_files else None, arxiv={"url": arxiv_url, "delay": delay}, database={"url": database_url},
                 check={"max_age": max_age})  # validated (finite, bounded) like the config key
    fmt, failing = ci_formats.format_option(fmt), ci_formats.parse_fail_on(fail_on)
    fmt = ci_formats.for_console(fmt, Console())
    as_json = as_json or fmt == "json"
    paths = list_paths(s, list_files)
    if len(paths) > 1:
        from .checkmany import check_many

        raise typer.Exit(check_many(s, paths, fmt=fmt, as_json=as_json, failing=failing,
                                    report_file=report_file, err=Console(stderr=True),
                                    offline=offline, max_age_hours=max_age, strict=strict,
                                    search=search))
    path = paths[0]
    if report_file is not None:
        from ..report.gather import guard_report_path

        guard_report_path(report_file, path, s.database_url, "check --report")
    before = ci_formats.open_before(fmt if report_file is None else "markdown", s.database_url, path)
    err = Console(stderr=True)
    started = utcnow()
    try:
        with arxiv_notices(offline):
            with ProgressBar(err, enabled=err.is_terminal and fmt in ("table", "concise") and not as_json) as on_progress:
                result = run_check(s, path, offline=offline, max_age_hours=max_age, strict=strict,
                                   search=search, progress=on_progress)
    except DiffsyncError:
        if report_file is not None:
            _write_failed_report(report_file, path, s, err, started)
        raise
    if fmt in ("github", "sarif", "markdown"):
        sys.stdout.write(ci_formats.render_check(fmt, result, s.database_url, s.database.busy_timeout, before))
        err.print(summary_line(result), markup=False, highlight=False, soft_wrap=True)
    else:
        _report(result, as_json, err, concise=fmt == "concise")
    if report_file is not None:
        _write_report_file(report_file, result, s, before, err)
    raise typer.Exit(exit_code(result, ci_formats.fails(result.findings, failing)))


def _write_report_file(target: Path, result: CheckResult, s: Settings, before: frozenset[str],
                       err: Console) -> None:
    """The daemon's review report of this check, to ``target`` (already guarded)."""
    from ..report import markdown
    from ..report.gather import guard_report_path, list_argument, report_of_check
    from ..store.store import Store

    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        list_arg = list_argument(result.list_path, s.resolve(s.list.path))
        report = report_of_check(store, result, before, list_arg)
    text = markdown.render(report, markdown.format_for(target, s.report.format), report_path=target)
    # Again: a file may have appeared there while the check ran.
    guard_report_path(target, result.list_path, s.database_url, "check --report")
    markdown.write_report(target, text)
    err.print(f"diffsync: wrote the review report to {target}", markup=False, highlight=False,
              soft_wrap=True)


def _write_failed_report(target: Path, path: Path, s: Settings, err: Console, started: datetime) -> None:
    """After a check that failed once started: the report says so and shows the last good
    check's findings, as the daemon's does.  Best effort: the check's own error follows."""
    from ..report import markdown
    from ..report.gather import guard_report_path, list_argument, report_of_failed_check
    from ..store.store import Store

    try:
        with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
            report = report_of_failed_check(store, path, list_argument(path, s.resolve(s.list.path)), started)
        if report is None:
            return
        guard_report_path(target, path, s.database_url, "check --report")
        markdown.write_report(target, markdown.render(report, markdown.format_for(target, s.report.format),
                                                    report_path=target))
        err.print(f"diffsync: wrote the review report of the failed check to {target}", markup=False,
                  highlight=False, soft_wrap=True)
    except DiffsyncError as exc:
        err.print(f"diffsync: warning: report not written: {exc}", markup=False, highlight=False,
                  soft_wrap=True)


def _report(result: CheckResult, as_json: bool, err: Console, concise: bool = False) -> None:
    from rich.console import Console

    from ..report.render import finding_to_dict, print_findings

    shown = [f for f in result.findings if f.status in (Status.OPEN, Status.ACCEPTED)]
    if as_json:
        payload = {
            "findings": [finding_to_dict(f, result.list_path) for f in result.findings
                         if f.status is not Status.RESOLVED],
            "summary": {**result.summary.__dict__, "unanswered": result.summary.unanswered,
                        "list": result.list_path,
                        "run_id": result.run_id, "problems": list(result.problems)},
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_findings(shown, Console(), title=f"Drift in {result.list_path}",
                       concise_path=shown_path(result.list_path) if concise else None, whole=verbose())
        for problem in result.problems:
            err.print(f"diffsync: warning: {problem}", markup=False, highlight=False, soft_wrap=True)
    err.print(summary_line(result), markup=False, highlight=False, soft_wrap=True)
