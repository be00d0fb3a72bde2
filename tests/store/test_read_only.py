"""Read-only works, and says so (issue 12, item 7).

``status``, ``findings``, ``entries`` and ``export`` without ``--write``
work on a database that cannot be written; commands that write fail with
"read-only database", never "corrupt"; an unreadable list is exit 3.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_LIST
from diffsync.store import sqlitefile
from diffsync.store.store import Store

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

FIXTURE = EXAMPLE_LIST
READERS = [["status"], ["status", "--json"], ["findings", "list.md"], ["entries", "list.md"],
           ["export", "list.md"], ["db", "current"]]


def run(args, cwd):
    env = dict(os.environ)
    for var in ("DIFFSYNC_CONFIG", "DIFFSYNC_DATABASE_URL"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def _checked_folder(folder: Path) -> None:
    shutil.copy(FIXTURE, folder / "list.md")
    done = run(["check", "--offline", "list.md"], folder)
    # A database and the list's stored state; its papers were never fetched (exit 3).
    assert done.returncode == 3 and "not compared (never fetched" in done.stderr, done.stderr
    assert (folder / "diffsync.db").is_file()


@pytest.fixture(scope="module")
def read_only_mount(tmp_path_factory):
    """A tmpfs with a checked list and its database, remounted read-only (root only)."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a read-only file system")
    mnt = tmp_path_factory.mktemp("ro") / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        _checked_folder(mnt)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True, capture_output=True)
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_readers_work_on_a_read_only_mount(read_only_mount, args):
    result = run(args, read_only_mount)
    assert result.returncode in (0, 1), result.stderr
    assert "corrupt" not in result.stderr and "internal error" not in result.stderr


def test_writers_say_read_only_on_a_read_only_mount(read_only_mount):
    result = run(["check", "--offline", "list.md"], read_only_mount)
    assert result.returncode == 3
    assert "read-only database" in result.stderr and "corrupt" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_database_we_cannot_write_is_read_not_called_corrupt(tmp_path, monkeypatch):
    """What a healthy database owned by someone else looks like (faked for root, who may write anything)."""
    _checked_folder(tmp_path)
    path = tmp_path / "diffsync.db"
    monkeypatch.setattr(sqlitefile, "read_only",
                        lambda p: sqlitefile.ReadOnly("not writable by this user", False) if p == path else None)
    with Store.open(f"sqlite:///{path}") as store:
        assert store.read_only
        list_id = store.find_list(str(tmp_path / "list.md"))
        assert list_id is not None and store.findings(list_id)
        assert store.runs(5) and store.count_papers() >= 0
        with pytest.raises(Exception) as info:
            store.list_id(str(tmp_path / "other.md"))
        assert "read-only database" in str(info.value) and "corrupt" not in str(info.value)
        assert info.value.exit_code == 3


def test_unreadable_list_is_exit_3(tmp_path, monkeypatch, capsys):
    """Mode 000: faked at os.open, since root reads any file."""
    from diffsync.cli import main

    lst = tmp_path / "list.md"
    shutil.copy(FIXTURE, lst)
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if Path(name) == lst:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    for args in (["check", "--offline", str(lst)], ["entries", str(lst)]):
        monkeypatch.setattr(sys, "argv", ["diffsync", *args])
        with pytest.raises(SystemExit) as info:
            main()
        assert info.value.code == 3
        assert "permission denied" in capsys.readouterr().err
