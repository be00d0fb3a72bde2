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


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_help_ends_with_an_example_that_parses(command):
    """The last paragraph of the description is `Example:  diffsync …`, and that command
    line names this command (and only options it has)."""
    cmd = get_command(app)
    for name in command:
        cmd = cmd.commands[name]
    last = cmd.help.strip().split("\n\n")[-1].strip()
    assert last.startswith(("Example:", "Examples:")), last
    example = last.split(":", 1)[1].split("|")[0].split()
    assert example[:1 + len(command)] == ["diffsync", *command], example
    own = {o for p in cmd.params for o in getattr(p, "opts", [])} | {"--database-url", "--config", "-v", "-q"}
    assert all(word in own for word in example if word.startswith("-")), example
