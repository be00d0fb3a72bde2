"""QA: while arXiv fails, the user hears about each retry (an unreachable arXiv was
two silent minutes of backoff at the default settings)."""

from __future__ import annotations

import logging

import httpx
import pytest
from rich.console import Console

from diffsync.errors import ApiError
from diffsync.check import pipeline  # diffsync check imports run_check from here when it runs
from helpers.mock_arxiv import IDS
from helpers.cli import run_cli


def test_each_retry_is_logged_with_reason_wait_and_try(run, caplog):
    caplog.set_level(logging.WARNING, logger="diffsync.arxivapi.client")
    result, mock, _ = run(IDS[:5], script=[httpx.Response(503), httpx.ConnectError("refused")])
    assert len(result.records) == 5 and len(mock.calls) == 3
    notes = [r.getMessage() for r in caplog.records if r.name == "diffsync.arxivapi.client"]
    assert len(notes) == 2
    assert notes[0].startswith("arXiv: HTTP 503; retrying in ") and notes[0].endswith("(try 2 of 4)")
    assert "connection failed (ConnectError)" in notes[1] and notes[1].endswith("(try 3 of 4)")


def test_no_notice_when_the_first_try_answers(run, caplog):
    caplog.set_level(logging.WARNING, logger="diffsync.arxivapi.client")
    run(IDS[:5])
    assert [r for r in caplog.records if r.name == "diffsync.arxivapi.client"] == []


@pytest.mark.parametrize("terminal", [True, False])
def test_check_shows_each_retry_on_a_terminal_and_when_piped(tmp_path, capsys, monkeypatch, terminal):
    # A CI log too must see why a check waits: two silent minutes look like a hang.
    (tmp_path / "list.md").write_text("**A Title** \\\n*Ann Author*\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: terminal))

    def retrying(*args, **kwargs):
        logging.getLogger("diffsync.arxivapi.client").warning("arXiv: HTTP 503; retrying in 5.0 s (try 2 of 6)")
        raise KeyboardInterrupt  # enough: the notice must already be out

    monkeypatch.setattr(pipeline, "run_check", retrying)
    code, out, err = run_cli(capsys, monkeypatch, "check", "--json", "list.md")
    assert out == ""
    assert "diffsync: warning: arXiv: HTTP 503; retrying in 5.0 s (try 2 of 6)" in err.splitlines()
    code, out, err = run_cli(capsys, monkeypatch, "-q", "check", "--json", "list.md")
    assert "retrying" not in err  # --quiet: errors only


def test_unreachable_arxiv_suggests_offline_and_a_mirror(tmp_path, capsys, monkeypatch):
    (tmp_path / "list.md").write_text("**A Title** \\\n*Ann Author*\n")
    monkeypatch.chdir(tmp_path)

    def unreachable(*args, **kwargs):
        raise ApiError("arXiv API unreachable at https://export.arxiv.org/api/query: connection failed")

    monkeypatch.setattr(pipeline, "run_check", unreachable)
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md")
    assert code == 3 and err.count("\n") == 1
    assert "--offline" in err and "DIFFSYNC_ARXIV_URL" in err
