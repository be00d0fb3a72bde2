"""``diffsync entries``: what the user sees, and exit codes for bad input."""

from __future__ import annotations

import json
import sys

import pytest

from diffsync.cli import main
from helpers import paths

FIXTURE = paths.FIXTURES / "lists" / "variants.md"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["diffsync", *args])
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return info.value.code or 0, out, err


def test_json_lists_every_entry_with_the_documented_keys(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "entries", str(FIXTURE), "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == 15
    required = {"line", "title", "authors", "arxiv_id", "version", "date", "date_text", "venue",
                "section", "links", "problems"}
    assert all(required <= set(r) for r in rows)
    video = next(r for r in rows if r["title"] == "Video Diffusion Models")
    assert (video["arxiv_id"], video["version"], video["date"]) == ("2204.03458", 2, "2022-04-07")
    assert video["links"] == [{"label": "Paper", "url": "https://arxiv.org/abs/2204.03458v2", "broken": False}]
    broken = next(r for r in rows if r["line"] == 62)
    assert broken["links"][0]["broken"] is True and broken["problems"]
    undated = next(r for r in rows if r["line"] == 72)
    assert (undated["date"], undated["arxiv_id"], undated["links"]) == (None, None, [])
    # Spans in the JSON slice the file's bytes.
    data = FIXTURE.read_bytes()
    start, end = video["spans"]["arxiv_id"]
    assert data[start:end] == b"2204.03458v2"


def test_table_shows_entries_and_a_summary(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "entries", str(FIXTURE))
    assert code == 0
    assert "Video Diffusion Models" in out and "2204.03458v2" in out
    assert "15 entries: 12 with an arXiv ID, 14 with a date, 2 with problems" in out


def test_problems_flag_shows_only_entries_with_problems(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "entries", str(FIXTURE), "--json", "--problems")
    assert code == 0
    assert [r["line"] for r in json.loads(out)] == [62, 83]


def test_list_defaults_to_the_config(monkeypatch, capsys, tmp_path):
    (tmp_path / "config.toml").write_text(f'[list]\npath = "{FIXTURE}"\n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(monkeypatch, capsys, "entries", "--json")
    assert code == 0 and len(json.loads(out)) == 15


def test_file_problems_are_warnings_on_stderr(monkeypatch, capsys, tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    code, out, err = run(monkeypatch, capsys, "entries", str(path), "--json")
    assert code == 0 and len(json.loads(out)) == 15
    assert err.startswith("diffsync: warning:") and "byte-order mark" in err


@pytest.mark.parametrize("make, words", [
    (lambda p: p, "no such file"),
    (lambda p: (p.mkdir(), p)[1], "is a directory"),
    (lambda p: (p.write_bytes(b""), p)[1], "is empty"),
    (lambda p: (p.write_bytes(b"\x00\x01binary\x00"), p)[1], "binary"),
])
def test_bad_input_is_one_line_and_exit_3(monkeypatch, capsys, tmp_path, make, words):
    path = make(tmp_path / "list.md")
    code, out, err = run(monkeypatch, capsys, "entries", str(path))
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and err.startswith("diffsync: error:") and words in err
    assert "Traceback" not in err
