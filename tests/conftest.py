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

import os
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from sqlalchemy.pool import NullPool

# Property tests (tests/test_writeback_properties.py): each example runs the real
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

TEST_DATABASE_URL = os.environ.get("DIFFSYNC_TEST_DATABASE_URL", "")
TEST_POSTGRES_URL = os.environ.get("DIFFSYNC_TEST_POSTGRES_URL", "")

Rows = Callable[..., list[tuple[Any, ...]]]


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped on exit."""
    base = sa.engine.make_url(server_url)
    name = f"diffsync_test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:  # FORCE: a killed test process may still hold a session
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


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


def query_rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one SQL query, on either backend, holding no connection afterwards."""
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


@pytest.fixture
def db_rows(database_url) -> Rows:
    """``db_rows("select ... where x = :x", x=1)``: rows of the test's database."""
    return lambda sql, **params: query_rows(database_url, sql, **params)
