"""Only regular files, honestly read (issue 12, item 5).

FIFOs, devices and oversized files are refused with exit 3 (and a FIFO
never blocks), CR-only and mixed line endings are read line by line with
every entry found and every ending kept, a list with no entry is an error,
and a database deleted mid-run is an error rather than a summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.spans import assert_spans_exact

from diffsync.errors import EXIT_INCOMPLETE, ListReadError
from diffsync.fake_arxiv.example import EXAMPLE_LIST
from diffsync.listfile.parse import parse_list, read_list

FIXTURE = EXAMPLE_LIST
ENTRY = b"**Denoising Diffusion Probabilistic Models** \\\n*Jonathan Ho, Ajay Jain, Pieter Abbeel* \\\n" \
        b"NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.11239)] \\\n19 Jun 2020\n"


def run(args, cwd, env=None, timeout=60):
    e = dict(os.environ, **(env or {}))
    e.pop("DIFFSYNC_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


def _refused(path: Path, max_mb: float = 64.0) -> str:
    with pytest.raises(ListReadError) as info:
        read_list(path, max_mb)
    assert info.value.exit_code == EXIT_INCOMPLETE
    assert "\n" not in str(info.value)
    return str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    assert "is a FIFO" in _refused(fifo)  # no writer: a blocking open would hang right here
    result = run(["entries", str(fifo)], tmp_path, timeout=30)
    assert result.returncode == 3 and "is a FIFO" in result.stderr


@pytest.mark.e2e  # a real process or server
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_is_refused(tmp_path):
    assert "is a device" in _refused(Path("/dev/zero"))
    result = run(["check", "--offline", "/dev/zero"], tmp_path,
                 env={"DIFFSYNC_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"})
    assert result.returncode == 3 and "is a device" in result.stderr
    assert "MemoryError" not in result.stderr


def test_list_over_max_mb_is_refused(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(ENTRY * 2000)  # ~400 KB
    assert "max_mb" in _refused(path, max_mb=0.1)
    assert read_list(path, max_mb=1.0)[1].entries  # under the cap it reads
    result = run(["entries", str(path)], tmp_path, env={"DIFFSYNC_LIST_MAX_MB": "0.1"})
    assert result.returncode == 3 and "[list] max_mb" in result.stderr


@pytest.mark.e2e  # a real process or server
def test_non_list_is_an_error_not_a_silent_success(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"# My notes\n\nJust some text, no papers here.\n")
    message = _refused(path)
    assert message.startswith(f"no paper entries found in {path} (is this a paper list?)")
    result = run(["check", "--offline", str(path)], tmp_path,
                 env={"DIFFSYNC_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"})
    assert result.returncode == 3
    assert "no paper entries found in" in result.stderr and "is this a paper list?" in result.stderr


def test_cr_only_list_finds_every_entry_with_exact_spans():
    data = FIXTURE.read_bytes()
    expected = parse_list(data)
    cr = data.replace(b"\n", b"\r")
    parsed = parse_list(cr)
    assert len(parsed.entries) == len(expected.entries) > 10
    assert [(e.line, e.title, e.arxiv_id, e.authors, e.date) for e in parsed.entries] == \
        [(e.line, e.title, e.arxiv_id, e.authors, e.date) for e in expected.entries]
    assert parsed.newline == "\r"
    assert assert_spans_exact(cr, parsed) > 30


def test_mixed_line_endings_find_every_entry_and_say_so():
    data = FIXTURE.read_bytes()
    expected = parse_list(data)
    lines = data.split(b"\n")
    endings = [b"\r\n", b"\r", b"\n"]
    mixed = b"".join(line + endings[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    parsed = parse_list(mixed)
    assert [e.title for e in parsed.entries] == [e.title for e in expected.entries]
    assert [e.line for e in parsed.entries] == [e.line for e in expected.entries]
    assert any("mixed line endings" in p for p in parsed.problems)
    assert assert_spans_exact(mixed, parsed) > 30


def test_export_into_a_cr_only_list_keeps_every_cr(tmp_path):
    """A title fix and a new link line in a CR-only list: only those bytes change, every CR stays."""
    from helpers.builders import paper
    from helpers.export import DDPM, assert_only_edits_changed

    from diffsync.models import Finding, Kind, Status
    from diffsync.writeback.edits import apply_edits
    from diffsync.writeback.planning import plan_export

    data = (b"# Papers\r\r" + ENTRY.replace(b"Denoising Diffusion Probabilistic", b"Denoising Probabilistic")
            + b"\r**Improved Denoising Diffusion Probabilistic Models** \\\n*Alex Nichol, Prafulla Dhariwal*\n"
            ).replace(b"\n", b"\r")
    parsed = parse_list(data)
    assert len(parsed.entries) == 2
    first, second = parsed.entries
    title = Finding(id="t", kind=Kind.TITLE, line=first.line, entry_key=first.key, arxiv_id="2006.11239",
                    listed=first.title, arxiv=DDPM.title, message="m", suggestion=DDPM.title,
                    status=Status.ACCEPTED)
    missing = Finding(id="m", kind=Kind.MISSING_ID, line=second.line, entry_key=second.key, arxiv_id=None,
                      listed=None, arxiv="2102.09672", message="m", suggestion="2102.09672",
                      status=Status.ACCEPTED)
    improved = paper("2102.09672", "Improved Denoising Diffusion Probabilistic Models",
                      ("Alex Nichol", "Prafulla Dhariwal"), "2021-02-18")
    plan = plan_export(data, parsed, [title, missing], {"2006.11239": DDPM, "2102.09672": improved})
    assert len(plan.edits) == 2
    new = apply_edits(data, plan.edits)
    assert_only_edits_changed(data, new, plan.edits)
    assert b"\n" not in new
    assert b"Denoising Diffusion Probabilistic Models** \\\r" in new
    assert b"*Alex Nichol, Prafulla Dhariwal* \\\r[[Paper](https://arxiv.org/abs/2102.09672)]" in new
    again = parse_list(new)
    assert [e.arxiv_id for e in again.entries] == ["2006.11239", "2102.09672"]


def test_database_deleted_mid_run_is_exit_3(tmp_path, monkeypatch):
    """SQLite keeps writing to a deleted file: the run must not report a summary of nothing kept."""
    from diffsync.check import pipeline
    from diffsync.config import load_settings
    from diffsync.errors import DatabaseError

    lst = tmp_path / "list.md"
    lst.write_bytes(ENTRY)
    db = tmp_path / "d.db"
    settings = load_settings(None, environ={"DIFFSYNC_DATABASE_URL": f"sqlite:///{db}"})
    real = pipeline.check_list

    def compare_then_lose_the_file(*args, **kwargs):
        result = real(*args, **kwargs)
        db.unlink()  # what `rm diffsync.db` during a check does
        return result

    monkeypatch.setattr(pipeline, "check_list", compare_then_lose_the_file)
    with pytest.raises(DatabaseError, match="deleted or replaced during the run") as info:
        pipeline.run_check(settings, lst, offline=True)
    assert info.value.exit_code == EXIT_INCOMPLETE
