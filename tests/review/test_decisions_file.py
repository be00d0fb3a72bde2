"""LIST.diffsync.toml: decisions committed with the list hold on a fresh database."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from diffsync.review import decisions
from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1


@pytest.fixture
def checked(tmp_path, monkeypatch, fake_env):
    # A SQLite file on every backend: a test deletes it.
    with fake_env(example_papers(), database_url=f"sqlite:///{tmp_path / 'local.db'}"):
        work = tmp_path / "repo"
        work.mkdir()
        shutil.copyfile(EXAMPLE_LIST, work / "README.md")
        monkeypatch.chdir(work)
        yield work


def _open(capsys, monkeypatch, *extra):
    code, out, err = run_cli(capsys, monkeypatch, "check", "README.md", "--json", *extra)
    assert code in (0, 1), err
    return {f["kind"]: f for f in json.loads(out)["findings"] if f["status"] == "open"}


def test_an_ignore_in_the_committed_file_holds_on_a_fresh_database(checked, tmp_path, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    assert not (checked / "README.diffsync.toml").exists()  # nobody made it by hand
    code, _, err = run_cli(capsys, monkeypatch, "ignore", found["venue"]["id"], "--reason", "workshop, not CVPR")
    assert code == 0 and "created README.diffsync.toml" in err and "commit it" in err
    doc = tomllib.loads((checked / "README.diffsync.toml").read_text())
    assert doc["decision"] == [{
        "entry": found["venue"]["entry_key"], "field": "venue", "status": "ignored",
        "listed": found["venue"]["listed"], "arxiv": found["venue"]["arxiv"],
        "reason": "workshop, not CVPR", "date": doc["decision"][0]["date"],
        "finding": found["venue"]["id"]}]

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
    code, _, err = run_cli(capsys, monkeypatch, "review", "README.md", "--kind", "venue",
                           stdin="i not the venue\n")
    assert code == 0, err
    doc = tomllib.loads((checked / "README.diffsync.toml").read_text())
    assert [(d["entry"], d["field"], d["status"], d["reason"]) for d in doc["decision"]] == [
        (found["venue"]["entry_key"], "venue", "ignored", "not the venue")]


def test_a_decision_survives_deleting_the_database(checked, tmp_path, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    code, _, err = run_cli(capsys, monkeypatch, "accept", found["title"]["id"])
    assert code == 0, err
    (tmp_path / "local.db").unlink()
    code, out, err = run_cli(capsys, monkeypatch, "check", "README.md", "--json")
    assert code in (0, 1), err
    status = {f["id"]: f["status"] for f in json.loads(out)["findings"]}
    assert status[found["title"]["id"]] == "accepted"


def test_the_setting_keeps_decisions_in_the_database_only(checked, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    monkeypatch.setenv("DIFFSYNC_REVIEW_DECISIONS_FILE", "false")
    code, _, err = run_cli(capsys, monkeypatch, "ignore", found["venue"]["id"])
    assert code == 0 and "diffsync.toml" not in err
    assert not (checked / "README.diffsync.toml").exists()


def test_earlier_decisions_are_written_with_the_next_one_or_by_export(checked, capsys, monkeypatch):
    found = _open(capsys, monkeypatch)
    monkeypatch.setenv("DIFFSYNC_REVIEW_DECISIONS_FILE", "false")
    run_cli(capsys, monkeypatch, "ignore", found["venue"]["id"], "--reason", "workshop")
    monkeypatch.delenv("DIFFSYNC_REVIEW_DECISIONS_FILE")
    code, _, err = run_cli(capsys, monkeypatch, "decisions", "export", "README.md")
    assert code == 0 and "created README.diffsync.toml" in err, err
    first = (checked / "README.diffsync.toml").read_bytes()
    assert [(d["field"], d["reason"]) for d in tomllib.loads(first.decode())["decision"]] == [("venue", "workshop")]
    code, _, err = run_cli(capsys, monkeypatch, "decisions", "export", "README.md")
    assert code == 0 and "already holds every decision" in err
    assert (checked / "README.diffsync.toml").read_bytes() == first  # byte-stable

    (checked / "README.diffsync.toml").unlink()
    monkeypatch.setenv("DIFFSYNC_REVIEW_DECISIONS_FILE", "false")
    run_cli(capsys, monkeypatch, "reopen", found["venue"]["id"])
    run_cli(capsys, monkeypatch, "ignore", found["venue"]["id"], "--reason", "workshop")
    monkeypatch.delenv("DIFFSYNC_REVIEW_DECISIONS_FILE")
    code, _, err = run_cli(capsys, monkeypatch, "accept", found["title"]["id"])
    doc = tomllib.loads((checked / "README.diffsync.toml").read_text())
    assert sorted(d["field"] for d in doc["decision"]) == ["title", "venue"]


def test_characters_above_the_basic_plane_survive_the_file(tmp_path):
    title = "Diffusion \U0001F600 models \U0001D4B3 and a tab\there"
    d = decisions.Decision("2301.1", "title", "ignored", title, "B \u2028", "why \U0001F600", None)
    path = tmp_path / "README.diffsync.toml"
    decisions.save(path, [d], "README.md")
    assert decisions.load(path) == [d]
    assert decisions.dumps([d], "README.md") == path.read_text(encoding="utf-8")
