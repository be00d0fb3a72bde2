"""Fresh test databases on either backend, and raw SQL reads of them."""

from __future__ import annotations

import os
import time
import uuid
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.pool import NullPool


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
            _drop_database(admin, name)
    finally:
        admin.dispose()


def _drop_database(admin: sa.Engine, name: str, tries: int = 5) -> None:
    """Drop a test database; a database left behind on a throwaway server is a warning.

    FORCE ends the sessions a killed test process may still hold.  It fails when
    another role's backend is in the database, such as an autovacuum worker that
    a role without pg_signal_backend may not end; that worker is gone a moment
    later, so the drop is tried again, a bounded number of times.
    """
    for attempt in range(tries):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError as exc:
            last = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"test database {name} left on the server: {last}", stacklevel=2)


def query_rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one SQL query, on either backend, holding no connection afterwards."""
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


POSTGRES_URL = os.environ.get("DIFFSYNC_TEST_POSTGRES_URL", "")  # e.g. postgresql+psycopg://...
