"""Issue 25, item 6: a full disk, an I/O error, a read-only file and a corrupt file each get their
own message; only real damage says "corrupt" (that word invites deleting the file)."""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlalchemy as sa

from diffsync import errors
from diffsync.store import sqlitefile
from diffsync.store.store import Store
from helpers.storage import T0, record


def _healthy(path) -> None:
    with Store.open(f"sqlite:///{path}") as s:
        s.save_records([record(f"2301.{i:05d}") for i in range(50)], T0)


@pytest.mark.parametrize("error, says", [
    ("database or disk is full", "is full"),
    ("disk I/O error", "I/O error"),
    ("unable to open database file", "cannot open"),
])
def test_a_healthy_file_the_disk_fails_is_not_called_corrupt(tmp_path, monkeypatch, error, says):
    path = tmp_path / "diffsync.db"
    _healthy(path)
    before = path.read_bytes()
    real = sqlite3.connect

    def failing(target, *args, **kw):  # the read-only quick_check connection, as a full disk fails it
        if kw.get("uri") and "mode=ro" in str(target):
            raise sqlite3.OperationalError(error)
        return real(target, *args, **kw)

    monkeypatch.setattr(sqlitefile.sqlite3, "connect", failing)
    with pytest.raises(errors.DatabaseError) as exc:
        Store.open(f"sqlite:///{path}")
    message = str(exc.value)
    assert says in message and "corrupt" not in message and "\n" not in message
    assert path.read_bytes() == before


def test_a_write_on_a_full_disk_says_the_disk_is_full(tmp_path):
    path = tmp_path / "diffsync.db"
    _healthy(path)

    def cap(dbapi_conn, _record):  # SQLite's own SQLITE_FULL, as on a full disk
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(sa.pool.Pool, "connect", cap)
    try:
        with Store.open(f"sqlite:///{path}") as store:
            with pytest.raises(errors.DatabaseError) as exc:
                store.save_records([record(f"2302.{i:05d}", title="x" * 2000) for i in range(500)], T0)
    finally:
        sa.event.remove(sa.pool.Pool, "connect", cap)
    assert "is full" in str(exc.value) and "corrupt" not in str(exc.value)
    with Store.open(f"sqlite:///{path}") as store:  # the data is intact and usable
        assert len(store.load_records()) == 50


def test_real_damage_is_still_corrupt(tmp_path):
    path = tmp_path / "diffsync.db"
    _healthy(path)
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 3] = os.urandom(4096)
    path.write_bytes(bytes(data))
    with pytest.raises(errors.DatabaseError, match="corrupt"):
        Store.open(f"sqlite:///{path}")


@pytest.mark.parametrize("error", ["database or disk is full", "disk I/O error",
                                   "attempt to write a readonly database"])
def test_each_environment_problem_has_its_own_words(error):
    said = sqlitefile.environment_problem(error, "/x/d.db")
    assert said and "corrupt" not in said and "/x/d.db" in said
    assert sqlitefile.environment_problem("database disk image is malformed", "/x/d.db") is None
