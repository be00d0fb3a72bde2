"""Command: export -- accepted fixes as a diff, written back with --write, or the papers as data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from .common import DB_OPTION, LISTS_ARGUMENT, app, settings, shown_path
from .exportmany import export_lists, total_line
from .listargs import checked_lists

if TYPE_CHECKING:  # rich, the write-back and the database stack load when export runs
    from rich.console import Console


def _say(err: Console, text: str) -> None:
    err.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command()
def export(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
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

    With several lists (given, or every list of the config): every list's
    diff first, then each list written on its own; a list that fails is
    named and the others are still written (exit 3).  --format takes one.

    Examples:  diffsync export README.md  |  diffsync export --write --backup
               diffsync export --format bibtex -o papers.bib
    """
    from rich.console import Console

    from ..gcpause import gc_paused
    from ..report.render import count
    from ..writeback.atomicfile import write_atomic
    from ..writeback.export import check_output, export_papers
    from ..writeback.formats import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")
    if output is not None and fmt is None:
        raise UsageError("--output goes with --format; the diff is printed on stdout")
    err = Console(stderr=True)
    # Entries, findings and edits all live to the end: collecting them is wasted work.
    with gc_paused(), checked_lists(list_files, database_url) as (store, checked):
        if fmt is not None:
            if len(checked) > 1:
                raise UsageError(f"--format takes one list ({len(checked)} given or configured); "
                                 "give the LIST to export")
            list_id, path = checked[0]
            text, written = export_papers(store, list_id, path, fmt)
            if output is None:
                sys.stdout.write(text)
            else:
                check_output(output, path, store.sqlite_file, force=force)
                write_atomic(output, text.encode("utf-8"), follow_symlink=False)
                _say(err, f"diffsync: wrote {count(written, 'entry', 'entries')} as {fmt} to {output}")
            return
        done = export_lists(store, checked, err, write=write, backup=backup, as_json=as_json,
                            decisions_file=settings().review.decisions_file)
    if len(checked) > 1:
        _say(err, total_line(done))
    for failure in done.failed:
        _say(err, f"diffsync: error: {shown_path(str(failure.path))}: not exported: {failure.error}")
    if done.failed:
        raise typer.Exit(max(f.error.exit_code for f in done.failed))
    changed = any(one.preview.changed for one in done.exported)
    raise typer.Exit(EXIT_FINDINGS if check and changed and not write else EXIT_OK)
