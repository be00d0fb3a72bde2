"""What every command shares: the Typer app, global options, settings."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

import typer

from .. import __version__
from ..config import Settings, load_settings
from ..errors import UsageError

if TYPE_CHECKING:  # the database stack is imported by the commands that open it
    from ..store.store import Store

app = typer.Typer(
    name="diffsync",
    help=(
        "Keep a curated Markdown list of arXiv papers honest.\n\n"
        "diffsync reads the list, fetches canonical metadata from arXiv, reports drift "
        "(titles, authors, dates, IDs, links) for review, and writes accepted fixes back.\n\n"
        "Start with:  diffsync demo   (offline, a few seconds), then  diffsync check LIST.md"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state: dict[str, Any] = {"config": None}


def _print_version(value: bool) -> None:
    if value:
        print(f"diffsync {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    config: Optional[Path] = typer.Option(
        None, "--config", "-c", envvar="DIFFSYNC_CONFIG",
        help="Path to config.toml (default: ./config.toml if present).",
    ),
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
) -> None:
    _state["config"] = config


def settings(**overrides: dict[str, Any]) -> Settings:
    """Settings with command-line flags applied over env, config and defaults."""
    return load_settings(_state["config"], overrides=overrides)


def list_path(s: Settings, given: Optional[Path]) -> Path:
    """The LIST argument, else ``[list] path`` from the config."""
    return given if given is not None else s.resolve(s.list.path)


LIST_ARGUMENT = typer.Argument(
    None, metavar="[LIST]", help="The Markdown list (default: [list] path in config.toml).")

DB_OPTION = typer.Option(None, "--database-url", metavar="URL", help="SQLAlchemy database URL.")


@contextmanager
def checked_list(list_file: Optional[Path], database_url: Optional[str]) -> Iterator[tuple[Store, int, Path]]:
    """The store and the id of a list that has been checked at least once."""
    from ..store.store import Store

    s = settings(database={"url": database_url})
    path = list_path(s, list_file)
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        list_id = store.find_list(str(path))
        if list_id is None:
            raise UsageError(f"{path}: no check recorded for this list; run diffsync check {path} first")
        yield store, list_id, path
