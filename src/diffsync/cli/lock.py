"""``diffsync lock ENTRY FIELD``: keep a curated value over arXiv's."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..review import decisions
from .. import arxivid
from ..errors import UsageError
from ..listfile.parse import read_list
from ..models import Entry
from .common import DB_OPTION, LIST_ARGUMENT, LISTS_ARGUMENT, app, list_path, settings, shown_path


def _find_entry(entries: tuple[Entry, ...], given: str) -> Entry:
    """An entry by arXiv ID (``2206.00364``, a URL) or by its title's line number."""
    if given.isdigit():
        found = [e for e in entries if e.line == int(given)]
    else:
        arxiv = arxivid.parse_id(given) or arxivid.from_url(given)
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

    Example:  diffsync lock 2206.00364 title README.md --reason "our wording"
    """
    if field not in decisions.LOCKABLE:
        raise UsageError(f"cannot lock {field!r}; fields are {', '.join(decisions.LOCKABLE)}")
    path = list_path(settings(list_file), list_file)
    _, parsed = read_list(path)
    chosen = _find_entry(parsed.entries, entry)
    if decisions.field_text(chosen, field) is None:
        raise UsageError(f"line {chosen.line}: the entry has no {field} to lock")
    written = decisions.lock(path, chosen, field, reason, known=_known_findings(path))
    typer.echo(f"diffsync: {field} of line {chosen.line} locked in {shown_path(str(written.path))}"
               f"{' (created: commit it with the list)' if written.created else ''}; "
               "the next check ignores its drift", err=True)


def _known_findings(path: Path) -> list:
    """The database's findings for the list, so its earlier decisions go into the file
    too; none when nothing was checked (lock works without a database)."""
    from ..store.store import Store

    s = settings()
    if not Store.exists(s.database_url):
        return []
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        list_id = store.find_list(str(path))
        return [] if list_id is None else store.findings(list_id)


decisions_app = typer.Typer(help="The review decisions file, LIST.diffsync.toml.", no_args_is_help=True)
app.add_typer(decisions_app, name="decisions")


@decisions_app.command("export")
def export_decisions(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    database_url: Optional[str] = DB_OPTION,
) -> None:
    """Write every accept and ignore the database holds to LIST.diffsync.toml.

    Decisions made before the file existed (or with [review] decisions_file
    = false) go into the file beside the list, so a check on a fresh
    database (CI, a fork) honours them.  Decisions the file already holds,
    locks too, are kept; nothing is written when nothing changes.  Without
    LIST: every list of the config, each into its own file.

    Example:  diffsync decisions export README.md
    """
    from .listargs import checked_lists
    from .review import note_written
    from rich.console import Console

    with checked_lists(list_files, database_url) as (store, checked):
        known = [(path, store.findings(list_id)) for list_id, path in checked]
    for path, findings in known:
        written = decisions.record(path, [], known=findings)
        if written is None:
            typer.echo(f"diffsync: {shown_path(str(decisions.path_for(path)))} already holds every decision",
                       err=True)
        note_written(written, Console(stderr=True))
