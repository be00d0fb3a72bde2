"""Command: export -- accepted fixes as a diff, written back with --write, or the papers as data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import EXIT_FINDINGS, EXIT_OK, ListChangedError, UsageError
from ..atomicfile import backup_path, write_atomic
from ..export import ExportPlan, apply_edits, plan_export, unified_diff
from ..export_formats import FORMATS, corrected_entries, render
from ..listparse import parse_list, read_list
from ..models import Kind, Status
from .common import app
from .review import DB_OPTION, checked_list


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
    list_file: Optional[Path] = typer.Argument(None, metavar="[LIST]", help="The Markdown list."),
    write: bool = typer.Option(False, "--write", "-w", help="Apply the fixes to LIST (atomically)."),
    backup: bool = typer.Option(False, "--backup", help="With --write, keep the old file as LIST.bak."),
    check: bool = typer.Option(False, "--check",
                               help="Exit 1 if accepted fixes would change LIST (for CI)."),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="Instead of a diff, write the corrected entries as json, csv or bibtex."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="With --format, write to FILE instead of stdout."),
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json",
                                 help="Print the planned edits and the diff as JSON instead of a diff."),
) -> None:
    """Show (or with --write apply) the fixes of accepted findings as a unified diff.

    Only the bytes of accepted fields change; everything else in LIST stays
    byte for byte the same.  Fixes follow each entry's own style: title,
    authors (separators and <sup> marks kept), date (its own format),
    wrong_id (ID replaced, stale vN dropped), missing_id ([[Paper](...)]
    link added) and link (Markdown repaired).  not_found, withdrawn,
    new_version, venue and duplicate findings are review-only.

    Refuses when LIST changed since the last check.  Exit 0 when done
    (with --check: 1 if there would be changes).

    Examples:  diffsync export README.md  |  diffsync export --write --backup
               diffsync export --format bibtex -o papers.bib
    """
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")
    if output is not None and fmt is None:
        raise UsageError("--output goes with --format; the diff is printed on stdout")
    err = Console(stderr=True)
    with checked_list(list_file, database_url) as (store, list_id, path):
        data, parsed = read_list(path)
        accepted = store.findings(list_id, status=[Status.ACCEPTED])
        if fmt is not None:
            wanted = {e.arxiv_id for e in parsed.entries if e.arxiv_id}
            wanted |= {f.suggestion for f in accepted if f.suggestion
                       and f.kind in (Kind.WRONG_ID, Kind.MISSING_ID)}
            text = render(fmt, corrected_entries(parsed, store.load_records(sorted(wanted)), accepted))
            if output is None:
                sys.stdout.write(text)
            else:
                write_atomic(output, text.encode("utf-8"))
                _say(err, f"diffsync: wrote {len(parsed.entries)} entries as {fmt} to {output}")
            return
        state = store.list_state(list_id)
        if state is None or state.sha256 != parsed.sha256:
            raise ListChangedError(f"{path}: list changed since the last check; "
                                   f"run diffsync check {path} first")
        wanted = {f.arxiv_id for f in accepted if f.arxiv_id}
        wanted |= {f.suggestion for f in accepted if f.suggestion and f.kind is Kind.WRONG_ID}
        plan = plan_export(data, parsed, accepted, store.load_records(sorted(wanted)))
        for s in plan.skipped:
            _say(err, f"diffsync: warning: finding {s.finding_id} ({s.kind.value}, line {s.line}) "
                      f"not applied: {s.reason}")
        if plan.review_only:
            _say(err, f"diffsync: {len(plan.review_only)} accepted findings are review-only "
                      "(not_found, withdrawn, new_version, venue, duplicate): nothing to write for them")
        new = apply_edits(data, plan.edits)
        changed = new != data
        if as_json:
            _print_plan_json(plan, unified_diff(data, new, path), written=write and changed)
        else:
            sys.stdout.write(unified_diff(data, new, path))
        if write and changed:
            write_atomic(path, new, backup=backup)
            # Record the list as written, so a second export sees no change instead of refusing.
            store.save_entries(list_id, parse_list(new, str(path)))
    fixes = f"{len(plan.applied)} accepted findings, {len(plan.edits)} edits"
    if not changed:
        _say(err, f"diffsync: nothing to change in {path} ({len(accepted)} accepted findings)")
    elif write:
        kept = f"; old file kept as {backup_path(path)}" if backup else ""
        _say(err, f"diffsync: wrote {fixes} to {path}{kept}; run diffsync check to confirm")
    else:
        _say(err, f"diffsync: {fixes} would change {path}; run with --write to apply")
    raise typer.Exit(EXIT_FINDINGS if check and changed and not write else EXIT_OK)
