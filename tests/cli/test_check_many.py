"""Several lists in one check: the union of their papers fetched once, the same findings
as separate checks, each finding under its list, exit 3 naming a list that failed."""

from __future__ import annotations

import json

from helpers.cli import run_cli
from helpers.schemas import valid



def _check(capsys, monkeypatch, *args):
    code, out, err = run_cli(capsys, monkeypatch, "check", *args, "--json")
    return code, json.loads(out) if out.strip() else None, err


def _shape(findings, list_name):
    return sorted((f["kind"], f["line"], f["arxiv_id"] or "", f["status"])
                  for f in findings if f["list"].endswith(list_name))


def test_one_pass_fetches_each_paper_once_with_the_findings_of_separate_checks(three_lists, capsys, monkeypatch):
    folder, server = three_lists
    separate = {}
    for name in ("a.md", "b.md", "c.md"):
        code, payload, err = _check(capsys, monkeypatch, name, "--database-url",
                                    f"sqlite:///{folder / (name + '.db')}")
        assert code == 1, err
        separate[name] = _shape(payload["findings"], name)
    before = len(server.log)
    code, payload, err = _check(capsys, monkeypatch, "a.md", "b.md", "c.md")
    assert code == 1, err
    asked = server.log[before:]
    fetches = [r for r in asked if not r.search]
    distinct = payload["summary"]["total"]["papers"]
    # The union in one request; the one paper arXiv lacks is asked again before it is
    # called not found (the client's rule), once for all three lists.
    assert [r.n_ids for r in fetches] == [distinct, 1]
    assert len(asked) - len(fetches) <= 1  # one batched search phase
    for name in ("a.md", "b.md", "c.md"):
        assert _shape(payload["findings"], name) == separate[name]
    valid("check.json", payload)
    per_list = {s["list"]: s for s in payload["summary"]["lists"]}
    assert sorted(per_list) == ["a.md", "b.md", "c.md"]
    assert payload["summary"]["total"]["open"] == sum(s["open"] for s in per_list.values())
    assert "total: 3 lists" in err and "b.md: " in err

    before = len(server.log)  # within max_age: nothing is fetched again, whichever list asks
    code, payload, err = _check(capsys, monkeypatch, "b.md", "c.md", "a.md", "--max-age", "1")
    assert code == 1, err
    assert [r for r in server.log[before:] if not r.search] == []


def test_a_list_that_cannot_be_read_is_named_and_the_others_are_checked(three_lists, capsys, monkeypatch):
    code, payload, err = _check(capsys, monkeypatch, "a.md", "missing.md", "b.md")
    assert code == 3
    valid("check.json", payload)
    assert "diffsync: error: missing.md: not checked:" in err
    assert {s["list"] for s in payload["summary"]["lists"]} == {"a.md", "b.md"}
    assert [f["list"] for f in payload["summary"]["failed"]] == ["missing.md"]
    assert payload["findings"] and {f["list"] for f in payload["findings"]} == {"a.md", "b.md"}


def test_configured_lists_are_checked_without_list_and_keep_their_own_settings(three_lists, capsys, monkeypatch):
    folder, _ = three_lists
    (folder / "config.toml").write_text(
        '[[lists]]\npath = "a.md"\nstrict = true\n\n[[lists]]\npath = "b.md"\n', encoding="utf-8")
    code, payload, err = _check(capsys, monkeypatch)
    assert code == 1, err
    names = sorted(s["list"] for s in payload["summary"]["lists"])
    assert names == [str(folder / "a.md"), str(folder / "b.md")]
    # a.md is strict: the title differing only in case is reported there alone.
    cosmetic = {f["list"] for f in payload["findings"]
                if f["arxiv_id"] == "2011.13456" and f["kind"] == "title"}
    assert cosmetic == {str(folder / "a.md")}
    # A reporting command without LIST uses every configured list, each finding named.
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--json")
    assert code == 0, err
    assert {f["list"] for f in json.loads(out)["findings"]} == set(names)
