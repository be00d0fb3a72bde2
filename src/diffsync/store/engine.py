"""Opening the database safely: engine setup, transactions, write retries, dialect SQL.

Storage builds on this; nothing else should need it.  SQLite gets WAL, a
busy timeout and foreign keys on every connection, and write transactions
start with ``BEGIN IMMEDIATE`` so a writer waits for the lock at the start
(under the busy timeout) instead of failing half-way on an upgrade from a
read lock.  A file that is not a healthy SQLite database is refused before
anything could write to it (``sqlitefile``); the schema is ``migrate``'s.
"""

from __future__ import annotations

import sqlite3
import time
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from .. import errors
from ..dburl import display_url, parse_url, scrub, sqlite_path, url_problem
from . import sqlitefile

T = TypeVar("T")

WRITE_OPTION = "diffsync_write"  # execution option: this transaction writes
LOCKED_RETRIES = 8  # last resort after busy_timeout: "database is locked" never reaches users
IN_CHUNK = 5000  # values per IN (...) or rows per INSERT: well under SQLite's 32766 bound variables


def batched(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (``itertools.batched`` is Python 3.12+)."""
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


READ_ONLY_OPTION = "diffsync_read_only"  # execution option: why this database cannot be written


def _sqlite_connect(busy_timeout: float, in_memory: bool) -> Callable[..., None]:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cur.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode
        cur.close()

    return on_connect


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_engine(url: str, busy_timeout: float) -> Engine:
    """An engine for ``url``; SQLite files are checked (and their folder made) first."""
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            path = sqlite_path(parsed)
            if path is not None:
                sqlitefile.check_sqlite_file(path)
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise errors.DatabaseError(
                        f"cannot create folder for database {path}: {exc.strerror}") from None
            extra: dict[str, Any] = {"poolclass": StaticPool} if path is None else {}
            ro = sqlitefile.read_only(path) if path is not None else None
            if ro is not None:  # readers work; a write says "read-only database", not "corrupt"
                uri = sqlitefile.read_only_uri(path, ro)
                extra["creator"] = lambda: sqlite3.connect(
                    uri, uri=True, check_same_thread=False, timeout=busy_timeout)
            engine = sa.create_engine(
                parsed, connect_args={"check_same_thread": False, "timeout": busy_timeout},
                **extra)
            event.listen(engine, "connect", _sqlite_connect(busy_timeout, path is None))
            event.listen(engine, "begin", _sqlite_begin)
            if ro is not None:
                return engine.execution_options(**{READ_ONLY_OPTION: f"{path} is {ro.why}"})
            return engine
        if backend == "postgresql":
            problem = url_problem(url)
            if problem:  # e.g. an "@" in the password would send its tail to DNS as a host
                raise errors.DatabaseUrlError(f"invalid database URL {display_url(url)}: {problem}")
            return sa.create_engine(parsed, pool_pre_ping=True,
                                    connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ImportError) as exc:
        raise errors.DatabaseError(
            f"database driver missing for {display_url(url)}: {scrub(str(exc), url)}") from None
    raise errors.DatabaseError(
        f"unsupported database {backend!r} in {display_url(url)}: use sqlite or postgresql")


def use_wal(engine: Engine) -> None:
    """Switch a SQLite file to WAL (persistent), once it is known to be ours."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    if engine.get_execution_options().get(READ_ONLY_OPTION):
        return  # read as it is; only a writer may change its journal mode
    for attempt in range(LOCKED_RETRIES):
        try:
            raw = engine.raw_connection()  # outside any BEGIN: SQLite requires that
            try:
                cur = raw.cursor()
                if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    cur.execute("PRAGMA journal_mode = WAL")
                cur.close()
            finally:
                raw.close()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCKED_RETRIES - 1:
                raise errors.DatabaseError(f"database error: {driver_error(exc)}") from None
            time.sleep(min(2.0, 0.1 * 2 ** attempt))


RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization failure, deadlock detected


def is_locked(exc: BaseException) -> bool:
    """A conflict with another writer that the same transaction can simply retry."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) in RETRYABLE_PG_CODES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def driver_error(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def run_write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
    return _run(engine, work, write=True)


def run_read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one read transaction (a consistent snapshot in WAL mode)."""
    return _run(engine, work, write=False)


def _run(engine: Engine, work: Callable[[Connection], T], *, write: bool) -> T:
    # busy_timeout does the waiting; this loop is the last resort so that
    # "database is locked" never reaches a user.
    if write and (why := engine.get_execution_options().get(READ_ONLY_OPTION)):
        raise errors.DatabaseError(f"read-only database: {why}; this command needs to write to it")
    for attempt in range(LOCKED_RETRIES):
        try:
            with engine.connect() as conn:
                if write:
                    conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    return work(conn)
        except sa.exc.DBAPIError as exc:
            if is_locked(exc) and attempt < LOCKED_RETRIES - 1:
                time.sleep(min(2.0, 0.1 * 2 ** attempt))
                continue
            if "readonly database" in str(exc) or "read-only file system" in str(exc):
                raise errors.DatabaseError(
                    f"read-only database: cannot write to it ({scrub(driver_error(exc), engine.url)})") from None
            if engine.dialect.name == "sqlite" and (
                    why := sqlitefile.environment_problem(driver_error(exc), engine.url.database or "the database")):
                raise errors.DatabaseError(why) from None
            raise errors.DatabaseError(f"database error: {scrub(driver_error(exc), engine.url)}") from None
        except SQLAlchemyError as exc:
            raise errors.DatabaseError(f"database error: {scrub(driver_error(exc), engine.url)}") from None
    raise AssertionError("unreachable")


def ensure_reachable(engine: Engine, where: str) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        raise errors.DatabaseError(
            f"cannot open database {where}: {scrub(driver_error(exc), engine.url)}") from None



def _dialect_insert(conn: Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # create_engine refuses other backends
        raise errors.DatabaseError(f"unsupported database {conn.dialect.name!r}")
    return insert(table)


def upsert(conn: Connection, table: sa.Table, keys: Sequence[str]) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE`` of every other column, per dialect.

    Execute it with a list of row dicts: one statement, many parameter sets.
    Callers pass rows sorted by key so concurrent writers lock rows in one
    order (PostgreSQL would otherwise be able to deadlock).
    """
    stmt = _dialect_insert(conn, table)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
    )


def insert_if_missing(conn: Connection, table: sa.Table, keys: Sequence[str]) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO NOTHING``: get-or-create without a race."""
    return _dialect_insert(conn, table).on_conflict_do_nothing(index_elements=list(keys))
