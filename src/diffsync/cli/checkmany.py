"""``diffsync check A.md B.md …``: several lists in one pass, reported list by list.

The pipeline fetches the union of the lists' papers once (``run_checks``); this module
only shows the outcome: each list's findings under its path, a summary line per list
and one for the whole run, and a line naming each list that could not be checked.
Exit 3 when a list could not be checked, else 1 when a list has open findings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, UsageError
from ..models import Status
from ..report import ci_formats
from .common import shown_path

if TYPE_CHECKING:
    from rich.console import Console

    from ..check.pipeline import ManyChecked
    from ..config import Settings


def check_many(s: Settings, paths: list[Path], *, fmt: str, as_json: bool,
               failing: Any, report_file: Path | None, err: Console, **flags: Any) -> int:
    """Check ``paths`` in one run and print the outcome; the exit code."""
    from ..check.pipeline import run_checks
    from .checklines import exit_code, ProgressBar, summary_line
    from .common import arxiv_notices

    if report_file is not None:
        raise UsageError("--report takes one list; with several, each list's report is its "
                         "[[lists]] report (the daemon writes them)")
    befores = {p: ci_formats.open_before(fmt, s.database_url, p) for p in paths}
    with arxiv_notices(flags.get("offline", False)):
        bar = err.is_terminal and fmt in ("table", "concise") and not as_json
        with ProgressBar(err, enabled=bar) as on_progress:
            many = run_checks(s, paths, progress=on_progress, **flags)
    if as_json:
        _print_json(many)
    elif fmt in ("github", "markdown"):
        for r in many.results:
            sys.stdout.write(ci_formats.render_check(fmt, r, s.database_url, s.database.busy_timeout,
                                                     befores[Path(r.list_path)]))
    elif fmt == "sarif":
        runs = [json.loads(ci_formats.render_check(fmt, r, s.database_url, s.database.busy_timeout))
                for r in many.results]
        merged = {**runs[0], "runs": [run for doc in runs for run in doc["runs"]]} if runs else {}
        sys.stdout.write(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_tables(many, err, concise=fmt == "concise")
    for r in many.results:
        _say(err, f"{shown_path(r.list_path)}: " + summary_line(r).removeprefix("diffsync: "))
    for failure in many.failed:
        _say(err, f"diffsync: error: {failure.list_path}: not checked: {failure.error}")
    _say(err, total_line(many))
    codes = {exit_code(r, ci_formats.fails(r.findings, failing)) for r in many.results}
    if many.failed or EXIT_INCOMPLETE in codes:
        return EXIT_INCOMPLETE
    return EXIT_FINDINGS if EXIT_FINDINGS in codes else EXIT_OK


def _say(err: Console, line: str) -> None:
    err.print(line if line.startswith("diffsync:") else f"diffsync: {line}", markup=False,
              highlight=False, soft_wrap=True)


def total_line(many: ManyChecked) -> str:
    from ..report.render import count

    lists = len(many.results) + len(many.failed)
    opened = sum(r.summary.open for r in many.results)
    failed = f", {len(many.failed)} not checked" if many.failed else ""
    return (f"diffsync: total: {count(lists, 'list')}{failed}, "
            f"{count(sum(r.summary.entries for r in many.results), 'entry', 'entries')}, "
            f"{count(many.papers, 'distinct arXiv paper')} ({many.fetched} fetched), "
            f"{count(many.requests, 'request')} to arXiv: {count(opened, 'open finding')}; "
            f"{sum(r.summary.new for r in many.results)} new, "
            f"{sum(r.summary.resolved for r in many.results)} resolved"
            + ("; interrupted" if many.interrupted else ""))


def _print_tables(many: ManyChecked, err: Console, concise: bool) -> None:
    from rich.console import Console

    from ..report.render import print_findings

    out = Console()
    for r in many.results:
        shown = [f for f in r.findings if f.status in (Status.OPEN, Status.ACCEPTED)]
        print_findings(shown, out, title=f"Drift in {r.list_path}",
                       concise_path=shown_path(r.list_path) if concise else None)
        for problem in r.problems:
            _say(err, f"diffsync: warning: {r.list_path}: {problem}")


def summary_of(many: ManyChecked) -> dict[str, Any]:
    """The JSON summary: the run's totals, then one summary per list."""
    results = many.results
    total = {key: sum(getattr(r.summary, key) for r in results)
             for key in ("entries", "new", "open", "resolved", "searched", "unchecked", "not_compared")}
    by_kind: dict[str, int] = {}
    for r in results:
        for kind, n in r.summary.by_kind.items():
            by_kind[kind] = by_kind.get(kind, 0) + n
    return {
        "total": {**total, "lists": len(results) + len(many.failed), "papers": many.papers,
                  "fetched": many.fetched, "requests": many.requests, "by_kind": by_kind,
                  "interrupted": many.interrupted},
        "lists": [{**r.summary.__dict__, "list": r.list_path, "run_id": r.run_id,
                   "problems": list(r.problems)} for r in results],
        "failed": [{"list": f.list_path, "error": str(f.error), "exit_code": f.error.exit_code}
                   for f in many.failed],
    }


def _print_json(many: ManyChecked) -> None:
    from ..report.render import finding_to_dict

    findings = [finding_to_dict(f, r.list_path) for r in many.results for f in r.findings
                if f.status is not Status.RESOLVED]
    json.dump({"findings": findings, "summary": summary_of(many)}, sys.stdout,
              ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
