"""``diffsync export`` over several lists: every list's diff first, then each list written.

Each list is planned, shown and written on its own (``writeback.export``): its write is
atomic and refuses on its own, so a list that fails (changed since its check, a fix that
would not read back) is named and the others are still exported.  A single list's
failure stays the command's error, as it always was.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DiffsyncError, os_error_line
from .common import shown_path

if TYPE_CHECKING:
    from rich.console import Console

    from ..store.store import Store
    from ..writeback.export import ExportPreview


@dataclass(frozen=True)
class Exported:
    list_id: int
    preview: ExportPreview
    applied: tuple[str, ...] = ()  # finding ids now applied (with --write)


@dataclass(frozen=True)
class Failed:
    path: Path
    error: DiffsyncError


@dataclass(frozen=True)
class ExportedLists:
    exported: tuple[Exported, ...]
    failed: tuple[Failed, ...]
    written: bool  # --write


def export_lists(store: Store, checked: list[tuple[int, Path]], err: Console, *, write: bool,
                 backup: bool, as_json: bool, decisions_file: bool = True) -> ExportedLists:
    """Plan every list, print each one's diff (or JSON), then write each with ``write``;
    each written list's decisions file follows the rewrite (``decisions.follow``)."""
    from ..review import decisions
    from ..writeback.export import preview_export, write_export

    alone = len(checked) == 1
    previews: list[tuple[int, ExportPreview]] = []
    failed: list[Failed] = []
    for list_id, path in checked:
        try:
            previews.append((list_id, preview_export(store, list_id, path)))
        except DiffsyncError as exc:
            if alone:
                raise
            failed.append(Failed(path, exc))
    for _, preview in previews:
        _warn(preview, err, named=not alone)
        if not as_json:
            sys.stdout.write(_diff(preview))
    done: list[Exported] = []
    for list_id, preview in previews:
        applied: tuple[str, ...] = ()
        if write:
            try:
                if decisions_file:  # one it could not update afterwards: refused before the list is touched
                    decisions.load(decisions.path_for(preview.path))
                written = write_export(store, list_id, preview, backup=backup)
            except (DiffsyncError, OSError) as exc:  # OSError: the file system refused this list
                if alone:
                    raise
                failed.append(Failed(preview.path, exc if isinstance(exc, DiffsyncError)
                                     else DiffsyncError(os_error_line(exc))))
                continue
            applied = written.applied
            try:
                decisions.follow(preview.path, written.moves, applied, enabled=decisions_file)
            except (DiffsyncError, OSError) as exc:  # the list is written: say so, do not fail it
                _say(err, f"diffsync: warning: {shown_path(str(preview.path))} was written, but "
                          f"{decisions.path_for(preview.path).name} was not updated: {exc}")
        done.append(Exported(list_id, preview, applied))
        _say(err, _outcome_line(preview, write, backup, len(applied)))
    result = ExportedLists(tuple(done), tuple(failed), write)
    if as_json:
        _print_json(result, alone)
    return result


def _diff(preview: ExportPreview) -> str:
    """The list's diff, named as the user would type it (``a/topics/gans.md``, not
    ``a//home/…``: a configured list's path is absolute), so ``git apply`` takes it."""
    from ..writeback.diff import diff_from_edits

    return diff_from_edits(preview.old, preview.new, preview.plan.edits, shown_path(str(preview.path)))


def _say(err: Console, text: str) -> None:
    err.print(text, markup=False, highlight=False, soft_wrap=True)


def _warn(preview: ExportPreview, err: Console, named: bool) -> None:
    from ..report.render import count

    plan = preview.plan
    where = f"{shown_path(str(preview.path))}: " if named else ""
    for s in plan.skipped:
        _say(err, f"diffsync: warning: {where}finding {s.finding_id} ({s.kind.value}, line {s.line}) "
                  f"not applied: {s.reason}")
    if plan.review_only:
        _say(err, f"diffsync: {where}review-only, nothing to write: "
                  f"{count(len(plan.review_only), 'accepted finding')} that need a person")


def _outcome_line(preview: ExportPreview, write: bool, backup: bool, applied: int) -> str:
    from ..report.render import count
    from ..writeback.atomicfile import backup_path

    plan, path = preview.plan, preview.path
    fixes = f"{count(len(plan.applied), 'accepted finding')}, {count(len(plan.edits), 'edit')}"
    if not preview.changed:
        return f"diffsync: nothing to change in {path} ({count(preview.accepted, 'accepted finding')})"
    if write:
        kept = f"; old file kept as {backup_path(path)}" if backup else ""
        return (f"diffsync: wrote {fixes} to {path}{kept}; {count(applied, 'finding')} "
                "now applied; run diffsync check to confirm")
    return f"diffsync: {fixes} would change {path}; run with --write to apply"


def total_line(done: ExportedLists) -> str:
    from ..report.render import count

    lists = len(done.exported) + len(done.failed)
    changed = sum(1 for one in done.exported if one.preview.changed)
    edits = sum(len(one.preview.plan.edits) for one in done.exported)
    failed = f", {len(done.failed)} not exported" if done.failed else ""
    verb = "written" if done.written else "would change"
    return f"diffsync: total: {count(lists, 'list')}{failed}: {count(edits, 'edit')}, {changed} {verb}"


def plan_to_dict(preview: ExportPreview, *, written: bool) -> dict[str, Any]:
    def text(raw: bytes) -> str:
        return raw.decode("utf-8", errors="replace")

    plan = preview.plan
    return {
        "list": str(preview.path),
        "edits": [{"finding_id": e.finding_id, "line": e.line, "start": e.span.start,
                   "end": e.span.end, "old": text(e.old), "new": text(e.new)} for e in plan.edits],
        "skipped": [{"finding_id": s.finding_id, "kind": s.kind.value, "line": s.line,
                     "reason": s.reason} for s in plan.skipped],
        "review_only": list(plan.review_only),
        "written": written,
        "diff": _diff(preview),
    }


def _print_json(done: ExportedLists, alone: bool) -> None:
    """One list: its plan, as always (with its "list").  Several: ``lists`` and ``total``."""
    docs = [plan_to_dict(one.preview, written=done.written and one.preview.changed)
            for one in done.exported]
    if alone:
        doc: dict[str, Any] = docs[0]
    else:
        doc = {"lists": docs,
               "failed": [{"list": str(f.path), "error": str(f.error), "exit_code": f.error.exit_code}
                          for f in done.failed],
               "total": {"lists": len(docs) + len(done.failed),
                         "edits": sum(len(d["edits"]) for d in docs),
                         "changed": sum(1 for one in done.exported if one.preview.changed),
                         "failed": len(done.failed), "written": done.written}}
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
