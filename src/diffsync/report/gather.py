"""What a review report shows, gathered from the store and the list.

The daemon and ``check --report`` write the same report, so both take its
findings from here: the open ones with the fix export would write, the
ignored ones with the reason they were ignored, and each entry's title by
line (a row without an arXiv ID names its paper by title, not by the
internal lower-cased key).  ``guard_report_path`` keeps a report off the
list, the database and anything diffsync did not write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from ..errors import ListReadError
from ..listfile.parse import read_list
from ..models import Finding, Status
from ..writeback.fixes import stored_fixes
from ..utc import as_utc, utcnow
from .markdown import Report
from .render import count, shown_path, unanswered_note


@dataclass(frozen=True)
class ReportFindings:
    open: tuple[Finding, ...]
    ignored: tuple[Finding, ...] = ()
    titles: Mapping[int, str] = field(default_factory=dict)  # entry title by its line


def gather(store: Any, list_id: int, path: Path | str) -> ReportFindings:
    """The list's open findings (with fixes), its ignored ones, and its titles; a list that
    cannot be read still gives its findings, without fixes or titles."""
    open_now = tuple(store.findings(list_id, status=[Status.OPEN]))
    ignored = tuple(store.findings(list_id, status=[Status.IGNORED]))
    try:
        data, parsed = read_list(Path(path))
    except ListReadError:
        return ReportFindings(open_now, ignored)
    return ReportFindings(stored_fixes(store, data, parsed, open_now), ignored,
                          {e.line: e.title for e in parsed.entries})


def list_argument(list_path: Path | str, default: Path | str) -> str | None:
    """How the report's commands name the list: not at all when it is ``default`` (the
    ``[list] path`` a command without LIST uses), else as a user here would type it."""
    if Path(list_path).resolve() == Path(default).resolve():
        return None
    return shown_path(str(list_path))


def guard_report_path(path: Path, list_path: Path | str, database_url: str, option: str) -> None:
    """A report is a derived file: never the list, the database or a symlink (export -o's
    rule, ``check_output``), and it replaces only a report diffsync wrote before."""
    from ..store.store import Store
    from ..writeback.export import check_output
    from .markdown import is_report

    check_output(Path(path), Path(list_path), Store.file_of(database_url), force=is_report(path),
                 option=option, unless="it is not a diffsync report; remove it or choose another path")


def report_of_check(store: Any, result: Any, before: frozenset[str], list_arg: str | None) -> Report:
    """The review report of a ``check`` (a pipeline CheckResult), as the daemon would write
    it: for ``check --report`` and ``check --format markdown``.  ``before``: the ids open
    before the check, so the new ones are marked."""
    list_id = store.find_list(str(Path(result.list_path).resolve()))
    shown = gather(store, list_id, result.list_path) if list_id is not None else ReportFindings(())
    notes = ((f"{count(len(result.problems), 'parse problem')} in the list; "
              "diffsync lint shows each on its line."),) if result.problems else ()
    unanswered = unanswered_note(result.summary)
    notes += (unanswered,) if unanswered else ()
    return Report(list_path=result.list_path, generated_at=utcnow(), findings=shown.open,
                  new_ids=frozenset(f.id for f in shown.open) - before,
                  run=next((r for r in store.runs(20) if r.id == result.run_id), None),
                  papers=store.count_papers(), notes=notes, ignored=shown.ignored,
                  titles=shown.titles, list_arg=list_arg)


def last_good_run(store: Any, list_path: str) -> Any:
    """The latest completed run of ``list_path``: whose findings a failed run's report shows."""
    return store.latest_run(list_path, "ok")  # however far back: no window of recent runs


def report_of_failed_check(store: Any, list_path: Path | str, list_arg: str | None,
                           started_after: datetime) -> Report | None:
    """The report after a check of ``list_path`` that failed once it had started (arXiv
    unreachable, interrupted): that run, and the findings of the last good one, as the
    daemon reports a failed run.  None when no run of the list started after
    ``started_after`` (the check failed before it began: nothing new to report)."""
    latest = store.latest_run(str(list_path))
    if latest is None or latest.status in ("ok", "running") or as_utc(latest.started_at) < started_after:
        return None
    list_id = store.find_list(str(Path(list_path).resolve()))
    shown = gather(store, list_id, list_path) if list_id is not None else ReportFindings(())
    return Report(list_path=str(list_path), generated_at=utcnow(), findings=shown.open, run=latest,
                  papers=store.count_papers(), last_good=last_good_run(store, str(list_path)),
                  ignored=shown.ignored, titles=shown.titles, list_arg=list_arg)
