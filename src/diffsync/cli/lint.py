"""``diffsync lint``: the list's structure, offline; for pre-commit and editors."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..drift.lint import pick_rules, run
from .common import LISTS_ARGUMENT, app, list_paths, settings


@app.command()
def lint(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    strict: bool = typer.Option(
        False, "--strict", help="Also flag /pdf/ links, http://, and mirror hosts."),
    select: Optional[List[str]] = typer.Option(
        None, "--select", metavar="RULES",
        help="Only these rule ids or prefixes, comma-separated; ALL for every rule "
             "(default: [lint] select, else every rule but F001/F002)."),
    ignore: Optional[List[str]] = typer.Option(
        None, "--ignore", metavar="RULES", help="Not these rule ids or prefixes (adds to [lint] ignore)."),
    fmt: str = typer.Option("concise", "--format", metavar="FORMAT",
                            help="concise (file:line: RULE message), json, github or sarif."),
) -> None:
    """Check the structure of LIST offline: no arXiv, no database.

    Rules: M001 links Markdown does not render; A001 junk in arXiv URLs
    (?context=cs, fragments); A002 invalid arXiv IDs; A003 one arXiv ID under
    different titles; A004 arXiv links outside every entry; T001 doubtful
    text (double-encoded names); T002 file problems (BOM, not UTF-8); F001 /
    F002 entries without authors / a date (opt-in, and only where the list's
    entries carry them).  Silence a rule on one entry with a comment in it or
    just above it: <!-- diffsync: ignore A003 --> (docs/lint.md).

    Exit codes: 0 clean, 1 problems found, 2 unknown rule or format, 3 a list
    is missing or not a text file (named; the other lists are still linted).

    Example:  diffsync lint README.md --select ALL --ignore F001 --format github
    """
    s = settings(list_files[0] if list_files else None)
    chosen_select, chosen_ignore = pick_rules(select or [], ignore or [], s.lint.select, s.lint.ignore)
    paths = list_paths(s, list_files)
    raise typer.Exit(run(paths, strict=strict, select=chosen_select, ignore=chosen_ignore,
                         fmt=fmt.strip().lower()))
