"""Venue fixes on the real lists: accepted, exported, resolved by the next check.

arXiv's side is each paper as the list states it, plus an acceptance planted in the
comment of some entries: on placeholder venues ("arXiv 2023." -> fixable), on a
workshop entry and on an entry naming another venue (both review-only, saying why).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from diffsync.drift.venues import is_placeholder
from diffsync.fake_arxiv import FakeArxiv
from diffsync.listfile.parse import parse_list
from helpers import paths
from helpers.cli import run_cli
from helpers.writeback_trust import real_list_papers

pytestmark = pytest.mark.e2e

LISTS = [paths.SHARED_LISTS / "one-sentence-diffusion-summary.md",
         paths.SHARED_LISTS / "diff-usion-awesome-diffusion-models.md"]


def _planted(data: bytes):
    papers = real_list_papers(data)
    entries = [e for e in parse_list(data).entries if e.arxiv_id in papers and e.date]
    placeholders = [e for e in entries if is_placeholder(e.venue)][::7][:40]
    for e in placeholders:
        papers[e.arxiv_id] = replace(papers[e.arxiv_id], comment=f"Accepted to ICCV {e.date.year}. 9 pages")
    own = [e for e in entries if e.venue and not is_placeholder(e.venue)][:3]
    for e in own:  # the entry's own venue text: "NeurIPS 2022 Workshop.", "CVPR 2023."
        papers[e.arxiv_id] = replace(papers[e.arxiv_id], journal_ref=f"TPAMI {e.date.year + 1}")
    return papers, {e.arxiv_id for e in placeholders}, {e.arxiv_id for e in own}


@pytest.mark.parametrize("source", LISTS, ids=lambda p: p.name.split("-")[0])
def test_venue_fixes_export_cleanly_and_the_next_check_resolves_them(source, tmp_path, monkeypatch, capsys,
                                                                      database_url):
    if not source.is_file():
        pytest.skip("the real list is not present")
    data = source.read_bytes()
    papers, fixable, own = _planted(data)
    lst = tmp_path / "list.md"
    lst.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    with FakeArxiv(papers.values()) as fake:
        for key, value in {"DATABASE_URL": database_url, "ARXIV_URL": fake.url, "ARXIV_DELAY": "0.01"}.items():
            monkeypatch.setenv("DIFFSYNC_" + key, value)
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        venues = [f for f in json.loads(out)["findings"] if f["kind"] == "venue"]
        with_fix = {f["arxiv_id"] for f in venues if f["fix"]}
        assert with_fix >= fixable and not with_fix & own
        assert all("review by hand: the entry's venue text" in f["message"]
                   for f in venues if f["arxiv_id"] in own)
        code, _, err = run_cli(capsys, monkeypatch, "accept", "--kind", "venue", "--list", str(lst))
        assert code == 0, err
        code, diff, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0, err
        changed = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
        # one line per copy of each paper (a paper listed twice has a finding per copy)
        assert len(changed) == sum(1 for f in venues if f["fix"]) and all("ICCV 20" in line for line in changed)
        assert "review-only, nothing to write" in err  # the entries' own venues: handled, untouched
        new = lst.read_bytes()
        # only placeholder venue text changed: put "arXiv" back and the list is the original
        assert len(new.splitlines()) == len(data.splitlines())
        for was, now in zip(data.splitlines(), new.splitlines()):
            if was != now:
                assert re.sub(rb"ICCV \d{4}", b"V", now, count=1) == \
                    re.sub(rb"(?i)(?:arxiv(?: preprint)?|preprint)(?:,? ?\d{4})?", b"V", was, count=1)
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        left = {f["arxiv_id"] for f in json.loads(out)["findings"] if f["kind"] == "venue"
                and f["status"] == "open"}
        assert not left & with_fix
        code, diff, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0 and diff == "" and lst.read_bytes() == new  # idempotent
