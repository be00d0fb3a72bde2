"""The review and export commands over a real SQLite store (no network)."""

from __future__ import annotations

import json
from datetime import datetime, timezone


from diffsync.store.store import Store
from helpers.cli import run_cli
from helpers.export import DDPM, LIST

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


def statuses(url, path):
    with Store.open(url) as store:
        return {f.id: f.status.value for f in store.findings(store.list_id(str(path)))}


def test_findings_json_lists_open_ones(setup, capsys, monkeypatch):
    path, _ = setup
    code, out, err = run_cli(capsys, monkeypatch, "findings", str(path), "--json", "--kind", "title,date")
    assert code == 0
    assert sorted(f["id"] for f in json.loads(out)["findings"]) == ["date-4", "title-4"]


def test_accept_ignore_reopen_by_id_prefix_and_kind(setup, capsys, monkeypatch):
    path, url = setup
    assert run_cli(capsys, monkeypatch, "accept", "title", str(path))[0] == 0
    code, _, err = run_cli(capsys, monkeypatch, "accept", "--kind", "withdrawn", "--list", str(path))
    assert code == 0 and "review-only" in err
    assert run_cli(capsys, monkeypatch, "ignore", "date-4", "--reason", "typo on purpose", str(path))[0] == 0
    assert statuses(url, path) == {"title-4": "accepted", "date-4": "ignored", "link-15": "open",
                                   "withdrawn-10": "accepted"}
    assert run_cli(capsys, monkeypatch, "reopen", "date", str(path))[0] == 0
    assert statuses(url, path)["date-4"] == "open"


def test_unknown_id_is_a_usage_error(setup, capsys, monkeypatch):
    path, _ = setup
    code, out, err = run_cli(capsys, monkeypatch, "accept", "nope", str(path))
    assert code == 2 and err.startswith("diffsync: error:") and "nope" in err and "Traceback" not in err


def test_unchecked_list_says_run_check(tmp_path, capsys, monkeypatch, database_url):
    other = tmp_path / "other.md"
    other.write_bytes(LIST)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    code, _, err = run_cli(capsys, monkeypatch, "findings", str(other))
    assert code == 2 and "run diffsync check" in err


def test_review_over_plain_stdin(setup, capsys, monkeypatch):
    path, url = setup
    # Sorted order: withdrawn, title, date, link.
    code, out, err = run_cli(capsys, monkeypatch, "review", str(path), stdin="s\na\ni not a typo\nq\n")
    assert code == 0
    assert "list has" in out and "arXiv has" in out and "Modles" in out
    assert statuses(url, path) == {"title-4": "accepted", "date-4": "ignored", "link-15": "open",
                                   "withdrawn-10": "open"}
    assert "1 accepted, 1 ignored, 1 skipped; quit with 1 not shown" in err


def test_review_undo_reopens_the_last_decision_and_shows_it_again(setup, capsys, monkeypatch):
    path, url = setup
    # withdrawn: skip; title: accept, undo, ignore; date: undo (the title's ignore), accept; quit.
    stdin = "s\na\nu\ni on purpose\nu\na\na\nq\n"
    code, out, err = run_cli(capsys, monkeypatch, "review", str(path), stdin=stdin)
    assert code == 0, err
    assert out.count("undone: line 4 (title) is open again") == 2
    assert statuses(url, path) == {"title-4": "accepted", "date-4": "accepted", "link-15": "open",
                                   "withdrawn-10": "open"}
    assert "2 accepted, 0 ignored, 1 skipped; quit with 1 not shown" in err
    code, out, _ = run_cli(capsys, monkeypatch, "review", str(path), stdin="u\nq\n")
    assert "nothing to undo yet" in out


def test_export_diff_then_write_then_second_export_is_a_no_op(setup, capsys, monkeypatch):
    path, url = setup
    run_cli(capsys, monkeypatch, "accept", "--all", str(path))
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--check")
    assert code == 1 and path.read_bytes() == LIST
    assert "+**Denoising Diffusion Probabilistic Models** \\" in out
    assert "+[Submitted on 19 Jun 2020]" in out
    assert "+arxiv 27 Jan 2023 [[Paper](https://arxiv.org/abs/2301.12003)]\\" in out
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write", "--backup")
    assert code == 0, err
    new = path.read_bytes()
    assert b"**Denoising Diffusion Probabilistic Models** \\\r\n" in new
    assert (path.parent / "papers.md.bak").read_bytes() == LIST
    assert b"Caf\xe9 is a Latin-1 byte" in new and new.count(b"\r\n") == LIST.count(b"\r\n")
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--check")
    assert (code, out) == (0, "") and "nothing to change" in err
    assert path.read_bytes() == new


def test_export_refuses_a_list_changed_since_the_check(setup, capsys, monkeypatch):
    path, _ = setup
    run_cli(capsys, monkeypatch, "accept", "--all", str(path))
    path.write_bytes(LIST + b"\r\n")
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
    assert code == 3 and "list changed since the last check; run diffsync check" in err
    assert path.read_bytes() == LIST + b"\r\n"


def test_export_formats(setup, capsys, monkeypatch, tmp_path):
    path, _ = setup
    code, out, _ = run_cli(capsys, monkeypatch, "export", str(path), "--format", "json")
    entries = json.loads(out)["entries"]
    assert entries[0]["title"] == DDPM.title and entries[0]["listed"]["title"].endswith("Modles")
    code, _, err = run_cli(capsys, monkeypatch, "export", str(path), "--format", "bibtex", "-o", "p.bib")
    bib = (tmp_path / "p.bib").read_text()
    assert code == 0 and "@misc{ho2020denoising," in bib and "eprint        = {2006.11239}" in bib
    assert bib.count("eprint        = {2006.11239}") == 1  # listed twice, cited once
    code, _, err = run_cli(capsys, monkeypatch, "export", str(path), "--format", "yaml")
    assert code == 2 and "json, csv, bibtex" in err


def test_review_shows_the_entrys_markdown_and_the_exact_edit(setup, capsys, monkeypatch):
    path, _ = setup
    code, out, _ = run_cli(capsys, monkeypatch, "review", str(path), stdin="s\ns\ns\ns\n")
    assert code == 0
    screens = out.split("\n[")
    title = next(s for s in screens if "title · line 4" in s)
    # the title line as the fix rewrites it, the other lines of the entry as written
    assert "- **Denoising Diffusion Probabilistic Modles** \\\n" in title
    assert "+ **Denoising Diffusion Probabilistic Models** \\\n" in title
    assert "  *Jonathan Ho<sup>1</sup>, Ajay Jain, Pieter Abbel* \\\n" in title
    withdrawn = next(s for s in screens if "withdrawn · line 10" in s)  # review-only: no -/+ lines
    entry = withdrawn.split("in the list:\n")[1].split("fix      :")[0].splitlines()
    assert entry and all(line.startswith("  ") for line in entry)
    assert "\x1b[" not in out  # piped: no screen clearing


def test_one_finding_per_screen_on_a_terminal():
    import io
    from diffsync.review.walk import review_findings
    from helpers.export import finding
    from diffsync.models import Kind
    out = io.StringIO()
    found = [finding(Kind.TITLE, 4, "A"), finding(Kind.DATE, 4, "2020-06-19")]
    review_findings(found, lambda *a: None, input=io.StringIO("s\ns\n"), output=out, one_per_screen=True)
    assert out.getvalue().count("\x1b[H\x1b[2J") == 2
