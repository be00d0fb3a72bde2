"""LIST.diffsync.toml: decisions committed with the list hold on a fresh database."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from diffsync.review import decisions
from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.export import run_cli


@pytest.fixture
def checked(tmp_path, monkeypatch):
    with FakeArxiv(example_papers()) as fake:
        work = tmp_path / "repo"
        work.mkdir()
        shutil.copyfile(EXAMPLE_LIST, work / "README.md")
        monkeypatch.chdir(work)
        monkeypatch.setenv("DIFFSYNC_ARXIV_URL", fake.url)
        monkeypatch.setenv("DIFFSYNC_ARXIV_DELAY", "0.05")
        monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'local.db'}")
        yield work


def _open(capsys, monkeypatch, *extra):
    code, out, err = run_cli(capsys, monkeypatch, "check", "README.md", "--json", *extra)
    assert code in (0, 1), err
    return {f["kind"]: f for f in json.loads(out)["findings"] if f["status"] == "open"}


def test_an_ignore_in_the_committed_file_holds_on_a_fresh_database(checked, tmp_path, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    (checked / "README.diffsync.toml").write_text("")  # the maintainer opts in
    code, _, err = run_cli(capsys, monkeypatch, "ignore", found["venue"]["id"], "--reason", "workshop, not CVPR")
    assert code == 0 and "decisions written to" in err
    doc = tomllib.loads((checked / "README.diffsync.toml").read_text())
    assert doc["decision"] == [{
        "entry": found["venue"]["entry_key"], "field": "venue", "status": "ignored",
        "listed": found["venue"]["listed"], "arxiv": found["venue"]["arxiv"],
        "reason": "workshop, not CVPR", "date": doc["decision"][0]["date"]}]

    # CI: the same list and file, a database that has never seen them.
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh = _open(capsys, monkeypatch)
    assert "venue" not in fresh and "title" in fresh
    code, out, _ = run_cli(capsys, monkeypatch, "findings", "README.md", "--status", "ignored", "--json")
    assert [f["kind"] for f in json.loads(out)["findings"]] == ["venue"]


def test_a_lock_keeps_the_listed_title_until_the_listed_text_changes(checked, tmp_path, capsys, monkeypatch):
    assert "title" in _open(capsys, monkeypatch)
    code, _, err = run_cli(capsys, monkeypatch, "lock", "2206.00364", "title")
    assert code == 0, err
    text = (checked / "README.diffsync.toml").read_text()
    assert 'status = "locked"' in text and 'listed = "Elucidating the Design Space of Diffusion Models"' in text
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    titles = [f for f in json.loads(run_cli(capsys, monkeypatch, "check", "README.md", "--json")[1])["findings"]
              if f["kind"] == "title" and f["arxiv_id"] == "2206.00364"]
    assert [f["status"] for f in titles] == ["ignored"]
    # The maintainer edits the title: the lock no longer holds, the drift is open again.
    listed = (checked / "README.md").read_text()
    (checked / "README.md").write_text(listed.replace("Elucidating the Design Space of Diffusion Models",
                                                      "Elucidating the Design Space of Diffusion"))
    code, out, _ = run_cli(capsys, monkeypatch, "check", "README.md", "--json", "--offline")
    assert any(f["kind"] == "title" and f["arxiv_id"] == "2206.00364" and f["status"] == "open"
               for f in json.loads(out)["findings"])


def test_the_file_is_sorted_and_stable(tmp_path):
    a = decisions.Decision("2301.1", "title", "ignored", 'A "quoted" title', "B", None, None)
    b = decisions.Decision("2201.1", "date", "locked", "1 Jan 2022", None, "curated", None)
    text = decisions.dumps([a, b], "README.md")
    assert text == decisions.dumps([b, a], "README.md")
    assert text.index("2201.1") < text.index("2301.1")
    path = tmp_path / "README.diffsync.toml"
    path.write_text(text)
    assert decisions.load(path) == [b, a]


def test_a_broken_file_is_one_error_line(checked, capsys, monkeypatch):
    (checked / "README.diffsync.toml").write_text("[[decision]\n")
    code, _, err = run_cli(capsys, monkeypatch, "check", "README.md")
    assert code == 2 and err.startswith("diffsync: error: ") and "README.diffsync.toml" in err


def test_the_interactive_review_writes_its_decisions_too(checked, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    (checked / "README.diffsync.toml").write_text("")
    code, _, err = run_cli(capsys, monkeypatch, "review", "README.md", "--kind", "venue",
                           stdin="i not the venue\n")
    assert code == 0, err
    doc = tomllib.loads((checked / "README.diffsync.toml").read_text())
    assert [(d["entry"], d["field"], d["status"], d["reason"]) for d in doc["decision"]] == [
        (found["venue"]["entry_key"], "venue", "ignored", "not the venue")]
