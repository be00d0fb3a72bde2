"""State follows the list: any folder of the list's repository finds the same config and
database; an older database in the current folder keeps working, with a note; reading
commands never create a database."""

from __future__ import annotations

import json
import shutil

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1


@pytest.fixture
def repo(tmp_path, fake_env):
    """A repository holding the example list in lists/, with a subfolder; no config, no
    database setting: the defaults decide where the state lives."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "lists" / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE_DIR / "list.md", root / "lists" / "papers.md")
    with fake_env(example_papers(), database_url=None):
        yield root


def _title_finding(capsys, monkeypatch, *list_arg):
    code, out, err = run_cli(capsys, monkeypatch, "findings", *list_arg, "--json")
    assert code == 0, err
    return next(f for f in json.loads(out)["findings"] if f["kind"] == "title")


def test_a_subfolder_finds_what_a_check_from_the_root_recorded(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    code, _, err = run_cli(capsys, monkeypatch, "check", "lists/papers.md", "--json")
    assert code == 1, err
    assert (repo / "diffsync.db").is_file()  # at the list's repository root

    monkeypatch.chdir(repo / "lists" / "sub")
    finding = _title_finding(capsys, monkeypatch, "../papers.md")
    code, _, err = run_cli(capsys, monkeypatch, "accept", finding["id"], "--list", "../papers.md")
    assert code == 0 and "1 finding now accepted" in err, err
    code, out, err = run_cli(capsys, monkeypatch, "export", "../papers.md")
    assert code == 0, err
    assert f"+**{finding['arxiv']}**" in out  # the accepted title's fix
    # Without LIST, from the subfolder: the same database, its only list.
    assert _title_finding(capsys, monkeypatch)["status"] == "accepted"
    assert sorted(p.name for p in (repo / "lists").rglob("*.db")) == []


def test_a_config_beside_the_list_is_found_from_anywhere_in_the_repository(repo, capsys, monkeypatch):
    lists = repo / "lists"
    (lists / "config.toml").write_text('[list]\npath = "papers.md"\n', encoding="utf-8")
    monkeypatch.chdir(repo)
    code, _, err = run_cli(capsys, monkeypatch, "check", "lists/papers.md", "--json")
    assert code == 1, err
    assert (lists / "diffsync.db").is_file() and not (repo / "diffsync.db").exists()
    monkeypatch.chdir(lists / "sub")  # no LIST: the config above names it
    assert _title_finding(capsys, monkeypatch)["status"] == "open"


def test_an_older_database_in_the_current_folder_keeps_working_and_is_named(repo, capsys, monkeypatch):
    sub = repo / "lists" / "sub"
    monkeypatch.chdir(sub)  # where an earlier version put ./diffsync.db
    legacy = sub / "diffsync.db"
    code, _, err = run_cli(capsys, monkeypatch, "check", "../papers.md", "--json",
                           "--database-url", f"sqlite:///{legacy}")
    assert code == 1, err
    finding = _title_finding(capsys, monkeypatch, "../papers.md")
    code, out, err = run_cli(capsys, monkeypatch, "findings", "../papers.md", "--json")
    assert f"using the existing database {legacy}" in err and str(repo / "diffsync.db") in err
    assert finding["id"] in out
    assert not (repo / "diffsync.db").exists()  # no empty history beside the full one


@pytest.mark.parametrize("args", [["status"], ["status", "--json"], ["findings"],
                                  ["entries"], ["findings", "papers.md"]])
def test_reading_in_an_empty_folder_creates_no_file(tmp_path, capsys, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    for var in ("DIFFSYNC_DATABASE_URL", "DIFFSYNC_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    code, _, err = run_cli(capsys, monkeypatch, *args)
    assert code in (0, 2, 3), err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
