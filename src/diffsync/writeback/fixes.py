"""Findings with the exact fix export would write, for everything that shows findings.

``review``, ``findings``, ``check`` and the daemon's report show a finding's
``fix``; it comes from the export planner (``planning.planned_edits``), so what
a reviewer accepts is byte for byte what export writes at that span.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ListReadError
from ..listfile.parse import read_list
from ..models import Finding, ParsedList, PaperRecord, Span
from ..store.store import Store
from .edits import Edit, apply_edits, file_encoding
from .planning import planned_edits, record_ids
from .owner import EntryIndex


def with_fixes(data: bytes, parsed: ParsedList, findings: Iterable[Finding],
               records: Mapping[str, PaperRecord]) -> tuple[Finding, ...]:
    found = tuple(findings)
    return _fixed(found, planned_edits(data, parsed, found, records), data)


def _fixed(found: tuple[Finding, ...], planned: Mapping[str, list[Edit]], data: bytes) -> tuple[Finding, ...]:
    """Each finding with the text its (first) edit writes, and that edit's line when it is
    not the finding's own (a date fixed two lines below the title)."""
    enc = file_encoding(data)
    starts = [m.end() for m in re.finditer(rb"\n", data)] if planned else []

    def fix_line(f: Finding, edit: Edit) -> int | None:
        line = bisect.bisect_right(starts, edit.span.start) + 1
        return line if line != f.line else None

    return tuple(replace(f, fix=planned[f.id][0].new.decode(enc, errors="replace"),
                         fix_line=fix_line(f, planned[f.id][0])) if f.id in planned else f
                 for f in found)


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


def fixes_and_entry_edits(store: Store, path: Path | str, findings: Iterable[Finding]
                          ) -> tuple[tuple[Finding, ...], dict[str, tuple[str, ...]]]:
    """``findings`` with their fixes, and per finding its entry's Markdown lines as a small
    diff: ``"  "`` before a line its fix leaves alone, ``"- "``/``"+ "`` before the lines it
    replaces and writes.  The list is read and planned once for both (review shows both);
    unchanged findings and no lines when the list cannot be read."""
    found = tuple(findings)
    try:
        data, parsed = read_list(path)
    except ListReadError:
        return found, {}
    planned = planned_edits(data, parsed, found, _records_for(store, found))
    owners = EntryIndex(parsed)
    lines: dict[str, tuple[str, ...]] = {}
    for f in found:
        e = owners.own_entry(f)
        if e is not None:
            lines[f.id] = _entry_diff(data, e.span, planned.get(f.id, []))
    return _fixed(found, planned, data), lines


def _entry_diff(data: bytes, span: Span, edits: list[Edit]) -> tuple[str, ...]:
    """The entry at ``span`` before and after ``edits`` (all inside it), as ndiff lines."""
    entry = data[span.start:span.end]
    inside = [replace(x, span=Span(x.span.start - span.start, x.span.end - span.start)) for x in edits
              if span.start <= x.span.start and x.span.end <= span.end]
    old = entry.decode("utf-8", "replace").splitlines()
    new = apply_edits(entry, inside).decode("utf-8", "replace").splitlines()
    return tuple(line for line in difflib.ndiff(old, new) if not line.startswith("?"))
