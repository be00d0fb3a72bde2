"""Global options work before or after the subcommand; -q, -v, --version; hints for misplaced options."""

from __future__ import annotations

import json

import pytest

from diffsync import __version__
from helpers.cli import run_cli


def test_config_after_the_subcommand_is_the_global_option(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text("**A** \\\n*B*\n", encoding="utf-8")
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--config", "x.toml")
    assert code == 2 and err == "diffsync: error: x.toml: config file not found\n"
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--config=x.toml")
    assert code == 2 and "x.toml: config file not found" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_database_url_anywhere_on_every_command(setup, tmp_path, capsys, monkeypatch, where):
    path, url = setup
    monkeypatch.delenv("DIFFSYNC_DATABASE_URL")
    opt = ["--database-url", url]
    for cmd in (["findings", "--json", str(path)], ["status", "--json"], ["export", str(path)]):
        args = opt + cmd if where == "before" else cmd + opt
        code, out, err = run_cli(capsys, monkeypatch, *args)
        assert code in (0, 1), (args, err)
    assert json.loads(run_cli(capsys, monkeypatch, *(["findings", "--json"] + opt))[1])["findings"]


def test_a_commands_own_flag_wins_over_the_global_one(setup, tmp_path, capsys, monkeypatch):
    path, url = setup
    code, _, err = run_cli(capsys, monkeypatch, "--database-url", "sqlite:///nowhere/x.db",
                           "findings", str(path), "--database-url", url)
    assert code in (0, 1), err


def test_quiet_keeps_errors_and_drops_everything_else(setup, capsys, monkeypatch):
    path, _ = setup
    code, _, err = run_cli(capsys, monkeypatch, "accept", "--kind", "title", str(path), "-q")
    assert code == 0 and err == ""
    code, _, err = run_cli(capsys, monkeypatch, "-q", "accept", "nosuchid", str(path))
    assert code == 2 and err.startswith("diffsync: error:") and err.count("\n") == 1


def test_version(capsys, monkeypatch):
    assert run_cli(capsys, monkeypatch, "--version")[:2] == (0, f"diffsync {__version__}\n")


@pytest.mark.parametrize("args, hint", [
    (["findings", "--offline"], "it is an option of diffsync check"),
    (["findings", "--confg", "x"], "did you mean --config?"),
    (["check", "--jsn"], "did you mean --json?"),
])
def test_misplaced_or_mistyped_options_get_a_hint(tmp_path, capsys, monkeypatch, args, hint):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, monkeypatch, *args)
    assert code == 2 and err.count("\n") == 1 and hint in err
