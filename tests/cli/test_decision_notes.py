"""Decisions say what they did: a resolved finding is never "now accepted", and ignore
reasons show wherever findings are listed."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from diffsync.models import Kind, Status
from diffsync.store.store import Store

NOW = datetime(2024, 5, 2, tzinfo=timezone.utc)


def _resolve_title_finding(url: str, path) -> str:
    with Store.open(url) as store:
        list_id = store.list_id(str(path))
        everything = store.findings(list_id)
        title = next(f for f in everything if f.kind is Kind.TITLE)
        store.sync_findings(list_id, [f for f in everything if f.id != title.id], now=NOW)
        assert {f.id: f.status for f in store.findings(list_id)}[title.id] is Status.RESOLVED
    return title.id


def test_accept_of_a_resolved_finding_says_so_and_changes_nothing(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    path, url = setup
    fid = _resolve_title_finding(url, path)
    code, out, err = run_cli(capsys, monkeypatch, "accept", fid[:6], "--json")
    assert code == 0, err
    assert json.loads(out)["changed"] == []
    assert f"{fid} (line 4, title) is resolved" in err
    assert "0 findings now accepted" in err
    with Store.open(url) as store:
        status = {f.id: f.status for f in store.findings(store.list_id(str(path)))}[fid]
    assert status is Status.RESOLVED


def test_accept_twice_says_already_accepted(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    path, url = setup
    code, out, err = run_cli(capsys, monkeypatch, "accept", "--kind", "title", "--json")
    fid = json.loads(out)["changed"][0]["id"]
    code, out, err = run_cli(capsys, monkeypatch, "accept", fid, "--json")
    assert code == 0 and json.loads(out)["changed"] == []
    assert f"{fid} (line 4, title) is already accepted" in err


def test_ignore_reason_shows_in_findings_json_table_and_concise(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    path, url = setup
    code, out, err = run_cli(capsys, monkeypatch, "ignore", "--kind", "link",
                             "--reason", "mirror on purpose", "--json")
    assert code == 0, err
    assert [f["reason"] for f in json.loads(out)["changed"]] == ["mirror on purpose"]
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--status", "ignored", "--json")
    assert [(f["kind"], f["status"], f["reason"]) for f in json.loads(out)["findings"]] == \
        [("link", "ignored", "mirror on purpose")]
    monkeypatch.setenv("COLUMNS", "200")  # one table row per finding, the reason unwrapped
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--status", "ignored", "--format", "table")
    assert "ignored: mirror on purpose" in " ".join(out.split())
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--status", "ignored", "--format", "concise")
    assert out.startswith("papers.md:15: ignored link ") and out.rstrip().endswith("(why: mirror on purpose)")


def test_findings_concise_is_one_line_per_finding_and_the_default_when_piped(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    path, url = setup
    code, out, err = run_cli(capsys, monkeypatch, "findings")  # captured: not a terminal
    lines = out.splitlines()
    assert len(lines) == 4, out
    assert all(line.startswith("papers.md:") for line in lines)
    assert lines == run_cli(capsys, monkeypatch, "findings", "--format", "concise")[1].splitlines()
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--format", "table")
    assert "┃" in out or "|" in out
    code, out, err = run_cli(capsys, monkeypatch, "findings", "--format", "yaml")
    assert code == 2 and "--format must be one of" in err


def test_concise_title_line_marks_the_words_that_differ(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    code, out, err = run_cli(capsys, monkeypatch, "findings", "--kind", "title")
    assert out.count("\n") == 1
    assert ": Denoising Diffusion Probabilistic [-Modles-] {+Models+}\n" in out


def test_a_hostile_reason_is_shown_as_text_never_as_markup(setup, capsys, monkeypatch):
    from helpers.cli import run_cli

    reason = "[/] [bold red]loud[/bold red] \x1b[2J"
    code, out, err = run_cli(capsys, monkeypatch, "ignore", "--kind", "link", "--reason", reason)
    assert code == 0, err
    monkeypatch.setenv("COLUMNS", "200")
    for fmt in ("table", "concise"):
        code, out, err = run_cli(capsys, monkeypatch, "findings", "--status", "ignored",
                                 "--format", fmt)
        assert code == 0 and "Traceback" not in err, err
        assert "red]loud[/bold" in out and "\x1b" not in out  # brackets kept: text, not markup
