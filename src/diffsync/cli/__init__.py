"""The ``diffsync`` command: a thin layer over the pipeline modules.

Each sub-module registers its commands on ``app``; all of them share the
error handling here, so a user sees one line and a documented exit code,
never a traceback (set ``DIFFSYNC_DEBUG=1`` to get one).
"""

from __future__ import annotations

import difflib
import os
import sys

import typer

from ..errors import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_USAGE, DiffsyncError, os_error_line
from .common import GLOBAL_FLAGS, GLOBAL_VALUE_OPTIONS, app

# Importing registers the commands on ``app``.
from . import entries, check, review, export, add, daemon, db, demo, lint, lock  # noqa: E402,F401


def main() -> None:
    stderr = sys.stderr
    try:
        _main()
    finally:
        sys.stderr = stderr  # --quiet's filter ends with the command


def _main() -> None:
    try:
        # Not standalone: usage errors come back as exceptions, so they too are one line.
        code = app(prog_name="diffsync", standalone_mode=False)
        raise SystemExit(code if isinstance(code, int) else 0)
    except typer.TyperException as exc:  # bad flags, unknown commands, bad values
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `diffsync` or `diffsync db`: help
            print(exc.format_message())
            raise SystemExit(0) from None
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "diffsync"
        message = _with_hint(exc, " ".join(exc.format_message().split()))
        print(f"diffsync: error: {message} (see {where} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    except typer.Abort:
        print("diffsync: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except DiffsyncError as exc:
        print(f"diffsync: error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("diffsync: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a silent exit 130: say why
            print("diffsync: interrupted", file=sys.stderr)
        raise
    except OSError as exc:  # the file system refused (a path too long, a full disk): not a bug
        if os.environ.get("DIFFSYNC_DEBUG"):
            raise
        print(f"diffsync: error: {os_error_line(exc)}", file=sys.stderr)
        raise SystemExit(EXIT_INCOMPLETE) from None
    except Exception as exc:  # last resort: one line, not a traceback
        if os.environ.get("DIFFSYNC_DEBUG"):
            raise
        print(f"diffsync: internal error: {type(exc).__name__}: {exc} "
              "(set DIFFSYNC_DEBUG=1 for details)", file=sys.stderr)
        raise SystemExit(EXIT_INCOMPLETE) from None


def _with_hint(exc: Exception, message: str) -> str:
    """For an unknown option: the commands that have it (it was misplaced), else the
    closest option of this command or the global ones (a typo)."""
    option = getattr(exc, "option_name", None)
    if not option or not message.startswith("No such option"):
        return message
    commands = app_commands()
    owners = [name for name, cmd in commands.items()
              if any(option in getattr(p, "opts", []) for p in cmd.params)]
    if owners:
        return f"No such option: {option}; it is an option of {', '.join('diffsync ' + o for o in owners)}"
    ctx = getattr(exc, "ctx", None)
    known = [*GLOBAL_VALUE_OPTIONS, *GLOBAL_FLAGS]
    if ctx is not None:
        known += [o for p in ctx.command.params for o in getattr(p, "opts", [])]
    close = difflib.get_close_matches(option, known, n=1)
    return f"No such option: {option}; did you mean {close[0]}?" if close else f"No such option: {option}"


def app_commands() -> dict:
    import typer.main
    return typer.main.get_command(app).commands  # type: ignore[attr-defined]


__all__ = ["app", "main", "typer"]
