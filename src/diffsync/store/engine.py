"""Opening the database safely: file checks, engine setup, migrations, write retries.

Storage builds on this; nothing else should need it.  SQLite gets WAL, a
busy timeout and foreign keys on every connection, and write transactions
start with ``BEGIN IMMEDIATE`` so a writer waits for the lock at the start
(under the busy timeout) instead of failing half-way on an upgrade from a
read lock.  A file that is not a healthy SQLite database is refused before
anything could write to it.
"""

from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from .. import errors
from ..dburl import display_url, parse_url, scrub, sqlite_path, url_problem
from . import schemahead

if TYPE_CHECKING:  # alembic is imported only when a schema needs more than a look (~0.1 s)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
WRITE_OPTION = "diffsync_write"  # execution option: this transaction writes
MIGRATION_LOCK_KEY = 0x64696666  # pg advisory lock serialising concurrent upgrades
LOCKED_RETRIES = 8  # last resort after busy_timeout: "database is locked" never reaches users
IN_CHUNK = 5000  # values per IN (...) or rows per INSERT: well under SQLite's 32766 bound variables


def batched(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (``itertools.batched`` is Python 3.12+)."""
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


@dataclass(frozen=True)
class Revision:
    current: str | None  # None: no diffsync schema yet
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def migrations_dir() -> Path:
    """The Alembic scripts: the repo's ``migrations/`` or the wheel's ``_migrations``."""
    import diffsync

    repo = Path(diffsync.__file__).resolve().parents[2] / "migrations"
    if (repo / "env.py").is_file():
        return repo
    from importlib.resources import files

    return Path(str(files("diffsync") / "_migrations"))


READ_ONLY_OPTION = "diffsync_read_only"  # execution option: why this database cannot be written


@dataclass(frozen=True)
class ReadOnly:
    why: str  # "on a read-only file system", ...
    immutable: bool  # SQLite cannot even create its -shm file: read the file as it is


def read_only(path: Path) -> ReadOnly | None:
    """Why the existing SQLite file ``path`` cannot be written by us, or None if it can."""
    try:
        if not path.is_file():
            return None
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return ReadOnly("on a read-only file system", True)
    except OSError:
        return None
    folder_writable = os.access(path.parent, os.W_OK)
    shm = Path(f"{path}-shm")
    if not os.access(path, os.W_OK):
        return ReadOnly("not writable by this user", not folder_writable and not shm.exists())
    if not folder_writable:  # SQLite writes its -wal/-shm/-journal files beside the database
        return ReadOnly("in a folder not writable by this user", not shm.exists())
    return None


def _read_only_uri(path: Path, ro: ReadOnly) -> str:
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    return uri + "&immutable=1" if ro.immutable else uri


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, without touching it.

    A missing or empty file is a new database.  Anything else must carry
    the SQLite header and pass ``PRAGMA quick_check`` through a read-only
    connection; the -wal/-shm files such a check creates are removed again.
    """
    if path.is_dir():
        raise errors.DatabaseError(f"database {path} is a directory, not a SQLite file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise errors.DatabaseError(f"cannot read database {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise errors.DatabaseError(
            f"{path} is not a SQLite database; refusing to use or overwrite it")
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = {p: p.exists() for p in sidecars}
    problem = _quick_check(path, read_only(path))
    if problem:
        # Leave the folder as we found it: drop the empty -wal/-shm our check made.
        wal = sidecars[0]
        if not existed[wal] and (not wal.exists() or wal.stat().st_size == 0):
            for p in sidecars:
                if not existed[p]:
                    try:
                        p.unlink(missing_ok=True)
                    except OSError:  # a read-only folder: nothing was made there either
                        pass
        raise errors.DatabaseError(
            f"database {path} is corrupt ({problem}); refusing to use or overwrite it")


def _quick_check(path: Path, ro: ReadOnly | None = None) -> str | None:
    """None if ``PRAGMA quick_check`` passes through a read-only connection, else why not."""
    uri = _read_only_uri(path, ro or ReadOnly("", False))
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchmany(3)]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):  # busy with a writer is not corruption
            return None
        not_corrupt = environment_problem(str(exc), path)
        if not_corrupt:
            raise errors.DatabaseError(not_corrupt) from None
        rows = [str(exc)]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return None
    text = " ".join("; ".join(rows).split())
    return text if len(text) <= 160 else text[:157] + "..."


# SQLite's words for a healthy file it could not read or write: the disk, not the data.
_ENVIRONMENT = (
    ("database or disk is full", "the disk holding {db} is full; free some space and run "
                                 "again (the database itself is not damaged)"),
    ("disk i/o error", "I/O error on {db} ({error}); check the disk and its mount "
                       "(diffsync did not change the file)"),
    ("unable to open database file", "cannot open {db} ({error}); check its folder's "
                                     "permissions and free space"),
    ("readonly database", "read-only database: {db} cannot be written ({error})"),
    ("read-only file system", "read-only database: {db} is on a read-only file system"),
    ("authorization denied", "cannot open {db} ({error})"),
)


def environment_problem(error: str, path: Path | str) -> str | None:
    """What SQLite's ``error`` says about the disk rather than the file; None if it may be
    damage.  Only real damage may be called "corrupt": that word invites deleting the file,
    and every decision in it."""
    lowered = error.lower()
    for words, message in _ENVIRONMENT:
        if words in lowered:
            return message.format(db=path, error=" ".join(error.split())[:160])
    return None


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
                check_sqlite_file(path)
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise errors.DatabaseError(
                        f"cannot create folder for database {path}: {exc.strerror}") from None
            extra: dict[str, Any] = {"poolclass": StaticPool} if path is None else {}
            ro = read_only(path) if path is not None else None
            if ro is not None:  # readers work; a write says "read-only database", not "corrupt"
                uri = _read_only_uri(path, ro)
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
                    why := environment_problem(driver_error(exc), engine.url.database or "the database")):
                raise errors.DatabaseError(why) from None
            raise errors.DatabaseError(f"database error: {scrub(driver_error(exc), engine.url)}") from None
        except SQLAlchemyError as exc:
            raise errors.DatabaseError(f"database error: {scrub(driver_error(exc), engine.url)}") from None
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------
# Migrations
# --------------------------------------------------------------------------


def _alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def _current(conn: Connection, script: ScriptDirectory, where: str) -> Revision:
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError

    head = script.get_current_head()
    assert head is not None
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None:
        tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        if tables:
            raise errors.DatabaseError(
                f"{where} already holds tables that are not diffsync's "
                f"({', '.join(sorted(tables)[:3])}); refusing to use it")
        return Revision(None, head)
    try:
        script.get_revision(current)
    except CommandError:
        raise errors.DatabaseError(
            f"{where} is at schema revision {current}, newer than this diffsync "
            f"(knows up to {head}); upgrade diffsync") from None
    return Revision(current, head)


def _script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _stored_revisions(conn: Connection) -> list[str]:
    table = sa.table("alembic_version", sa.column("version_num"))
    return list(conn.execute(sa.select(table.c.version_num)).scalars())


def head_revision() -> str:
    head = _script_directory().get_current_head()
    assert head is not None
    return head


def revision(engine: Engine, where: str) -> Revision:
    """The database's schema revision and the newest this code knows."""
    head = schemahead.plain_head(migrations_dir() / "versions")
    if head is not None:  # the usual case, an up-to-date database, needs no Alembic
        try:
            if run_read(engine, _stored_revisions) == [head]:
                return Revision(head, head)
        except errors.DatabaseError:
            pass  # e.g. no alembic_version table yet: Alembic below says what there is
    script = _script_directory()
    return run_read(engine, lambda conn: _current(conn, script, where))


def upgrade(engine: Engine, where: str) -> Revision:
    """Bring the schema to head; safe when several processes do it at once."""
    from alembic import command

    script = _script_directory()

    def work(conn: Connection) -> Revision:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        found = _current(conn, script, where)  # re-read under the write lock
        if not found.up_to_date:
            command.upgrade(_alembic_config(conn), "head")
        return Revision(found.head, found.head)

    return run_write(engine, work)


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
