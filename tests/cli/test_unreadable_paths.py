"""Issue 25, item 6: an unreadable list exits 3 as documented; an over-long path is one line, exit 2 or 3."""

from __future__ import annotations

import os

import pytest

from helpers.cli import run_cli

LONG = "a" * 5000


@pytest.fixture
def env(cli_folder):
    return cli_folder


COMMANDS = [["check", "{list}", "--offline"], ["lint", "{list}"], ["daemon", "--once", "{list}"],
            ["add", "2006.11239", "--list", "{list}"]]


def _args(cmd, path):
    return [a.replace("{list}", str(path)) for a in cmd]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_a_list_the_os_refuses_to_open_exits_3(env, capsys, monkeypatch, cmd):
    lst = env / "list.md"
    lst.write_text("**T** \\\n*A B* \\\n[[Paper](https://arxiv.org/abs/2006.11239)] \\\n1 Jan 2020\n")
    real_open = os.open

    def refusing(path, *a, **kw):  # what chmod 000 does to anyone but root
        if os.fspath(path).endswith("list.md"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(os, "open", refusing)
    code, out, err = run_cli(capsys, monkeypatch, *_args(cmd, lst))
    lines = [l for l in err.splitlines() if "error" in l.lower()]
    assert code == 3 and lines and "permission denied" in lines[-1].lower(), err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("cmd", COMMANDS + [["check", "x.md", "--config", "{list}"],
                                            ["check", "{list}", "--report", "{list}.md"]],
                         ids=lambda c: "-".join(c[:3]))
def test_an_over_long_path_is_one_line_exit_2_or_3(env, capsys, monkeypatch, cmd):
    code, out, err = run_cli(capsys, monkeypatch, *_args(cmd, env / (LONG + ".md")))
    assert code in (2, 3), err
    assert "internal error" not in err and "Traceback" not in err
    errors = [l for l in err.splitlines() if "error" in l.lower()]  # the daemon logs it
    assert len(errors) == 1 and len(errors[0]) < 400, err
    assert all(len(l) < 400 for l in err.splitlines()), err
