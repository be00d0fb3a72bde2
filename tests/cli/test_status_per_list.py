"""``status`` per list matches runs to lists by the list's identity in the store (its
resolved path), as the rest of the state does: a list checked from a subfolder or
through a relative path shows its runs wherever status runs from (issue 24)."""

from __future__ import annotations

import json

from helpers.cli import run_cli


def _per_list(capsys, monkeypatch) -> dict[str, dict]:
    code, out, err = run_cli(capsys, monkeypatch, "status", "--json")
    assert code == 0, err
    return {one["list"].rsplit("/", 1)[-1]: one for one in json.loads(out)["lists"]}


def test_runs_of_a_list_checked_from_a_subfolder_show_under_it_from_anywhere(three_lists, capsys, monkeypatch):
    folder, _ = three_lists
    (folder / ".git").mkdir()  # the lists' repository: the state lives at its root
    (folder / "sub").mkdir()
    monkeypatch.chdir(folder / "sub")
    code, _, err = run_cli(capsys, monkeypatch, "check", "../a.md", "../b.md")
    assert code == 1, err
    monkeypatch.chdir(folder)
    code, _, err = run_cli(capsys, monkeypatch, "check", "c.md")
    assert code == 1, err
    for where in (folder / "sub", folder):
        monkeypatch.chdir(where)
        lists = _per_list(capsys, monkeypatch)
        assert sorted(lists) == ["a.md", "b.md", "c.md"]
        for name, one in lists.items():
            assert one["last_run"] is not None and one["last_run"]["status"] == "ok", (where, name, one)
        code, out, _ = run_cli(capsys, monkeypatch, "status")
        assert code == 0 and "last run none" not in out and out.count("last run ok") == 3, out
    assert "\n  a.md: " in out  # from the lists' folder, as the user would type them


def test_a_list_the_recent_runs_miss_still_shows_its_last_run(three_lists, capsys, monkeypatch):
    from diffsync.config import load_settings
    from diffsync.store.store import Store

    folder, _ = three_lists
    code, _, err = run_cli(capsys, monkeypatch, "check", "a.md")
    assert code == 1, err
    with Store.open(load_settings().database_url) as store:  # 250 runs of other lists since
        for n in range(250):
            store.finish_run(store.start_run("daemon", str(folder / f"other{n % 3}.md")), status="ok")
    lists = _per_list(capsys, monkeypatch)
    assert lists["a.md"]["last_run"] is not None and lists["a.md"]["last_run"]["status"] == "ok"
