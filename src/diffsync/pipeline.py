"""The check pipeline: parse -> fetch -> store -> compare -> record findings.

Shared by ``diffsync check`` and the daemon, so both run the same steps.
(Contract stub; implementation lands with the check command.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Settings
from .models import Finding


@dataclass(frozen=True)
class CheckSummary:
    entries: int = 0
    papers: int = 0  # distinct arXiv IDs tracked by the list
    fetched: int = 0  # papers asked of arXiv this run
    requests: int = 0  # HTTP requests made to arXiv this run
    unchecked: int = 0  # papers arXiv could not be asked about this run
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


ProgressCallback = Callable[[str, int, int], None]  # (phase, done, total)


def run_check(
    settings: Settings,
    list_path: Path,
    *,
    offline: bool = False,
    max_age_hours: float | None = None,
    strict: bool | None = None,
    progress: ProgressCallback | None = None,
    trigger: str = "check",  # "check" | "daemon": recorded in the run log
) -> CheckResult:
    """Run one check of ``list_path``; raises DiffsyncError subclasses when it cannot complete."""
    raise NotImplementedError
