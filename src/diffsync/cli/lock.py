"""``diffsync lock ENTRY FIELD``: keep a curated value over arXiv's."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..review import decisions
from ..arxivapi import ids
from ..errors import UsageError
from ..listfile.parse import read_list
from ..models import Entry
from .common import LIST_ARGUMENT, app, list_path, settings


def _find_entry(entries: tuple[Entry, ...], given: str) -> Entry:
    """An entry by arXiv ID (``2206.00364``, a URL) or by its title's line number."""
    if given.isdigit():
        found = [e for e in entries if e.line == int(given)]
    else:
        arxiv = ids.parse_id(given) or ids.from_url(given)
        found = [e for e in entries if arxiv is not None and e.arxiv_id == arxiv.id]
    if not found:
        raise UsageError(f"no entry {given!r} in the list (give its arXiv ID or its title's line number)")
    return found[0]


@app.command()
def lock(
    entry: str = typer.Argument(..., metavar="ENTRY", help="The entry's arXiv ID or its title's line number."),
    field: str = typer.Argument(..., metavar="FIELD", help="title, authors, date or venue."),
    list_file: Optional[Path] = LIST_ARGUMENT,
    reason: Optional[str] = typer.Option(None, "--reason", help="Why the listed value wins."),
) -> None:
    """Keep the list's FIELD of ENTRY over arXiv's, for good.

    Written to LIST.diffsync.toml beside the list (created if need be); every
    check then ignores that field's drift for the entry, until the listed
    text itself changes.  Commit the file with the list.
    """
    if field not in decisions.LOCKABLE:
        raise UsageError(f"cannot lock {field!r}; fields are {', '.join(decisions.LOCKABLE)}")
    path = list_path(settings(), list_file)
    _, parsed = read_list(path)
    chosen = _find_entry(parsed.entries, entry)
    if decisions.field_text(chosen, field) is None:
        raise UsageError(f"line {chosen.line}: the entry has no {field} to lock")
    written = decisions.lock(path, chosen, field, reason)
    typer.echo(f"diffsync: {field} of line {chosen.line} locked in {written}; "
               "the next check ignores its drift", err=True)
