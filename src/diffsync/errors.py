"""Errors a user can act on, each with the exit code the CLI documents.

The CLI prints ``str(error)`` as one line on stderr and exits with
``error.exit_code``; no traceback reaches the user.
"""

from __future__ import annotations

EXIT_OK = 0  # nothing open
EXIT_FINDINGS = 1  # open findings
EXIT_USAGE = 2  # bad flags, bad config, bad arguments
EXIT_INCOMPLETE = 3  # could not complete: list unreadable, database unusable, API unreachable
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class DiffsyncError(Exception):
    exit_code = EXIT_INCOMPLETE


class UsageError(DiffsyncError):
    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    pass


class ListReadError(DiffsyncError):
    """The list file is missing, a directory, binary, or otherwise unreadable."""


class DatabaseError(DiffsyncError):
    """The database is corrupt, newer than this diffsync, or unreachable."""


class DatabaseUrlError(ConfigError, DatabaseError):
    """The database URL cannot be parsed: a config error (exit 2) about the database."""


class ApiError(DiffsyncError):
    """arXiv could not be reached or refused us (403, cooldown, retries exhausted)."""


class ListChangedError(DiffsyncError):
    """The list changed since the last check; export refuses to guess."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its type name when it has none): for logs and run records."""
    return " ".join((str(exc) or type(exc).__name__).split())
