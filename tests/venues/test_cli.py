"""The venue step through the CLI: demo, coverage lines, status, offline, a down source, bad config."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from diffsync.fake_venues import FakeVenuePaper, World
from helpers.builders import without_entry
from helpers.cli import run_cli, serving_venues

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1


def test_demo_asks_the_fake_venue_sources_and_shows_coverage(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_DATABASE_URL", raising=False)
    monkeypatch.delenv("DIFFSYNC_VENUES_ENABLED")
    code, out, err = run_cli(capsys, monkeypatch, "demo")
    assert code == 0, err
    assert "diffsync: venue confirmed for" in err and "Semantic Scholar 1" in err
    assert list(tmp_path.iterdir()) == []


def _world() -> World:
    papers = {r.arxiv_id: r for r in example_papers()}
    ddim = papers["2105.05233"]  # listed as "arXiv 2022." in the example list
    return World([FakeVenuePaper(ddim.arxiv_id, ddim.title, ddim.authors, ddim.published.year,
                                 "NeurIPS", 2021)])


@pytest.fixture
def lst(tmp_path, fake_env):
    """The example list in the test's folder (``fake_env``'s)."""
    path = tmp_path / "list.md"
    path.write_bytes(EXAMPLE_LIST.read_bytes())
    return path


def test_check_reports_a_venue_finding_coverage_and_status_shows_it(lst, tmp_path, fake_env, capsys, monkeypatch):
    with serving_venues(fake_env, example_papers(), _world(), venues_timeout="1") as venues:
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--no-search")
        data = json.loads(out)
        [f] = [f for f in data["findings"] if f["kind"] == "venue" and f["arxiv_id"] == "2105.05233"]
        assert f["fix"] == "NeurIPS 2021." and "Semantic Scholar" in f["message"]
        assert data["summary"]["venue_coverage"].startswith("venue confirmed for 1 of ")
        assert data["summary"]["venue_requests"]["semantic_scholar"] == 1
        code, out, err = run_cli(capsys, monkeypatch, "status")
        assert "venue confirmed for 1 of" in out
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--no-search", "--report", "r.md")
        assert "Venues: venue confirmed for 1 of" in (tmp_path / "r.md").read_text()
        assert 'list "arXiv 2022." sources "NeurIPS 2021' in out  # the sources' value, not arXiv's

        # offline: stored answers only, no request
        asked = dict(venues.requests)
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json", "--offline")
        assert venues.requests == asked
        assert any(f["arxiv_id"] == "2105.05233" and f["kind"] == "venue" for f in json.loads(out)["findings"])


def test_a_down_source_is_one_warning_and_the_check_goes_on(lst, fake_env, capsys, monkeypatch):
    with serving_venues(fake_env, example_papers(), _world(), venues_timeout="1",
                        venues_sources="semantic_scholar") as venues:
        venues.failing["semantic_scholar"] = "down"
        code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--no-search")
    assert code in (0, 1), err
    assert err.count("Semantic Scholar: HTTP 503") == 1
    assert "0 still preprints as far as the sources know;" in err and "unchecked" in err


def test_bad_venue_settings_are_one_error_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for var, value, said in [("DIFFSYNC_VENUES_SOURCES", "semantic_scholar,google", "unknown source 'google'"),
                             ("DIFFSYNC_VENUES_DBLP_URL", "ftp://dblp.org", "must be an http"),
                             ("DIFFSYNC_VENUES_MAX_AGE", "1e300", "venues.max_age"),
                             ("DIFFSYNC_VENUES_DELAY", "-1", "venues.delay"),
                             ("DIFFSYNC_VENUES_SEMANTIC_SCHOLAR_KEY", "a\nb", "printable ASCII")]:
        monkeypatch.setenv(var, value)
        code, out, err = run_cli(capsys, monkeypatch, "check", "list.md")
        monkeypatch.delenv(var)
        assert code == 2, (var, err)
        assert said in err and len(err.strip().splitlines()) == 1, err


def test_add_writes_the_venue_the_sources_confirm(tmp_path, fake_env, capsys, monkeypatch):
    dreambooth = "2208.12242"
    lst = tmp_path / "list.md"
    lst.write_bytes(without_entry(EXAMPLE_LIST.read_bytes(), dreambooth))
    papers = {r.arxiv_id: r for r in example_papers()}
    papers[dreambooth] = replace(papers[dreambooth], comment=None)  # arXiv names no venue
    rec = papers[dreambooth]
    world = World([FakeVenuePaper(dreambooth, rec.title, rec.authors, 2022, "CVPR", 2023)])
    with serving_venues(fake_env, papers.values(), world, venues_timeout="1"):
        code, out, err = run_cli(capsys, monkeypatch, "add", dreambooth, "-l", str(lst), "--under", "Odds and ends")
        assert code == 0, err
        assert "+CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)]" in out
        monkeypatch.setenv("DIFFSYNC_VENUES_ENABLED", "0")
        code, out, err = run_cli(capsys, monkeypatch, "add", dreambooth, "-l", str(lst), "--under", "Odds and ends")
        assert "+arXiv 2022. [[Paper](https://arxiv.org/abs/2208.12242)]" in out, out
