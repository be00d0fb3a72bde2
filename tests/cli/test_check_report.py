"""``check --report FILE``: the daemon's review report from a real check of the bundled
example list against the fake arXiv; the commands it prints work as printed, and it
never replaces the list, the database or a file diffsync did not write."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest

from diffsync.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers

pytestmark = pytest.mark.e2e


@pytest.fixture
def work(tmp_path, fake_env):
    """A folder with docs/list.md (not the default list) and the environment to check it
    (``fake_env``'s, with the database in the file d.db: a test names it), and the fake."""
    with fake_env(example_papers(), database_url=f"sqlite:///{tmp_path / 'd.db'}") as fake:
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "list.md").write_bytes(EXAMPLE_LIST.read_bytes())
        yield tmp_path, fake


@pytest.fixture
def fake(work):
    return work[1]


def diffsync(args: list[str], work, **env: str) -> subprocess.CompletedProcess:
    """``diffsync ARGS`` in a process of its own, in the work folder, with its environment."""
    folder, _ = work
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=folder, timeout=120)


def printed_command(code: str) -> list[str]:
    """A command the report prints, as argv for this interpreter."""
    argv = shlex.split(code)
    assert argv[0] == "diffsync"
    return argv[1:]


def test_report_is_written_and_the_commands_it_prints_work(work):
    folder, _ = work
    first = diffsync(["check", "docs/list.md", "--report", "docs/report.md"], work)
    assert first.returncode == EXIT_FINDINGS, first.stderr
    assert "wrote the review report to docs/report.md" in first.stderr
    md = (folder / "docs" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# diffsync review: list.md\n")
    # the list is not the default one, so every command names it
    assert "`diffsync review docs/list.md`" in md and "`diffsync export docs/list.md`" in md
    title_row = next(line for line in md.splitlines() if line.startswith("| [20](list.md?plain=1#L20)"))
    assert "Elucidating the Design Space of <del>Diffusion</del> <ins>Diffusion-Based Generative</ins> Models" in title_row
    missing_row = next(line for line in md.splitlines() if line.startswith("| [47]"))
    assert "| Improved Denoising Diffusion Probabilistic Models |" in missing_row  # not "title:improved…"
    assert "[2102.09672](https://arxiv.org/abs/2102.09672)" in missing_row

    # The printed accept command, with the row's ID (its last column) in place of ID.
    title_id = re.search(r"`(\w+)` \|$", title_row).group(1)
    accept = re.search(r"`(diffsync accept ID docs/list\.md)`", md).group(1).replace(" ID ", f" {title_id} ")
    done = diffsync(printed_command(accept), work)
    assert done.returncode == EXIT_OK, done.stderr
    venue_row = next(line for line in md.splitlines() if line.startswith("| [74]"))
    venue_id = re.search(r"`(\w+)` \|$", venue_row).group(1)
    ignore = re.search(r"`(diffsync ignore ID docs/list\.md --reason REASON)`", md).group(1)
    ignore = ignore.replace(" ID ", f" {venue_id} ").replace("REASON", "'the workshop | version'")
    assert diffsync(printed_command(ignore), work).returncode == EXIT_OK

    # the same file again (a report diffsync wrote is replaced), now showing the decisions
    again = diffsync(["check", "docs/list.md", "--report", "docs/report.md"], work)
    assert again.returncode == EXIT_FINDINGS, again.stderr
    md = (folder / "docs" / "report.md").read_text(encoding="utf-8")
    assert "| [20](" not in md  # accepted: no longer open
    ignored = next(line for line in md.splitlines() if line.startswith("| [74]"))
    assert r"the workshop \| version" in ignored and f"`diffsync reopen {venue_id} docs/list.md`" in ignored
    export = re.search(r"`(diffsync export docs/list\.md)`", md).group(1)
    shown = diffsync(printed_command(export), work)
    assert shown.returncode == EXIT_OK and "+**Elucidating the Design Space of Diffusion-Based" in shown.stdout

    as_json = diffsync(["check", "docs/list.md", "--offline", "--report", "report.json"], work)
    assert as_json.returncode == EXIT_FINDINGS, as_json.stderr
    doc = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert [f["reason"] for f in doc["ignored"]] == ["the workshop | version"]
    assert doc["counts"]["open"] == len(doc["findings"]) > 0


@pytest.mark.parametrize("target", ["docs/list.md", "d.db", "notes.md"])
def test_report_never_replaces_the_list_the_database_or_another_file(work, fake, target):
    folder, _ = work
    assert diffsync(["check", "docs/list.md"], work).returncode == EXIT_FINDINGS
    (folder / "notes.md").write_text("# my notes\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (folder / "docs" / "list.md", folder / "d.db", folder / "notes.md")}
    requests = len(fake.log)
    refused = diffsync(["check", "docs/list.md", "--report", target], work)
    assert refused.returncode == EXIT_USAGE
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith(f"diffsync: error: {target}: ")
    assert "Traceback" not in refused.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert len(fake.log) == requests  # refused before anything was checked


def test_daemon_refuses_a_report_path_that_is_the_list_before_its_first_run(work, fake):
    folder, _ = work
    before = (folder / "docs" / "list.md").read_bytes()
    refused = diffsync(["daemon", "docs/list.md", "--once"], work, DIFFSYNC_REPORT_PATH="docs/list.md")
    assert refused.returncode == EXIT_USAGE
    assert refused.stderr.startswith("diffsync: error: ") and refused.stderr.count("\n") == 1
    assert refused.stderr.endswith("docs/list.md: is the list itself; [report] path writes a "
                                   "derived file, choose another path\n")
    assert (folder / "docs" / "list.md").read_bytes() == before and fake.log == []


def test_a_failed_check_writes_a_report_that_says_so_with_the_last_good_findings(work):
    folder, _ = work
    good = diffsync(["check", "docs/list.md", "--report", "docs/report.md"], work)
    assert good.returncode == 1, good.stderr
    failed = diffsync(["check", "docs/list.md", "--report", "docs/report.md"], work,
                      DIFFSYNC_ARXIV_URL="http://127.0.0.1:9/api/query", DIFFSYNC_ARXIV_MAX_RETRIES="1")
    assert failed.returncode == 3
    assert failed.stderr.strip().splitlines()[-1].startswith("diffsync: error: arXiv API unreachable")
    assert "wrote the review report of the failed check to docs/report.md" in failed.stderr
    md = (folder / "docs" / "report.md").read_text(encoding="utf-8")
    assert "failed" in md.lower() and "These findings are from the last good check" in md
    assert "| [41](" in md  # the last good check's findings, with their line links
    # A check that fails before it starts (the list is gone) has nothing new to say.
    (folder / "docs" / "list.md").unlink()
    gone = diffsync(["check", "docs/list.md", "--report", "docs/report.md"], work)
    assert gone.returncode == 3 and (folder / "docs" / "report.md").read_text(encoding="utf-8") == md
