"""Atomic writes: a crash before the rename leaves the list intact and no litter."""

from __future__ import annotations

import os
import stat

import pytest

from diffsync.writeback import atomicfile
from diffsync.errors import DiffsyncError


def test_write_replaces_content_and_keeps_mode(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(b"old\r\n")
    os.chmod(path, 0o640)
    atomicfile.write_atomic(path, b"new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.md"]


def test_backup_keeps_the_previous_bytes(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(b"old \xe9\r\n")
    atomicfile.write_atomic(path, b"new\n", backup=True)
    assert path.read_bytes() == b"new\n"
    assert (tmp_path / "list.md.bak").read_bytes() == b"old \xe9\r\n"


def test_symlink_keeps_pointing_at_the_updated_target(tmp_path):
    target = tmp_path / "real.md"
    target.write_bytes(b"old\n")
    link = tmp_path / "list.md"
    link.symlink_to(target)
    atomicfile.write_atomic(link, b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"


def test_crash_between_temp_write_and_rename_leaves_original_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "list.md"
    path.write_bytes(b"original\r\n")
    seen = []

    def crash(src, dst):
        seen.append(open(src, "rb").read())  # the temp file was fully written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", crash)
    with pytest.raises(DiffsyncError, match="file is unchanged"):
        atomicfile.write_atomic(path, b"new contents\r\n")
    assert seen == [b"new contents\r\n"]
    assert path.read_bytes() == b"original\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.md"]


def test_interrupt_before_rename_also_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "list.md"
    path.write_bytes(b"original\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomicfile.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomicfile.write_atomic(path, b"new\n")
    assert path.read_bytes() == b"original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.md"]


def test_unwritable_folder_is_a_one_line_error(tmp_path, monkeypatch):
    path = tmp_path / "list.md"
    path.write_bytes(b"x\n")

    def denied(**kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomicfile.tempfile, "mkstemp", denied)
    with pytest.raises(DiffsyncError, match="cannot write .*Permission denied"):
        atomicfile.write_atomic(path, b"y\n")
    assert path.read_bytes() == b"x\n"


def test_new_file_gets_the_umask_mode_not_owner_only(tmp_path, monkeypatch):
    # The daemon's first report and `export -o` create files others may need to read.
    monkeypatch.setattr(atomicfile, "_UMASK", 0o022)  # the umask read at import
    path = tmp_path / "report.md"
    atomicfile.write_atomic(path, b"# report\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_backup_has_the_lists_mode_even_over_an_older_backup(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(b"private\n")
    os.chmod(path, 0o600)
    old_backup = tmp_path / "list.md.bak"
    old_backup.write_bytes(b"older\n")
    os.chmod(old_backup, 0o644)
    atomicfile.write_atomic(path, b"new\n", backup=True)
    assert old_backup.read_bytes() == b"private\n"
    assert stat.S_IMODE(old_backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
