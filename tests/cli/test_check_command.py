"""End to end: the fixture list with planted drift, checked against the
project's fake arXiv server over real HTTP, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers

FIXTURES = EXAMPLE_DIR
PAPERS = example_papers()

pytestmark = pytest.mark.e2e

# (kind, title of the entry, arxiv_id, suggestion): everything planted in list.md.
EXPECTED = {
    ("title", "Elucidating the Design Space of Diffusion Models", "2206.00364",
     "Elucidating the Design Space of Diffusion-Based Generative Models"),
    ("authors", "Denoising Diffusion Implicit Models", "2010.02502", None),
    ("date", "High-Resolution Image Synthesis with Latent Diffusion Models", "2112.10752", None),
    ("wrong_id", "Classifier-Free Diffusion Guidance", "2105.05233", "2207.12598"),
    ("missing_id", "Improved Denoising Diffusion Probabilistic Models", None, "2102.09672"),
    ("link", "Understanding Diffusion Models: A Unified Perspective", "2208.11970", None),
    ("not_found", "A Paper That Never Was", "2301.99999", None),
    ("new_version", "Diffusion Models in Vision: A Survey", "2209.04747", None),
    ("venue", "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation",
     "2208.12242", None),
    ("withdrawn", "Diffusion Probabilistic Fields", "2303.00165", None),
    ("duplicate", "SR3: Image Super-Resolution", "2104.07636", None),
    ("title", "SR3: Image Super-Resolution", "2104.07636",
     "Image Super-Resolution via Iterative Refinement"),
}


@pytest.fixture
def fake(fake_env):
    with fake_env(PAPERS, arxiv_max_retries="3") as server:
        yield server


def run(args, env, cwd):
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


@pytest.fixture
def env(fake):
    """The environment of a diffsync process of its own: ``fake_env``'s."""
    return dict(os.environ)


def titles_by_line(list_path: Path) -> dict[int, str]:
    lines = list_path.read_text(encoding="utf-8").splitlines()
    return {i: l.strip().strip("\\").strip().strip("*") for i, l in enumerate(lines, 1)
            if l.strip().startswith("**")}


def findings_of(result, list_path):
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    titles = titles_by_line(list_path)
    return payload, {(f["kind"], titles[f["line"]], f["arxiv_id"],
                      f["suggestion"] if f["kind"] in ("title", "wrong_id", "missing_id") else None)
                     for f in payload["findings"]}


def test_planted_drift_is_found_exactly(tmp_path, env, fake, db_rows):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    first = run(["check", str(lst), "--json"], env, tmp_path)
    payload, found = findings_of(first, lst)
    assert found == EXPECTED
    for f in payload["findings"]:
        assert f["status"] == "open" and f["message"] and f["id"]
    assert payload["summary"]["open"] == len(EXPECTED)
    assert "open findings" in first.stderr

    # Run again: the same findings, the same ids, nothing duplicated in the database.
    second = run(["check", str(lst), "--json"], env, tmp_path)
    payload2, found2 = findings_of(second, lst)
    assert found2 == EXPECTED
    assert {f["id"] for f in payload2["findings"]} == {f["id"] for f in payload["findings"]}
    assert payload2["summary"]["new"] == 0
    assert db_rows("select count(*) from findings") == [(len(EXPECTED),)]

    # arXiv changes a title between runs: a history row, and a new title finding.
    ddpm = next(p for p in PAPERS if p.arxiv_id == "2006.11239")
    fake.update_paper(replace(ddpm, title="Denoising Diffusion Probabilistic Models, Revisited",
                              version=3))
    third = run(["check", str(lst), "--json"], env, tmp_path)
    _, found3 = findings_of(third, lst)
    assert ("title", "Denoising Diffusion Probabilistic Models", "2006.11239",
            "Denoising Diffusion Probabilistic Models, Revisited") in found3
    history = db_rows("select count(*) from paper_history where arxiv_id = '2006.11239'")
    assert history[0][0] >= 1


def test_offline_sends_nothing_and_agrees(tmp_path, env, fake):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    _, online = findings_of(run(["check", str(lst), "--json"], env, tmp_path), lst)
    before = len(fake.log)
    _, offline = findings_of(run(["check", str(lst), "--json", "--offline"], env, tmp_path), lst)
    assert len(fake.log) == before
    assert offline == online


def test_unreachable_api_exits_3_with_one_line(tmp_path, env):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    env = dict(env, DIFFSYNC_ARXIV_URL="http://127.0.0.1:9/api/query",
               DIFFSYNC_ARXIV_MAX_RETRIES="1", DIFFSYNC_ARXIV_TIMEOUT="2")
    result = run(["check", str(lst)], env, tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    *retries, error = result.stderr.strip().splitlines()
    assert retries and all(r.startswith("diffsync: warning: ") and "retrying" in r for r in retries)
    assert error.startswith("diffsync: error: arXiv") and "--offline" in error
    quiet = run(["-q", "check", str(lst)], env, tmp_path)  # scripts that want one line
    assert quiet.returncode == 3 and len(quiet.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01\x02binary\x00" * 50])
def test_bad_list_exits_3_with_one_line(tmp_path, env, content):
    lst = tmp_path / "list.md"
    if content is not None:
        lst.write_bytes(content)
    result = run(["check", str(lst)], env, tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_corrupt_database_is_refused_and_left_alone(tmp_path, env):
    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    db = tmp_path / "corrupt.db"  # SQLite by nature, whichever backend the suite runs on
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    result = run(["check", str(lst)], dict(env, DIFFSYNC_DATABASE_URL=f"sqlite:///{db}"), tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == junk


@pytest.mark.parametrize("faults", [
    ["503:every=2"],
    ["empty_page:first=1", "slow:first=2,seconds=0.3"],
    ["429:first=1,retry_after=0", "not_xml:every=3", "empty_body:every=5"],
])
def test_faults_change_nothing_in_the_findings(tmp_path, env, fake, faults):
    from diffsync.fake_arxiv import Fault

    lst = tmp_path / "list.md"
    lst.write_bytes((FIXTURES / "list.md").read_bytes())
    fake.set_faults([Fault.parse(f) for f in faults])
    env = dict(env, DIFFSYNC_ARXIV_MAX_RETRIES="6", DIFFSYNC_ARXIV_TIMEOUT="5")
    _, found = findings_of(run(["check", str(lst), "--json"], env, tmp_path), lst)
    assert found == EXPECTED
    assert fake.violations() == []
