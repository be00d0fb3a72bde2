"""What a check says, however many lists it covers: each list's summary line, its exit
code, and the progress bar on a terminal (``check`` and ``checkmany`` share them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console

    from ..check.pipeline import CheckResult, CheckSummary

_PHASES = {"fetch": "Fetching arXiv metadata", "search": "Searching titles", "venues": "Asking venue sources"}


def exit_code(result: CheckResult, failing: bool) -> int:
    """1 for failing findings, 0 for none; 3 when arXiv stopped answering before every paper
    was asked, or ``--offline`` had no stored record of some: a CI gate must not pass on a
    list it did not check."""
    if result.summary.unanswered or result.summary.not_compared:
        return EXIT_INCOMPLETE
    return EXIT_FINDINGS if failing else EXIT_OK


class ProgressBar:
    """A rich progress bar on a terminal; a no-op callback otherwise."""

    def __init__(self, console: Console, enabled: bool) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
            console=console, transient=True) if enabled else None
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        if self._progress is None:
            return None
        self._progress.start()
        return self._update

    def _update(self, phase: str, done: int, total: int) -> None:
        assert self._progress is not None
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(_PHASES.get(phase, phase), total=total)
        self._progress.update(self._tasks[phase], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def summary_line(result: CheckResult) -> str:
    from ..report.render import count

    s = result.summary
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(s.by_kind.items()))
    parts = [f"{count(s.entries, 'entry', 'entries')}, {count(s.papers, 'arXiv paper')}",
             f"{count(s.requests, 'request')} to arXiv"]
    if s.links:  # honest coverage: links outside every entry are not checked
        parts.append(f"{s.links} arXiv links in the file, {s.links_in_entries} inside entries")
    if s.unchecked and s.unreadable:
        unanswered = s.unchecked - s.unreadable
        why = [f"{s.unreadable} unreadable in arXiv's answer"]
        why += [f"{unanswered} arXiv did not answer"] if unanswered else []
        parts.append(f"{s.unchecked} unchecked ({', '.join(why)}; run again later)")
    elif s.unchecked:
        parts.append(f"{s.unchecked} unchecked (arXiv did not answer; run again later)")
    if s.not_compared:
        parts.append(f"{s.not_compared} not compared (never fetched; run a check without --offline)")
    verdict = count(s.open, "open finding") + (f" ({kinds})" if kinds else "")
    return (f"diffsync: {'; '.join(parts)}: {verdict}; {s.new} new, {s.resolved} resolved"
            + ("; interrupted" if result.interrupted else "") + _venue_line(s))


def _venue_line(s: CheckSummary) -> str:
    """A second line: "diffsync: venue confirmed for N of M papers; …" and each source's requests."""
    if not s.venue_coverage:
        return ""
    from ..venuesrc.records import SOURCE_NAMES

    asked = ", ".join(f"{SOURCE_NAMES.get(k, k)} {n}" for k, n in s.venue_requests.items())
    return f"\ndiffsync: {s.venue_coverage}" + (f" (requests: {asked})" if asked else "")
