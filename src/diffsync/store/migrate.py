"""The schema: which Alembic revision a database is at, and upgrading it to head.

Alembic is imported only when a database actually needs it: an up-to-date
database is recognised from the scripts' own head (``schemahead``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .. import errors
from . import schemahead
from .engine import run_read, run_write

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATION_LOCK_KEY = 0x64696666  # pg advisory lock serialising concurrent upgrades


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
