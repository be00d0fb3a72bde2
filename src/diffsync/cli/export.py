"""Command: export -- accepted fixes as a diff, written back with --write, or the papers as data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from .common import DB_OPTION, LIST_ARGUMENT, app, checked_list

if TYPE_CHECKING:  # rich, the write-back and the database stack load when export runs
    from rich.console import Console

    from ..writeback.edits import ExportPlan


def _print_plan_json(plan: ExportPlan, diff: str, *, written: bool) -> None:
    def text(raw: bytes) -> str:
        return raw.decode("utf-8", errors="replace")

    json.dump({
        "edits": [{"finding_id": e.finding_id, "line": e.line, "start": e.span.start,
                   "end": e.span.end, "old": text(e.old), "new": text(e.new)} for e in plan.edits],
        "skipped": [{"finding_id": s.finding_id, "kind": s.kind.value, "line": s.line,
                     "reason": s.reason} for s in plan.skipped],
        "review_only": list(plan.review_only),
        "written": written,
        "diff": diff,
    }, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _say(err: Console, text: str) -> None:
    err.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command()
def export(
    list_file: Optional[Path] = LIST_ARGUMENT,
    write: bool = typer.Option(False, "--write", "-w", help="Apply the fixes to LIST (atomically)."),
    backup: bool = typer.Option(False, "--backup", help="With --write, keep the old file as LIST.bak."),
    check: bool = typer.Option(False, "--check",
                               help="Exit 1 if accepted fixes would change LIST (for CI)."),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="Instead of a diff, write the corrected entries as json, csv or bibtex."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="With --format, write to FILE instead of stdout "
                                               "(never the list, the database or a symlink)."),
    force: bool = typer.Option(False, "--force", help="With -o, replace FILE if it exists."),
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json",
                                 help="Print the planned edits and the diff as JSON instead of a diff."),
) -> None:
    """Show (or with --write apply) the fixes of accepted findings as a unified diff.

    Only the bytes of accepted fields change; everything else in LIST stays
    byte for byte the same.  Fixes follow each entry's own style: title,
    authors (separators and <sup> marks kept), date (its own format),
    wrong_id (ID replaced, stale vN dropped), missing_id ([[Paper](...)]
    link added), link (Markdown repaired) and venue (a placeholder such as
    "arXiv 2023." becomes the venue arXiv confirms).  not_found, withdrawn,
    new_version and duplicate findings are review-only.

    Each fix goes only into the entry its finding was raised on, and only
    while that entry still holds the value the check saw; written findings
    become "applied" and are never written again.  Refuses (exit 3, LIST
    untouched) when LIST changed since the last check or while export ran,
    or when the new text would not read back as planned.  -o never writes
    the list, the database, a symlink, or an existing file without --force
    (exit 2).  Exit 0 when done (with --check: 1 if there would be changes).

    Examples:  diffsync export README.md  |  diffsync export --write --backup
               diffsync export --format bibtex -o papers.bib
    """
    from rich.console import Console

    from ..gcpause import gc_paused
    from ..report.render import count
    from ..writeback.atomicfile import backup_path, write_atomic
    from ..writeback.export import check_output, export_papers, preview_export, write_export
    from ..writeback.formats import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")
    if output is not None and fmt is None:
        raise UsageError("--output goes with --format; the diff is printed on stdout")
    err = Console(stderr=True)
    # Entries, findings and edits all live to the end: collecting them is wasted work.
    with gc_paused(), checked_list(list_file, database_url) as (store, list_id, path):
        if fmt is not None:
            text, written = export_papers(store, list_id, path, fmt)
            if output is None:
                sys.stdout.write(text)
            else:
                check_output(output, path, store.sqlite_file, force=force)
                write_atomic(output, text.encode("utf-8"), follow_symlink=False)
                _say(err, f"diffsync: wrote {count(written, 'entry', 'entries')} as {fmt} to {output}")
            return
        preview = preview_export(store, list_id, path)
        plan, changed = preview.plan, preview.changed
        for s in plan.skipped:
            _say(err, f"diffsync: warning: finding {s.finding_id} ({s.kind.value}, line {s.line}) "
                      f"not applied: {s.reason}")
        if plan.review_only:
            _say(err, f"diffsync: review-only, nothing to write: "
                      f"{count(len(plan.review_only), 'accepted finding')} that need a person")
        if as_json:
            _print_plan_json(plan, preview.diff(), written=write and changed)
        else:
            sys.stdout.write(preview.diff())
        applied = write_export(store, list_id, preview, backup=backup) if write else []
    fixes = f"{count(len(plan.applied), 'accepted finding')}, {count(len(plan.edits), 'edit')}"
    if not changed:
        _say(err, f"diffsync: nothing to change in {path} ({count(preview.accepted, 'accepted finding')})")
    elif write:
        kept = f"; old file kept as {backup_path(path)}" if backup else ""
        _say(err, f"diffsync: wrote {fixes} to {path}{kept}; {count(len(applied), 'finding')} "
                  "now applied; run diffsync check to confirm")
    else:
        _say(err, f"diffsync: {fixes} would change {path}; run with --write to apply")
    raise typer.Exit(EXIT_FINDINGS if check and changed and not write else EXIT_OK)
