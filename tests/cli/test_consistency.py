"""CLI consistency: add takes LIST after the IDs as accept does and checks --under before
asking arXiv; a missing default list says how a list is chosen; a bad --cron is the flag's
error; -v says each phase and each request with its size and time."""

from __future__ import annotations

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.builders import without_entry
from helpers.cli import run_cli


@pytest.fixture
def world(tmp_path, fake_env):
    with fake_env(example_papers()) as fake:
        (tmp_path / "list.md").write_bytes(without_entry(EXAMPLE_LIST.read_bytes(), "2208.12242"))
        yield fake


def test_add_takes_the_list_after_the_ids(world, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "add", "2208.12242", "list.md", "--under", "Odds and ends")
    assert code == 0, err
    assert "+**DreamBooth" in out and "would add 2208.12242" in err


def test_add_refuses_a_wrong_heading_before_any_request(world, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "add", "2208.12242", "list.md", "--under", "No Such Heading")
    assert code == 2 and 'no heading "No Such Heading"' in err
    code, _, err = run_cli(capsys, monkeypatch, "-v", "add", "2208.12242", "list.md", "--under", "Nope")
    assert code == 2 and "arXiv request" not in err


def test_no_list_says_how_a_list_is_chosen(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)
    monkeypatch.delenv("DIFFSYNC_LIST_PATH", raising=False)
    for args in (["check"], ["add", "2208.12242", "--under", "x"], ["lint"], ["entries"]):
        code, _, err = run_cli(capsys, monkeypatch, *args)
        assert code == 3, (args, err)
        assert "no LIST was given" in err and "[list] path" in err and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []  # and nothing was created


def test_reading_commands_in_an_empty_folder_create_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("DIFFSYNC_CONFIG", "DIFFSYNC_DATABASE_URL", "DIFFSYNC_LIST_PATH"):
        monkeypatch.delenv(key, raising=False)
    for args in (["status"], ["status", "--json"], ["findings"], ["entries"], ["findings", "--json"]):
        code, _, err = run_cli(capsys, monkeypatch, *args)
        assert code in (0, 2, 3) and "Traceback" not in err, (args, err)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_cron_flag_is_named_as_the_flag(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_bytes(EXAMPLE_LIST.read_bytes())
    code, _, err = run_cli(capsys, monkeypatch, "daemon", "list.md", "--once", "--cron", "99 * * * *")
    assert code == 2 and "--cron" in err and "config" not in err.split("(see")[0]


def test_verbose_says_each_phase_and_each_request(world, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "-v", "check", "list.md", "--format", "concise")
    assert code == 1, err
    requests = [line for line in err.splitlines() if line.startswith("diffsync: arXiv request ")]
    assert requests and all("-> HTTP 200, " in line and " in " in line for line in requests)
    assert requests[0].startswith("diffsync: arXiv request 1: 12 IDs -> HTTP 200, ")
    for phase in ("read list.md: done in", "fetch from arXiv (12 papers listed): done in",
                  "compare list.md with arXiv and record the findings: done in"):
        assert f"diffsync: {phase}" in err
    assert "setup plugin" not in err and "warning: arXiv request" not in err
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "concise")
    assert "arXiv request" not in err and "done in" not in err  # without -v: quiet
