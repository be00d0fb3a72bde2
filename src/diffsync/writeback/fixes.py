"""Findings with the exact fix export would write, for everything that shows findings.

``review``, ``findings``, ``check`` and the daemon's report show a finding's
``fix``; it comes from the export planner (``edits.planned_fixes``), so what
a reviewer accepts is byte for byte what export writes at that span.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ListReadError
from ..listfile.parse import read_list
from ..models import Finding, Kind, ParsedList, PaperRecord
from ..store.store import Store
from .edits import planned_fixes


def with_fixes(data: bytes, parsed: ParsedList, findings: Iterable[Finding],
               records: Mapping[str, PaperRecord]) -> tuple[Finding, ...]:
    found = tuple(findings)
    fixes = planned_fixes(data, parsed, found, records)
    return tuple(replace(f, fix=fixes[f.id]) if f.id in fixes else f for f in found)


def findings_with_fixes(store: Store, list_id: int, path: Path | str,
                        findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` of the list at ``path`` with their fixes; unchanged if the list cannot be read."""
    found = tuple(findings)
    try:
        data, parsed = read_list(path)
    except ListReadError:
        return found
    return stored_fixes(store, data, parsed, found)


def stored_fixes(store: Store, data: bytes, parsed: ParsedList,
                 findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``with_fixes`` with the arXiv records the findings name, loaded from ``store``."""
    found = tuple(findings)
    wanted = {f.arxiv_id for f in found if f.arxiv_id}
    wanted |= {f.suggestion for f in found if f.suggestion and f.kind is Kind.WRONG_ID}
    return with_fixes(data, parsed, found, store.load_records(sorted(wanted)))
