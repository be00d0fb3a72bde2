"""Commands: ``diffsync db upgrade``, ``db current``, ``db clear-cooldown`` and ``db prune``."""

from __future__ import annotations

import json
from typing import Optional

import typer

from .common import app, settings

db_app = typer.Typer(help="Manage the diffsync database (schema migrations).",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring its schema up to date (every command also does this).

    Example:  diffsync db upgrade --database-url postgresql+psycopg://localhost/diffsync
    """
    from ..store.store import Store

    s = settings()
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        typer.echo(f"{store.location}: schema at revision {store.revision().current} (latest)")


@db_app.command("current")
def current(
    as_json: bool = typer.Option(False, "--json", help="Print {database, current, head, up_to_date}."),
) -> None:
    """Show the database's schema revision and whether it needs an upgrade; changes nothing.

    Example:  diffsync db current --json
    """
    from ..store.store import Store

    s = settings()
    rev = Store.inspect(s.database_url, busy_timeout=s.database.busy_timeout)
    if as_json:
        typer.echo(json.dumps({"database": Store.describe(s.database_url), "current": rev.current,
                               "head": rev.head, "up_to_date": rev.up_to_date}))
        return
    if rev.current is None:
        state = f"no diffsync schema yet (the first command creates revision {rev.head})"
    elif rev.up_to_date:
        state = f"schema at revision {rev.current} (latest)"
    else:
        state = (f"schema at revision {rev.current}, latest is {rev.head} "
                 "(upgraded automatically on next use, or run `diffsync db upgrade`)")
    typer.echo(f"{Store.describe(s.database_url)}: {state}")


@db_app.command("clear-cooldown")
def clear_cooldown() -> None:
    """Lift the stored arXiv cooldown (set after repeated HTTP 429s), so checks may ask arXiv again.

    Example:  diffsync db clear-cooldown
    """
    from ..report.markdown import human_time
    from ..store.store import Store

    s = settings()
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        cleared = store.clear_cooldown()
    if cleared is None:
        typer.echo("no arXiv cooldown was stored; nothing to clear")
        return
    because = f", set after {cleared.source}" if cleared.source else ""
    typer.echo(f"arXiv cooldown cleared (was until {human_time(cleared.until)}{because})")


@db_app.command("prune")
def prune(
    keep_runs: Optional[int] = typer.Option(
        None, "--keep-runs", metavar="N", min=1,
        help="Runs to keep in the run log (default: [daemon] keep_runs)."),
) -> None:
    """Delete old runs from the run log, keeping the newest N.

    A run still running stays, and so does each list's last good run. Papers,
    their history, findings and decisions are never deleted. The daemon does
    the same after each run.

    Example:  diffsync db prune --keep-runs 100
    """
    from ..store.store import Store

    s = settings()
    keep = keep_runs if keep_runs is not None else s.daemon.keep_runs
    if keep <= 0:
        typer.echo("[daemon] keep_runs is 0: every run is kept; give --keep-runs N to prune")
        return
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        deleted = store.prune_runs(keep)
    typer.echo(f"deleted {deleted} old run{'s' if deleted != 1 else ''} from the run log "
               f"(kept the newest {keep}, each list's last good run and any still running)")
