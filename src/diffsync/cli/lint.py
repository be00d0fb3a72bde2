"""``diffsync lint``: the list's structure, offline; for pre-commit and editors."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..drift.lint import run
from .common import app, list_path, settings


@app.command()
def lint(
    list_files: Optional[List[Path]] = typer.Argument(
        None, metavar="[LIST]...", help="Markdown lists (default: [list] path in config.toml)."),
    strict: bool = typer.Option(
        False, "--strict", help="Also flag /pdf/ links, http://, and mirror hosts."),
) -> None:
    """Check the structure of LIST offline: no arXiv, no database.

    Reports links Markdown does not render, malformed or junk arXiv links
    (?context=cs, fragments, invalid IDs), entries that do not parse, one
    arXiv ID under different titles, and entries without authors or a date,
    one `file:line: message` per problem on stdout.

    Exit codes: 0 clean, 1 problems found, 3 a list is missing or not a text file.
    """
    paths = list_files or [list_path(settings(), None)]
    raise typer.Exit(run(paths, strict=strict))
