"""The daemon's run over several lists: one outcome per list, and the run's outcome.

A run checks every due list in one pass (``pipeline.run_checks``); each list has its own
outcome (its run, its report), and the run has one for the scheduler and ``--once``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, DiffsyncError
from .schedule import auto_max_age

if TYPE_CHECKING:
    from ..check.pipeline import CheckResult


@dataclass(frozen=True)
class RunOutcome:
    status: str  # ok | failed | skipped | interrupted
    exit_code: int  # what ``daemon --once`` exits with
    run_id: int | None = None
    error: str | None = None
    result: "CheckResult | None" = None
    list_path: str | None = None
    lists: tuple["RunOutcome", ...] = ()  # one per list when the run covered several



def overall(outcomes: list[RunOutcome]) -> RunOutcome:
    """One outcome for a run over several lists: the first list's run and result; status
    ok only if every list's was; exit 3 if any list was not checked, else 1 if any has
    open findings.  A single list's outcome is itself."""
    if len(outcomes) == 1:
        return outcomes[0]
    if not outcomes:
        return RunOutcome("failed", EXIT_INCOMPLETE, error="no list to check")
    first = outcomes[0]
    bad = next((o for o in outcomes if o.status != "ok"), None)
    codes = {o.exit_code for o in outcomes}
    code = EXIT_INCOMPLETE if EXIT_INCOMPLETE in codes else EXIT_FINDINGS if EXIT_FINDINGS in codes else EXIT_OK
    return RunOutcome(bad.status if bad else "ok", code, first.run_id,
                      bad.error if bad else None, first.result, first.list_path, tuple(outcomes))


def one_by_one(check: Callable[..., Any]) -> Callable[..., Any]:
    """A per-list check function (tests' stand-ins) as a run over several lists."""
    from ..check.pipeline import ListFailure, ManyChecked

    def many(settings: Settings, paths: Sequence[Path], **flags: Any) -> Any:
        if len(paths) == 1:  # one list: its error is the run's, as it always was
            return ManyChecked(results=(check(settings, paths[0], **flags),))
        results, failed = [], []
        for path in paths:
            try:
                results.append(check(settings, path, **flags))
            except DiffsyncError as exc:
                failed.append(ListFailure(str(path), exc))
        return ManyChecked(results=tuple(results), failed=tuple(failed))

    return many


def run_checks(settings: Settings, paths: Sequence[Path], **flags: Any) -> Any:
    """``pipeline.run_checks`` on the daemon's schedule: ``max_age = "auto"`` is a little under
    its period.  The pipeline is imported when first needed (it pulls in the whole stack)."""
    from ..check.pipeline import run_checks as pipeline_run_checks

    return pipeline_run_checks(settings, paths, auto_max_age=auto_max_age(settings.schedule), **flags)
