"""End to end: check -> accept all -> export --write -> check: drift gone, final export a no-op.

Runs the real CLI in-process against the project's fake arXiv on 127.0.0.1.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from diffsync.models import FIXABLE_KINDS
from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers
from diffsync.listfile.parse import parse_list
from diffsync.models import PaperRecord
from helpers.cli import run_cli
from helpers import paths

pytestmark = pytest.mark.e2e

FIXTURES = EXAMPLE_DIR
SHARED = paths.SHARED_LISTS
REAL_LIST = SHARED / "one-sentence-diffusion-summary.md"
FIXABLE = {k.value for k in FIXABLE_KINDS}


def open_fixable(capsys, monkeypatch, lst):
    code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json")
    assert code in (0, 1), err
    return [f for f in json.loads(out)["findings"] if f["status"] == "open" and f["kind"] in FIXABLE]


def round_trip(capsys, monkeypatch, lst, rounds=3):
    """Accept everything and write it back until no fixable finding stays open."""
    original = lst.read_bytes()
    for _ in range(rounds):
        if not open_fixable(capsys, monkeypatch, lst):
            break
        assert run_cli(capsys, monkeypatch, "accept", "--all", str(lst))[0] == 0
        code, _, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0, err
    assert open_fixable(capsys, monkeypatch, lst) == []
    code, out, err = run_cli(capsys, monkeypatch, "export", str(lst), "--check")
    assert (code, out) == (0, ""), err
    return original, lst.read_bytes()


@pytest.fixture
def env(tmp_path, fake_env):
    """The test's folder, set up by ``fake_env`` (whose arXiv each test starts itself)."""
    return tmp_path


@pytest.fixture
def fixture_list(tmp_path, fake_env):
    """The planted-drift fixture list in ``env``, its papers served by a running fake arXiv."""
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    with fake_env(example_papers()):
        yield lst


def test_fixture_list_converges_and_touches_only_drifted_lines(fixture_list, capsys, monkeypatch):
    before, after = round_trip(capsys, monkeypatch, fixture_list)
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(changed) == 8  # two titles, authors, date, wrong_id, missing_id, link, venue
    assert b"[[Paper](https://arxiv.org/abs/2207.12598)]" in after
    assert b"[[Paper](https://arxiv.org/abs/2208.11970)]" in after
    # the placeholder venue became the one arXiv's comment states, links kept
    assert b"CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)]" in after


def _drifted(entry, i: int) -> PaperRecord:
    """arXiv's side for a real entry, with drift planted on some of them."""
    published = datetime(entry.date.year if entry.date else 2022, entry.date.month if entry.date else 6,
                         entry.date.day if entry.date else 1, tzinfo=timezone.utc)
    rec = PaperRecord(arxiv_id=entry.arxiv_id, version=1, title=entry.title, authors=entry.authors,
                      published=published, updated=published, categories=("cs.CV",))
    if i % 3 == 0:
        rec = replace(rec, title=entry.title + " and Beyond")
    if i % 4 == 0 and entry.authors:
        rec = replace(rec, authors=entry.authors + ("Quinn Extraauthor",))
    if i % 5 == 0 and entry.date:
        rec = replace(rec, published=published - timedelta(days=400), updated=published)
    return rec


@pytest.mark.skipif(not REAL_LIST.is_file(), reason="the reference list is not present")
def test_real_list_with_planted_drift_converges_byte_exactly(env, fake_env, capsys, monkeypatch):
    data = REAL_LIST.read_bytes()
    all_entries = [e for e in parse_list(data).entries if e.arxiv_id]
    entries = {e.arxiv_id: e for e in all_entries}
    papers = [_drifted(e, i) for i, e in enumerate(entries.values())]
    lst = env / "list.md"
    lst.write_bytes(data)
    with fake_env(papers, check_search="false"):
        before, after = round_trip(capsys, monkeypatch, lst)
    assert after != before
    # Lines without a title, author or date of a drifted paper are byte-identical (mojibake included).
    drifted = {e.arxiv_id for i, e in enumerate(entries.values()) if i % 3 == 0 or i % 4 == 0 or i % 5 == 0}
    touched = {e.line for e in all_entries if e.arxiv_id in drifted}  # every copy of a drifted paper
    old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
    for n, (a, b) in enumerate(zip(old_lines, new_lines), start=1):
        if a != b:
            assert any(t <= n <= t + 4 for t in touched), f"line {n} changed"


def test_decisions_and_export_report_as_json(fixture_list, capsys, monkeypatch):
    lst = fixture_list
    code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json")
    title = next(f for f in json.loads(out)["findings"] if f["kind"] == "title" and f["line"] == 20)
    code, out, err = run_cli(capsys, monkeypatch, "accept", title["id"][:6], "--list", str(lst), "--json")
    assert code == 0, err
    assert [(f["id"], f["status"]) for f in json.loads(out)["changed"]] == [(title["id"], "accepted")]
    code, out, err = run_cli(capsys, monkeypatch, "export", str(lst), "--json")
    plan = json.loads(out)
    assert code == 0 and plan["written"] is False
    assert [(e["line"], e["old"], e["new"]) for e in plan["edits"]] == [
        (20, title["listed"], title["suggestion"])]
    assert plan["diff"].startswith("--- a/")
    assert lst.read_bytes() == (FIXTURES / "list.md").read_bytes()
