"""The daemon's log: timestamped lines on stderr, libraries' chatter only when it matters."""

from __future__ import annotations

import logging
import sys


class _StderrHandler(logging.StreamHandler):
    """stderr as it is when a line is written, not when logging was set up: a command run
    in-process after the daemon (tests, an embedding program) may have replaced it, and a
    closed stream turns every later warning into "--- Logging error ---"."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: D401
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: int = logging.INFO) -> None:
    """Timestamped lines on stderr; libraries' chatter only when it matters."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in ("apscheduler", "alembic", "httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
