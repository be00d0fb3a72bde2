"""What every command shares: the Typer app, global options, settings."""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

import typer
from typer.core import TyperGroup

from .. import __version__
from ..config import Settings, load_settings
from ..errors import UsageError
from ..report.render import shown_path  # noqa: F401  the commands' one way to print the list's path

if TYPE_CHECKING:  # the database stack is imported by the commands that open it
    from ..store.store import Store

# Options that mean the same on every command: accepted before or after the
# subcommand (``diffsync check LIST --config x.toml``); the value-taking ones map to
# the setting they override.
GLOBAL_VALUE_OPTIONS = {"--config": None, "-c": None,
                        "--database-url": ("database", "url"), "--arxiv-url": ("arxiv", "url"),
                        "--shape": ("list", "shape")}
GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")


class _OptionsAnywhere(TyperGroup):
    """Moves global options given after the subcommand to before it, unless that
    subcommand defines the option itself (``check --arxiv-url`` keeps its own)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        name_at = next((i for i, a in enumerate(args) if a in self.commands), None)
        if name_at is None:
            return super().parse_args(ctx, args)
        own = _own_options(self.commands[args[name_at]], args[name_at + 1:])
        head, tail, moved = args[:name_at + 1], args[name_at + 1:], []
        rest: list[str] = []
        i = 0
        while i < len(tail):
            arg = tail[i]
            if arg == "--":
                rest += tail[i:]
                break
            key = arg.split("=", 1)[0]
            if key in own:
                rest.append(arg)
            elif key in GLOBAL_VALUE_OPTIONS:
                takes_next = "=" not in arg and i + 1 < len(tail)
                moved += tail[i:i + 2] if takes_next else [arg]
                i += 1 if takes_next else 0
            elif arg in GLOBAL_FLAGS:
                moved.append(arg)
            else:
                rest.append(arg)
            i += 1
        return super().parse_args(ctx, moved + head + rest)


def _own_options(command: Any, tail: list[str]) -> set[str]:
    """The option names ``command`` (or, for a group, the subcommand named in ``tail``) defines."""
    if isinstance(command, TyperGroup):
        sub = next((command.commands[a] for a in tail if a in command.commands), None)
        return _own_options(sub, []) if sub is not None else set()
    return {name for param in command.params for name in getattr(param, "opts", [])}


app = typer.Typer(
    name="diffsync",
    cls=_OptionsAnywhere,
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

_state: dict[str, Any] = {"config": None, "overrides": {}, "quiet": False, "verbose": False}


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
    database_url: Optional[str] = typer.Option(
        None, "--database-url", metavar="URL", help="SQLAlchemy database URL (any command)."),
    arxiv_url: Optional[str] = typer.Option(
        None, "--arxiv-url", metavar="URL", help="arXiv API endpoint: a mirror or a fake (any command)."),
    shape: Optional[str] = typer.Option(
        None, "--shape", metavar="SHAPE",
        help="Read every entry as one shape: paragraph, item, row or heading (default: inferred per "
             "section; any command)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also log what diffsync does."),
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
) -> None:
    """Options here may also follow the subcommand."""
    _state["config"] = config
    _state["overrides"] = {"database": {"url": database_url}, "arxiv": {"url": arxiv_url},
                           "list": {"shape": shape}}
    _state["quiet"], _state["verbose"] = quiet, verbose
    _state["said"] = set()  # notes said by this command
    if quiet and not isinstance(sys.stderr, ErrorsOnly):
        sys.stderr = ErrorsOnly(sys.stderr)
    _log_verbosely(verbose)


class _VerboseHandler(logging.StreamHandler):
    """-v: diffsync's own log (each phase, each request), not its libraries' (alembic's
    plugin setup); retry notices are already on stderr as warnings, so not twice."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("diffsync: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # looked up per line: --quiet or a progress bar may wrap it
        if record.name == "diffsync.arxivapi.client" and record.levelno >= logging.WARNING:
            return
        super().emit(record)


def _log_verbosely(on: bool) -> None:
    """-v on or off for this command (commands run in one process in tests, one after another)."""
    own = logging.getLogger("diffsync")
    for h in [h for h in own.handlers if isinstance(h, _VerboseHandler)]:
        own.removeHandler(h)
    if on:
        own.addHandler(_VerboseHandler())
    own.setLevel(logging.DEBUG if on else logging.NOTSET)


def verbose() -> bool:
    """``-v``: log each phase, and show every value whole (concise lines are elided)."""
    return bool(_state.get("verbose"))


def settings(list_file: Optional[Path] = None, **overrides: dict[str, Any]) -> Settings:
    """Settings with command-line flags applied over env, config and defaults.

    ``list_file`` is the LIST given, if any: the config and the database are looked for
    beside it first (configfind).  A command's own flag wins over the same global option
    given elsewhere.  Notes (which database is used) are said once on stderr."""
    merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in _state.get("overrides", {}).items()}
    for section, values in overrides.items():
        for key, value in values.items():
            if value is not None or key not in merged.get(section, {}):
                merged.setdefault(section, {})[key] = value if value is not None else merged.get(section, {}).get(key)
    s = load_settings(_state["config"], overrides=merged, list_path=list_file)
    said = _state.setdefault("said", set())
    for note in s.notes:
        if note not in said:
            said.add(note)
            print(f"diffsync: note: {note}", file=sys.stderr)
    # Every command of this process reads a list in one shape, its own ([[lists]] shape)
    # or [list] shape: check, export and its read-back must agree on the entries' spans.
    from ..listfile.parse import use_shape

    use_shape(s.list.shape or None, "flag" if merged.get("list", {}).get("shape") else "config",
              per_list=s.list_shapes())
    return s


class ErrorsOnly:
    """stderr for ``--quiet``: error lines pass, notes, warnings and summaries do not.
    Every command prints through it unchanged, so -q needs no code in each one."""

    _KEEP = ("diffsync: error", "diffsync: interrupted")

    def __init__(self, stream: Any) -> None:
        self.stream, self._line = stream, ""

    def write(self, text: str) -> int:
        self._line += text
        *lines, self._line = self._line.split("\n")
        for line in lines:
            if line.startswith(self._KEEP):
                self.stream.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False  # no progress bar, no colour: nothing but errors

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def list_path(s: Settings, given: Optional[Path], *, must_exist: bool = True) -> Path:
    """The LIST argument, else ``[list] path`` from the config.  A missing default list is
    an error that says how a list is chosen (``README.md: no such file`` alone does not)."""
    if given is not None:
        return given
    path = s.resolve(s.list.path)
    if must_exist and not path.exists():
        from ..config import ListSettings
        from ..errors import ListReadError

        where = ("the default" if s.list.path == ListSettings().path
                 else f"[list] path in {Path(s.config_dir, 'config.toml')} or DIFFSYNC_LIST_PATH")
        raise ListReadError(f"{shown_path(str(path))}: no such file; no LIST was given, so diffsync "
                            f"used {s.list.path!r} ({where}); give the list as LIST "
                            "(diffsync check papers.md) or set [list] path in config.toml")
    return path


def list_paths(s: Settings, given: Optional[list[Path]], *, must_exist: bool = True) -> list[Path]:
    """The LIST arguments, else every configured list (``[list] path`` and ``[[lists]]``);
    a single default list is ``list_path``'s (a missing one says how a list is chosen)."""
    if given:
        return list(dict.fromkeys(given))
    configured = s.configured_lists()
    if len(configured) == 1 and not s.lists:
        return [list_path(s, None, must_exist=must_exist)]
    return configured


LISTS_ARGUMENT = typer.Argument(
    None, metavar="[LIST]...",
    help="The Markdown lists (default: every list of the config: [list] path and [[lists]]).")

LIST_ARGUMENT = typer.Argument(
    None, metavar="[LIST]", help="The Markdown list (default: [list] path in config.toml).")

LIST_OPTION = typer.Option(None, "--list", "-l", metavar="LIST",
                           help="The Markdown list (default: [list] path in config.toml).")

DB_OPTION = typer.Option(None, "--database-url", metavar="URL", help="SQLAlchemy database URL.")


@contextmanager
def checked_list(list_file: Optional[Path], database_url: Optional[str]) -> Iterator[tuple[Store, int, Path]]:
    """The store and the id of a list that has been checked at least once.

    Without LIST: ``[list] path`` if that list was checked, else the only
    checked list, else (with a note) the most recently checked one.  A
    database that does not exist yet is not created: nothing was checked.
    """
    from ..store.store import Store

    s = settings(list_file, database={"url": database_url})
    if not Store.exists(s.database_url):
        raise UsageError(f"no check recorded yet ({Store.describe(s.database_url)} does not exist); "
                         f"run diffsync check {list_file or 'LIST'} first, or diffsync demo to try it")
    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        list_id, path = _remembered_list(store, s, list_file)
        yield store, list_id, path


def _remembered_list(store: Store, s: Settings, given: Optional[Path]) -> tuple[int, Path]:
    if given is not None:
        list_id = store.find_list(str(given))
        if list_id is None:
            raise UsageError(f"{given}: no check recorded for this list; run diffsync check {given} first")
        return list_id, given
    configured = s.resolve(s.list.path)
    list_id = store.find_list(str(configured))
    if list_id is not None:
        return list_id, configured
    checked = store.checked_lists()
    if not checked:
        raise UsageError("no list has been checked yet; run diffsync check LIST first, "
                         "or diffsync demo to try it")
    list_id, state = checked[0]
    if len(checked) > 1:
        print(f"diffsync: note: using {state.path}, the most recently checked of "
              f"{len(checked)} lists (give LIST to choose another)", file=sys.stderr)
    return list_id, Path(state.path)


class _WarningsOnStderr(logging.Handler):
    """The client's retry notices as ``diffsync: warning: …`` lines.  stderr is looked
    up per line, so a progress bar that redirects it prints them above the bar."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:  # each request's INFO line is -v's to show
            print(f"diffsync: warning: {record.getMessage()}", file=sys.stderr)


@contextmanager
def arxiv_notices(offline: bool = False) -> Iterator[None]:
    """While a command asks arXiv: each retry is one line on stderr, on a terminal and in
    a CI log alike (a silent backoff looks like a hang; -q drops them), and an unreachable
    arXiv ends in an error that says how to go on without it."""
    from ..errors import ApiError

    client_log = logging.getLogger("diffsync.arxivapi.client")
    notices = _WarningsOnStderr()
    client_log.addHandler(notices)
    try:
        yield
    except ApiError as exc:
        if offline or "unreachable" not in str(exc):
            raise
        raise ApiError(f"{exc}; --offline uses what is stored, and "
                       "DIFFSYNC_ARXIV_URL (or --arxiv-url) points at a mirror") from None
    finally:
        client_log.removeHandler(notices)
