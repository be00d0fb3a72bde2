"""Start-up: the commands that need no database, network or table import none of that stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers.paths import FIXTURES

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "httpx", "rich", "lxml", "apscheduler")
PROBE = """
import json, runpy, sys
sys.argv = ["diffsync", *json.loads(sys.argv[1])]
try:
    runpy.run_module("diffsync", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def loaded(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=120)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["check", "--help"], ["export", "--help"]])
def test_help_and_version_import_no_database_network_or_rich(args):
    assert not loaded(*args) & set(HEAVY)


def test_entries_as_json_imports_no_database_network_or_rich(tmp_path):
    listed = tmp_path / "list.md"
    listed.write_bytes((FIXTURES / "lists" / "variants.md").read_bytes().decode("utf-8", "replace")
                       .encode("utf-8"))
    assert not loaded("entries", str(listed), "--json") & set(HEAVY)


@pytest.mark.e2e  # a real process or server
def test_check_still_loads_what_it_needs():
    assert {"sqlalchemy", "httpx"} <= loaded("check", "--offline", "/nonexistent/list.md")
