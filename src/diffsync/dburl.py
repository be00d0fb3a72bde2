"""Database URLs: parse them, say what is wrong with one, and show one without its secrets.

Settings check the URL before anything connects (a bad one is a config
error), and every message that names a database goes through ``display_url``
or ``scrub``; neither needs a database engine, so this sits below the store.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import errors


# Query parameters that carry a secret (``?password=…``, ``sslpassword``, tokens, keys).
_SECRET_PARAM = re.compile(
    r"(?i)(^|[&;])([^=&;]*(?:pass|pwd|secret|token|key|auth|credential)[^=&;]*)=[^&;]*")


def display_url(url: str) -> str:
    """``url`` safe to print, whatever its form: no password, no secret query parameter.

    Done on the text, not through a parser: a password with an unencoded
    ``@`` parses as part of the host, so a parser's "hidden password" would
    still print its tail.  Everything between ``://`` and the last ``@``
    before the query is the user info.
    """
    base, question, query = url.partition("?")
    scheme, sep, rest = base.rpartition("://") if "://" in base else ("", "", base)
    at = rest.rfind("@")
    if at >= 0:
        user, colon, _password = rest[:at].partition(":")
        rest = user + (":***" if colon else "") + rest[at:]
    base = scheme + sep + rest
    if question:
        query = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}=***", query)
    return base + question + query


def secrets_of(url: str | sa.URL) -> list[str]:
    """The secret strings in ``url`` (password, secret query values), to scrub from driver messages."""
    text = url.render_as_string(hide_password=False) if isinstance(url, sa.URL) else url
    found = []
    base, _, query = text.partition("?")
    rest = base.partition("://")[2] if "://" in base else base
    if "@" in rest:
        _, colon, password = rest[: rest.rfind("@")].partition(":")
        if colon and password:  # and each "@"-part: a driver may take the tail for the host
            found += [password, urllib.parse.unquote(password), *password.split("@")]
    for m in _SECRET_PARAM.finditer(query):
        value = m.group(0).split("=", 1)[1]
        if value:
            found += [value, urllib.parse.unquote(value)]
    return sorted({f for f in found if len(f) >= 3}, key=len, reverse=True)


def scrub(message: str, url: str | sa.URL | None) -> str:
    """``message`` with every secret of ``url`` replaced by ``***``."""
    if url is None:
        return message
    for secret in secrets_of(url):
        message = message.replace(secret, "***")
    return message


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a diffsync database URL, or None; found before anything connects.

    The reason never repeats the URL's secrets.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ("is not a database URL (expected e.g. sqlite:///path/to/diffsync.db "
                "or postgresql+psycopg://user:pass@host/db)")
    except ValueError:
        return "has a malformed host or port (an IPv6 address is written [::1], a port is a number)"
    backend = parsed.drivername.partition("+")[0]
    if backend not in ("sqlite", "postgresql", "postgres"):
        return None  # parsed fine: create_engine refuses the backend (exit 3, as documented)
    if backend == "sqlite":
        if not parsed.database:
            return ("is an in-memory SQLite database, whose results would be lost when diffsync exits; "
                    "give a file (sqlite:///path/to/diffsync.db), or sqlite:///:memory: to ask for one")
        return None
    host = parsed.host or ""
    if "@" in host:
        return "has a password with an unencoded '@'; write it as %40"
    if ":" in host or "[" in host or "]" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            return "has a malformed IPv6 host (write it as [::1])"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"has port {parsed.port}, outside 1-65535"
    return None


def location(url: str) -> str:
    """How to name the database to a user: its SQLite file, else the URL without password."""
    parsed = parse_url(url)
    path = sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    return str(path) if path is not None else display_url(url)


def sqlite_path(url: sa.URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return None
    return Path(database).expanduser()


def parse_url(url: str) -> sa.URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise errors.DatabaseUrlError(f"invalid database URL {display_url(url)}: "
                                 f"{url_problem(url) or 'cannot be parsed'}") from None
    backend, plus, driver = parsed.drivername.partition("+")
    if backend == "postgres":  # the libpq/Heroku spelling SQLAlchemy no longer accepts
        parsed = parsed.set(drivername=f"postgresql{plus}{driver}")
    return parsed
