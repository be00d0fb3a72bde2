"""What every command shares: the Typer app, global options, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..config import Settings, load_settings

app = typer.Typer(
    name="diffsync",
    help=(
        "Keep a curated Markdown list of arXiv papers honest.\n\n"
        "diffsync reads the list, fetches canonical metadata from arXiv, reports drift "
        "(titles, authors, dates, IDs, links) for review, and writes accepted fixes back.\n\n"
        "Start with:  diffsync check LIST.md"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state: dict[str, Any] = {"config": None}


@app.callback()
def _global(
    config: Optional[Path] = typer.Option(
        None, "--config", "-c", envvar="DIFFSYNC_CONFIG",
        help="Path to config.toml (default: ./config.toml if present).",
    ),
) -> None:
    _state["config"] = config


def settings(**overrides: dict[str, Any]) -> Settings:
    """Settings with command-line flags applied over env, config and defaults."""
    return load_settings(_state["config"], overrides=overrides)


def list_path(s: Settings, given: Optional[Path]) -> Path:
    """The LIST argument, else ``[list] path`` from the config."""
    return given if given is not None else s.resolve(s.list.path)
