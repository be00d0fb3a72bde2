"""Store.open refuses what it must not touch, and leaves it byte-identical."""

from __future__ import annotations

import os
import sqlite3

import pytest

from diffsync import errors
from diffsync.store.store import Store

from helpers.storage import T0, record


def _healthy_db(path) -> bytes:
    with Store.open(f"sqlite:///{path}") as s:
        s.save_records([record(f"2301.{i:05d}", title="x" * 200) for i in range(2000)], T0)
    return path.read_bytes()


def _assert_refused_untouched(path, match: str) -> None:
    before = path.read_bytes()
    siblings = set(os.listdir(path.parent))
    with pytest.raises(errors.DatabaseError, match=match) as exc:
        Store.open(f"sqlite:///{path}")
    assert "\n" not in str(exc.value)
    assert path.read_bytes() == before
    assert set(os.listdir(path.parent)) == siblings


def test_random_bytes_are_refused(tmp_path):
    bad = tmp_path / "diffsync.db"
    bad.write_bytes(os.urandom(8192))
    _assert_refused_untouched(bad, "not a SQLite database")


def test_text_file_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("# my notes\n")
    _assert_refused_untouched(bad, "not a SQLite database")


def test_truncated_sqlite_is_refused(tmp_path):
    path = tmp_path / "diffsync.db"
    data = _healthy_db(path)
    for suffix in ("-wal", "-shm"):
        assert not (tmp_path / f"diffsync.db{suffix}").exists()  # clean close checkpoints
    path.write_bytes(data[: len(data) // 2])
    _assert_refused_untouched(path, "corrupt")


def test_damaged_pages_are_refused(tmp_path):
    path = tmp_path / "diffsync.db"
    data = bytearray(_healthy_db(path))
    page = 4096
    data[page * 3: page * 6] = os.urandom(page * 3)
    path.write_bytes(bytes(data))
    _assert_refused_untouched(path, "corrupt")


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    _assert_refused_untouched(path, "not diffsync's.*recipes")


def test_directory_is_refused(tmp_path):
    with pytest.raises(errors.DatabaseError, match="directory"):
        Store.open(f"sqlite:///{tmp_path}")


def test_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "new.db"
    path.touch()
    with Store.open(f"sqlite:///{path}") as s:
        assert s.count_papers() == 0


def test_unreachable_server_is_a_database_error():
    with pytest.raises(errors.DatabaseError, match="cannot open database"):
        Store.open("postgresql+psycopg://nobody:secret@127.0.0.1:1/diffsync")


def test_password_is_not_shown(tmp_path):
    with pytest.raises(errors.DatabaseError) as exc:
        Store.open("postgresql+psycopg://nobody:secret@127.0.0.1:1/diffsync")
    assert "secret" not in str(exc.value)


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "not a url"])
def test_unsupported_or_invalid_url(url):
    with pytest.raises(errors.DatabaseError):
        Store.open(url)


def test_reopening_keeps_data_and_healthy_files_pass_the_check(tmp_path):
    path = tmp_path / "diffsync.db"
    _healthy_db(path)
    with Store.open(f"sqlite:///{path}") as s:
        assert s.count_papers() == 2000
