"""QA: `diffsync review` over whatever stdin a user or a script gives it."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from diffsync.listfile.parse import parse_list
from diffsync.models import Kind, Status
from diffsync.store.store import Store
from helpers.db import query_rows
from helpers.cli import run_cli
from helpers.export import DDPM, LIST, finding


@pytest.fixture
def checked(tmp_path, monkeypatch, database_url):
    """A list with one open title finding, as `diffsync check` leaves it."""
    path = tmp_path / "papers.md"
    path.write_bytes(LIST)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    found = replace(finding(Kind.TITLE, 4, DDPM.title), status=Status.OPEN, listed="Denoising Modles")
    with Store.open(database_url) as store:
        list_id = store.list_id(str(path))
        store.save_entries(list_id, parse_list(LIST, str(path)))
        store.save_records([DDPM], datetime(2024, 5, 1, tzinfo=timezone.utc))
        store.sync_findings(list_id, [found], now=datetime(2024, 5, 1, tzinfo=timezone.utc))
    return path, database_url


def _title_finding(url, path):
    with Store.open(url) as store:
        return store.findings(store.list_id(str(path)))[0]


def _review(capsys, monkeypatch, path, stdin):
    monkeypatch.setattr(sys, "argv", ["diffsync", "review", str(path)])
    monkeypatch.setattr(sys, "stdin", stdin)
    from diffsync.cli import main
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    return (code, *capsys.readouterr())


def test_closed_stdin_ends_the_review_like_end_of_input(checked, capsys, monkeypatch):
    path, url = checked
    code, out, err = _review(capsys, monkeypatch, path, None)  # `diffsync review <&-`
    assert code == 0, err
    assert "internal error" not in err and "quit with 1 not shown" in err
    assert _title_finding(url, path).status is Status.OPEN


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_undecodable_answer_bytes_are_replaced_not_a_crash(checked, capsys, monkeypatch, errors):
    path, url = checked
    stdin = io.TextIOWrapper(io.BytesIO(b"i caf\xe9 typo\n"), encoding="utf-8", errors=errors)
    code, out, err = _review(capsys, monkeypatch, path, stdin)
    assert code == 0, err
    assert _title_finding(url, path).status is Status.IGNORED
    assert query_rows(url, "SELECT reason FROM findings") == [("caf\ufffd typo",)]


def test_garbage_answers_get_help_then_quit_keeps_nothing(checked, capsys, monkeypatch):
    path, url = checked
    code, out, err = run_cli(capsys, monkeypatch, "review", str(path), stdin="zzz\n???\nq\n")
    assert code == 0
    assert out.count("a = accept") == 2
    assert _title_finding(url, path).status is Status.OPEN


def test_an_undecodable_reason_argument_is_stored_with_a_replacement(checked, capsys, monkeypatch):
    path, url = checked  # argv bytes that are not UTF-8 arrive as lone surrogates
    code, _, err = run_cli(capsys, monkeypatch, "ignore", "title", "--reason", "caf\udce9", str(path))
    assert code == 0, err
    assert query_rows(url, "SELECT status, reason FROM findings") == [("ignored", "caf\ufffd")]
