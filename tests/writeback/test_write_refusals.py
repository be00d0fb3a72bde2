"""QA: what diffsync writes must respect what the user protected."""

from __future__ import annotations

import pytest

from diffsync.writeback.atomicfile import write_atomic
from diffsync.errors import DiffsyncError


def test_a_read_only_file_is_not_replaced(tmp_path):
    # A rename replaces a read-only file in a writable folder, so the write must ask first.
    target = tmp_path / "list.md"
    target.write_bytes(b"old\n")
    target.chmod(0o444)
    with pytest.raises(DiffsyncError, match="read-only"):
        write_atomic(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.md"]


def test_a_writable_file_is_still_replaced_with_its_mode(tmp_path):
    target = tmp_path / "list.md"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640
