"""Fixtures shared by the whole suite: a fresh database on the backend under test.

``database_url`` is a SQLite file in ``tmp_path`` by default.  With
``DIFFSYNC_TEST_DATABASE_URL=postgresql+psycopg://user:pass@host/db`` it is a
fresh PostgreSQL database made on that server for the one test (the role
needs CREATEDB) and dropped afterwards, so the tests that take it run
against PostgreSQL unchanged.  ``postgres_url`` is the same on
``DIFFSYNC_TEST_POSTGRES_URL`` and skips the test when that is unset, for
tests that only mean something on PostgreSQL.  ``.ci/run`` sets both.
"""

from __future__ import annotations

import compileall
import os
import socket
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, Phase, settings

from helpers.cli import cli_folder, fake_env  # noqa: F401  fixtures of every test folder
from helpers.db import POSTGRES_URL, fresh_postgres_database, is_postgres, query_rows

# Property tests (tests/writeback/test_properties.py): each example runs the real
# CLI against a fake arXiv, so the normal suite draws a few examples per test;
# `pytest --hypothesis-profile=long` draws many more.  No example database: the
# tests run in temporary folders and must not leave .hypothesis/ behind.
# No shrinking: each step is a whole CLI session; the failing draws are printed, labelled.
_PROPERTY = dict(deadline=None, database=None, derandomize=False,
                 phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])
settings.register_profile("default", max_examples=3, **_PROPERTY)
settings.register_profile("long", max_examples=60, **_PROPERTY)
settings.load_profile("default")  # --hypothesis-profile=NAME, read later, wins



def pytest_configure(config) -> None:
    """Compile diffsync once, before any worker starts: the tests run it in hundreds of
    subprocesses, and with PYTHONDONTWRITEBYTECODE set (as on this machine) none of them
    would keep what it compiled, so each compiled every module it imports again."""
    if not hasattr(config, "workerinput"):  # the controlling process, not each xdist worker
        import diffsync

        compileall.compile_dir(Path(diffsync.__file__).parent, quiet=1)


TEST_DATABASE_URL = os.environ.get("DIFFSYNC_TEST_DATABASE_URL", "")
TEST_POSTGRES_URL = os.environ.get("DIFFSYNC_TEST_POSTGRES_URL", "")

Rows = Callable[..., list[tuple[Any, ...]]]


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """A URL of an empty database for this test: SQLite, or PostgreSQL when asked for."""
    if is_postgres(TEST_DATABASE_URL):
        with fresh_postgres_database(TEST_DATABASE_URL) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'd.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database for this test; skips without DIFFSYNC_TEST_POSTGRES_URL."""
    if not TEST_POSTGRES_URL:
        pytest.skip("set DIFFSYNC_TEST_POSTGRES_URL to run against PostgreSQL")
    with fresh_postgres_database(TEST_POSTGRES_URL) as url:
        yield url


@pytest.fixture
def db_rows(database_url) -> Rows:
    """``db_rows("select ... where x = :x", x=1)``: rows of the test's database."""
    return lambda sql, **params: query_rows(database_url, sql, **params)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh database URL for each backend; PostgreSQL needs DIFFSYNC_TEST_POSTGRES_URL.
    Each test gets a database of its own, so parallel workers never share one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/sub/dir/diffsync.db"
        return
    if not POSTGRES_URL:
        pytest.skip("set DIFFSYNC_TEST_POSTGRES_URL to run against PostgreSQL")
    with fresh_postgres_database(POSTGRES_URL) as url:
        yield url


@pytest.fixture(autouse=True)
def _venue_sources_off(monkeypatch):
    """Venue sources off unless a test turns them on: no test may reach the real Semantic Scholar,
    OpenReview or DBLP (tests/venues/ point them at the fake servers)."""
    monkeypatch.setenv("DIFFSYNC_VENUES_ENABLED", "0")


_THIS_MACHINE = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def _this_machine_only(monkeypatch):
    """No test reaches a real service, whatever settings it builds: a name lookup of any
    other host fails at once (as offline), and the test fails naming the host afterwards."""
    looked_up: list[str] = []
    lookup = socket.getaddrinfo

    def this_machine_only(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in _THIS_MACHINE:
            looked_up.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay on this machine, not {name}")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", this_machine_only)
    yield
    assert not looked_up, f"the test tried to reach {sorted(set(looked_up))}: tests stay on 127.0.0.1"


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """The daemon's configure_logging replaces the root logger's handlers in-process; a test
    that runs it must not make later in-process commands print log lines on stderr."""
    import logging
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
