"""QA: while arXiv fails, the user hears about each retry (an unreachable arXiv was
two silent minutes of backoff at the default settings)."""

from __future__ import annotations

import logging

import httpx
import pytest
from rich.console import Console

from diffsync import pipeline  # diffsync check imports run_check from here when it runs
from helpers.mock_arxiv import IDS
from helpers.export import run_cli


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
def test_check_shows_retry_notices_on_a_terminal_only(tmp_path, capsys, monkeypatch, terminal):
    # A script or CI log keeps exactly one error line per failure.
    (tmp_path / "list.md").write_text("**A Title** \\\n*Ann Author*\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: terminal))

    def retrying(*args, **kwargs):
        logging.getLogger("diffsync.arxivapi.client").warning("arXiv: HTTP 503; retrying in 5.0 s (try 2 of 6)")
        raise KeyboardInterrupt  # enough: the notice must already be out

    monkeypatch.setattr(pipeline, "run_check", retrying)
    code, out, err = run_cli(capsys, monkeypatch, "check", "--json", "list.md")
    assert out == ""
    notice = "diffsync: warning: arXiv: HTTP 503; retrying in 5.0 s (try 2 of 6)"
    assert (notice in err.splitlines()) is terminal
    assert ("retrying" in err) is terminal  # not even Python's bare last-resort line
