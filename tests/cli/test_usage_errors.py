"""Usage errors are one line on stderr with exit 2, like every other error."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("args", [
    ("check", "--bogus"), ("nosuch",), ("check", "--max-age", "abc", "x.md"),
    ("check", "--max-age", "-1", "x.md"),
])
def test_usage_error_is_one_line_and_exit_2(args):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diffsync: error: ") and "--help" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bare_command_prints_help():
    result = run()
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: diffsync") and "check" in result.stdout
