"""Commands: ``diffsync db upgrade`` and ``diffsync db current``."""

from __future__ import annotations

import typer

from ..storage import Store
from .common import app, settings

db_app = typer.Typer(help="Manage the diffsync database (schema migrations).",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring its schema up to date (also done automatically)."""
    s = settings()
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        rev = store.revision()
        typer.echo(f"{store.location}: schema at revision {rev.current} (latest)")


@db_app.command("current")
def current() -> None:
    """Show the database's schema revision and whether it needs an upgrade; changes nothing."""
    s = settings()
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout,
                    upgrade=False) as store:
        rev = store.revision()
        typer.echo(f"{store.location}: schema at revision {rev.current} (latest)")
