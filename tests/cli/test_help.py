"""Every command explains itself and is documented in the README."""

from __future__ import annotations


import pytest
from typer.main import get_command
from typer.testing import CliRunner

from diffsync.cli import app
from helpers import paths

README = (paths.REPO / "README.md").read_text(encoding="utf-8")


def _commands(group=None, prefix=()):
    group = group or get_command(app)
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,)


COMMANDS = sorted(_commands())


def test_there_are_commands():
    assert ("check",) in COMMANDS and ("db", "upgrade") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_has_help_and_readme_entry(command):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    usage, _, rest = result.output.partition("\n\n")
    assert "Usage: " in usage
    assert len(rest.strip().splitlines()[0]) > 10  # a real one-line description
    assert f"diffsync {' '.join(command)}" in README, f"README does not mention {command}"
