"""Commands without LIST use the list that was checked; reading never creates a database."""

from __future__ import annotations

import json
import time

from diffsync.listfile.parse import parse_list
from diffsync.store.store import Store
from helpers.cli import run_cli
from helpers.export import LIST


def test_accept_without_list_uses_the_only_checked_list(setup, capsys, monkeypatch):
    path, url = setup  # checked papers.md; [list] path (README.md) was never checked
    code, out, err = run_cli(capsys, monkeypatch, "accept", "--kind", "title", "--json")
    assert code == 0, err
    assert [f["status"] for f in json.loads(out)["changed"]] == ["accepted"]
    assert "note" not in err  # one list: nothing to choose, nothing to say


def test_with_several_lists_the_most_recent_is_used_and_named(setup, tmp_path, capsys, monkeypatch):
    path, url = setup
    other = tmp_path / "other.md"
    other.write_bytes(LIST)
    time.sleep(0.01)  # parsed_at orders the lists
    with Store.open(url) as store:
        store.save_entries(store.list_id(str(other)), parse_list(LIST, str(other)))
    code, _, err = run_cli(capsys, monkeypatch, "findings", "--json")
    assert code in (0, 1), err
    assert f"using {other.resolve()}, the most recently checked of 2 lists" in err


def test_configured_list_wins_when_it_was_checked(setup, tmp_path, capsys, monkeypatch):
    path, url = setup
    (tmp_path / "config.toml").write_text('[list]\npath = "papers.md"\n', encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_bytes(LIST)
    with Store.open(url) as store:
        store.save_entries(store.list_id(str(other)), parse_list(LIST, str(other)))
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--json")
    assert "note" not in err and code in (0, 1)
    assert len(json.loads(out)["findings"]) == 4  # papers.md's own findings


def test_reading_commands_never_create_a_database(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_DATABASE_URL", raising=False)
    for args in (["accept", "--kind", "title"], ["findings"], ["export"], ["review"]):
        code, out, err = run_cli(capsys, monkeypatch, *args)
        assert code == 2, (args, err)
        assert err.count("\n") == 1 and "no check recorded yet" in err and "diffsync check" in err
    assert list(tmp_path.iterdir()) == []
