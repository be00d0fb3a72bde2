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


class AlreadyRunningError(DiffsyncError):
    """Another daemon already checks this list with this database."""


class ListChangedError(DiffsyncError):
    """The list changed since the last check; export refuses to guess."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its type name when it has none): for logs and run records."""
    return " ".join((str(exc) or type(exc).__name__).split())


def shown_name(name: object, limit: int = 80) -> str:
    """A file name for a one-line message: a 5,000-character path is shortened, its length said."""
    text = " ".join(str(name).split())
    if len(text) <= limit:
        return text
    return f"{text[:limit // 2]}…{text[-limit // 4:]} ({len(str(name))} characters)"


def os_error_line(exc: OSError) -> str:
    """What the file system refused, on one line: ``File name too long: 'aaaa…aa' (5003 characters)``."""
    what = exc.strerror or type(exc).__name__
    return f"{what}: {shown_name(exc.filename)}" if exc.filename is not None else one_line(exc)
