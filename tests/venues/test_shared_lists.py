"""Venues on both real lists against the fake arXiv and the fake venue sources (issue 23, "Done when").

The list's own venues are the truth, so a check must find nothing about them;
placeholders planted as published must get a finding with the right fix, and
export writes exactly those fixes.
"""

from __future__ import annotations

import json
import math

import pytest

from diffsync.fake_venues import World
from diffsync.fake_venues.fromlist import world_from_list
from diffsync.listfile.parse import parse_list
from helpers import paths
from helpers.cli import run_cli, serving_venues
from helpers.writeback_trust import real_list_papers

pytestmark = pytest.mark.e2e

LISTS = [paths.SHARED_LISTS / "one-sentence-diffusion-summary.md",
         paths.SHARED_LISTS / "diff-usion-awesome-diffusion-models.md"]


def _listed_differently(data: bytes) -> set[str]:
    texts: dict[str, set[str]] = {}
    for e in parse_list(data).entries:
        if e.arxiv_id:
            texts.setdefault(e.arxiv_id, set()).add((e.venue or "").strip())
    return {i for i, t in texts.items() if len(t) > 1}


@pytest.mark.parametrize("source", LISTS, ids=lambda p: p.name.split("-")[0])
def test_venues_on_a_real_list(source, tmp_path, fake_env, monkeypatch, capsys):
    if not source.is_file():
        pytest.skip("the real list is not present")
    data = source.read_bytes()
    papers = real_list_papers(data)
    titles = {i: (r.title, r.authors, r.published.year) for i, r in papers.items()}
    world, planted = world_from_list(data, titles)
    lst = tmp_path / "list.md"
    lst.write_bytes(data)
    with serving_venues(fake_env, papers.values(), World(world), venues_max_requests="0") as fake:
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        assert code in (0, 1), err
        summary = json.loads(out)["summary"]
        linked = summary["papers"]
        assert fake.requests["semantic_scholar"] == math.ceil(linked / 500)
        assert fake.listings and set(fake.listings.values()) == {1}  # one listing per venue-year
        venues = {f["arxiv_id"]: f for f in json.loads(out)["findings"] if f["kind"] == "venue"}
        # Beyond the planted ones, only papers the list itself names two venues for (one copy
        # "CVPR 2022.", the other "CVPR 2021."): the truth is the first copy's venue.
        extra = {i: venues[i]["message"] for i in set(venues) - set(planted)}
        assert set(extra) <= _listed_differently(data), extra
        assert set(planted) <= set(venues)
        for arxiv_id, plant in planted.items():
            f = venues[arxiv_id]
            assert f["fix"] == plant.fix, (plant, f)
            if plant.fix is None:
                assert "ambiguous" in f["message"] and "Semantic Scholar" in f["message"] and "DBLP" in f["message"]
        assert "venue confirmed for" in err
        asked = dict(fake.requests)

        # a second check within max_age sends no venue request
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        assert fake.requests == asked
        assert {f["arxiv_id"] for f in json.loads(out)["findings"] if f["kind"] == "venue"} == set(venues)

        code, _, err = run_cli(capsys, monkeypatch, "accept", "--kind", "venue", "--list", str(lst))
        assert code == 0, err
        code, diff, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0, err
        new = lst.read_bytes()
        # the next check resolves what was written, and asks no source again
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        still = {f["arxiv_id"] for f in json.loads(out)["findings"] if f["kind"] == "venue" and f["fix"]
                 and f["status"] == "open"}
        assert not still, still
        assert fake.requests == asked
        code, diff, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0 and diff == "" and lst.read_bytes() == new  # idempotent
    fixes = {f["fix"] for f in venues.values() if f["fix"]}
    changed = [(was, now) for was, now in zip(data.splitlines(), new.splitlines()) if was != now]
    assert len(new.splitlines()) == len(data.splitlines())
    assert changed and all(any(fix.encode() in now for fix in fixes) for _, now in changed)
    for was, now in changed:  # only the venue text changed
        assert now.split(b"[", 1)[1:] == was.split(b"[", 1)[1:]
