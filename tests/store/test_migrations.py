"""Alembic migrations: new databases, older ones upgraded, newer ones refused."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from diffsync.store import migrate
from diffsync import errors
from diffsync.store import tables
from diffsync.store.store import Store

from helpers.storage import T0, record

NEXT_REVISION = '''
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("note", sa.String(), nullable=True))


def downgrade():
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("note")
'''


def test_schema_built_by_migrations_matches_the_models(tmp_path):
    with Store.open(f"sqlite:///{tmp_path}/m.db"):
        pass
    engine = sa.create_engine(f"sqlite:///{tmp_path}/m.db")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                tables.metadata)
    engine.dispose()
    assert diff == []


def test_older_database_is_upgraded_and_keeps_its_data(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/old.db"
    with Store.open(url) as s:
        head = s.revision().head
        s.save_records([record()], T0)
    newer_scripts = tmp_path / "migrations"
    shutil.copytree(migrate.migrations_dir(), newer_scripts)
    (newer_scripts / "versions" / "0099_note.py").write_text(NEXT_REVISION.format(head=head))
    monkeypatch.setattr(migrate, "migrations_dir", lambda: newer_scripts)

    with pytest.raises(errors.DatabaseError, match="db upgrade"):
        Store.open(url, upgrade=False)
    with Store.open(url) as s:
        assert s.revision().current == "0099"
        assert set(s.load_records()) == {"2206.00364"}
    conn = sqlite3.connect(tmp_path / "old.db")
    assert "note" in {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    conn.close()


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    with Store.open(f"sqlite:///{path}") as s:
        s.save_records([record()], T0)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '7777_from_the_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(errors.DatabaseError, match="7777_from_the_future.*newer.*upgrade diffsync"):
        Store.open(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_new_file_is_in_wal_mode_with_foreign_keys(tmp_path):
    with Store.open(f"sqlite:///{tmp_path}/w.db") as s:
        assert s.revision().up_to_date
    conn = sqlite3.connect(tmp_path / "w.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_upgrade_false_refuses_a_missing_schema(tmp_path):
    with pytest.raises(errors.DatabaseError, match="db upgrade"):
        Store.open(f"sqlite:///{tmp_path}/none.db", upgrade=False)
