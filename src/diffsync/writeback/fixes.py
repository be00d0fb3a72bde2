"""Findings with the exact fix export would write, for everything that shows findings.

``review``, ``findings``, ``check`` and the daemon's report show a finding's
``fix``; it comes from the export planner (``edits.planned_fixes``), so what
a reviewer accepts is byte for byte what export writes at that span.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ListReadError
from ..listfile.parse import read_list
from ..models import Finding, ParsedList, PaperRecord, Status
from ..store.store import Store
from .edits import apply_edits, plan_export, planned_fixes, record_ids
from .owner import EntryIndex


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
    return with_fixes(data, parsed, found, _records_for(store, found))


def _records_for(store: Store, findings: tuple[Finding, ...]) -> dict[str, PaperRecord]:
    return store.load_records(record_ids(findings))


def entry_edits(store: Store, path: Path | str, findings: Iterable[Finding]) -> dict[str, tuple[str, ...]]:
    """Per finding, its entry's Markdown lines as a small diff: ``"  "`` before a line its
    fix leaves alone, ``"- "``/``"+ "`` before the lines it replaces and writes (the same
    planning as export).  Empty when the list cannot be read."""
    found = tuple(findings)
    try:
        data, parsed = read_list(path)
    except ListReadError:
        return {}
    records = _records_for(store, found)
    out: dict[str, tuple[str, ...]] = {}
    owners = EntryIndex(parsed)
    for f in found:
        e = owners.own_entry(f)
        if e is None:
            continue
        plan = plan_export(data, parsed, [replace(f, status=Status.ACCEPTED)], records)
        grown = sum(len(x.new) - len(x.old) for x in plan.edits)
        old = data[e.span.start:e.span.end].decode("utf-8", "replace").splitlines()
        new = apply_edits(data, plan.edits)[e.span.start:e.span.end + grown].decode("utf-8", "replace").splitlines()
        out[f.id] = tuple(line for line in difflib.ndiff(old, new) if not line.startswith("?"))
    return out
