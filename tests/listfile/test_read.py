"""read_list: a list file or one clear error line, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diffsync.errors import EXIT_INCOMPLETE, ListReadError
from diffsync.listfile.parse import read_list

ENTRY = b"**Denoising Diffusion Probabilistic Models** \\\n*Jonathan Ho, Ajay Jain, Pieter Abbeel* \\\n" \
        b"NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.11239)] \\\n19 Jun 2020\n"


def _error(path: Path) -> str:
    with pytest.raises(ListReadError) as info:
        read_list(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert info.value.exit_code == EXIT_INCOMPLETE
    return message


def test_reads_a_list(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(ENTRY)
    data, parsed = read_list(path)
    assert data == ENTRY
    assert parsed.path == str(path)
    assert [e.arxiv_id for e in parsed.entries] == ["2006.11239"]


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.md")


def test_directory(tmp_path):
    assert "is a directory" in _error(tmp_path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    assert "is empty" in _error(path)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(1, 9)) * 200, "binary"),
        ("**Title**\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["png", "control-bytes", "utf16"],
)
def test_binary_file(tmp_path, content, words):
    path = tmp_path / "list.md"
    path.write_bytes(content)
    assert words in _error(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(ENTRY)
    path.chmod(0)
    try:
        assert "permission denied" in _error(path)
    finally:
        path.chmod(0o644)


def test_latin1_file_is_read_not_refused(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(ENTRY.replace(b"Jonathan", b"J\xf6nathan"))
    data, parsed = read_list(path)
    assert parsed.entries[0].authors[0] == "J\ufffdnathan Ho"
    assert any("not valid UTF-8" in p for p in parsed.problems)


def test_permission_denied_reported_even_when_running_as_root(tmp_path, monkeypatch):
    path = tmp_path / "list.md"
    path.write_bytes(ENTRY)

    real_open = os.open

    def refuse(name, *args, **kwargs):  # read_list opens with os.open (non-blocking, for FIFOs)
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert "permission denied" in _error(path)
