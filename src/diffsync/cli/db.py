"""Commands: ``diffsync db upgrade``, ``diffsync db current`` and ``diffsync db clear-cooldown``."""

from __future__ import annotations

import json

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
