"""Issue 25, item 2: a transient page never decides anything, on any request kind.

Against the fake arXiv: pages with no entries whose ``totalResults`` says there
are results ("hollow"), 503s and slow answers, on every search path (one title
per query, batched titles, the batched author fallback) and on the id_list
fetch.  Under faults that come and go, every path answers as on a clean
server; under faults that never stop, the entries are unchecked, never
"no candidates".
"""

from __future__ import annotations

import dataclasses

import pytest

from diffsync.arxivapi.client import ArxivClient
from diffsync.check.pipeline import run_check
from diffsync.check.titlesearch import TitleAsk, search_titles
from diffsync.config import ArxivSettings, CheckSettings, DatabaseSettings, Settings, VenuesSettings
from diffsync.errors import ApiError
from diffsync.fake_arxiv import FakeArxiv, Fault
from diffsync.store.store import Store
from helpers.builders import SEARCHED_PAPERS

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1


PAPERS = list(SEARCHED_PAPERS)
ASKS = [
    TitleAsk("ddpm", "Denoising Diffusion Probabilistic Models", ("Jonathan Ho",), 2020),
    TitleAsk("beat", "Diffusion Models Beat GANs on Image Synthesys", ("Prafulla Dhariwal",), 2021),  # typo: fallback
    TitleAsk("ldm", "High-Resolution Image Synthesis with Latent Diffusion Models", ("R. Rombach",), 2022),
    TitleAsk("sde", "Score-Based Generative Modeling through Stochastic Differential Equations",
             ("Yang Song",), 2020),
    TitleAsk("none", "A Paper arXiv Does Not Have", ("Jane Doe",), 2021),
]
# Faults that come and go: every other request, or the first two.
PASSING = {
    "hollow-every-2": [Fault("hollow_page", every=2)],
    "hollow-first-2": [Fault("hollow_page", first=2)],
    "503-every-2": [Fault("503", every=2)],
    "slow-and-hollow": [Fault("slow", every=3, seconds=0.05), Fault("hollow_page", every=2)],
}


def _settings(url: str) -> ArxivSettings:
    return ArxivSettings(url=url, delay=0.0, batch_size=2, max_retries=3, backoff=0.01, max_backoff=0.02,
                         timeout=5.0, contact="ops@example.org")


def _search(faults, per_query):
    with FakeArxiv(PAPERS, faults=faults) as fake, ArxivClient(_settings(fake.url)) as client:
        matches: dict[str, str | None] = {}
        for answered in search_titles(client, ASKS, per_query):
            matches.update({k: m.record.arxiv_id if m else None for k, m in answered.matches.items()})
        return matches


def _fetch(faults):
    with FakeArxiv(PAPERS, faults=faults) as fake, ArxivClient(_settings(fake.url)) as client:
        result = client.fetch([p.arxiv_id for p in PAPERS] + ["2101.99999"])
        return sorted(result.records), sorted(result.not_found), dict(result.unchecked)


@pytest.mark.parametrize("per_query", [1, 5], ids=["one-title-per-query", "batched"])
@pytest.mark.parametrize("mode", PASSING, ids=list(PASSING))
def test_every_search_path_answers_as_on_a_clean_server(per_query, mode):
    clean = _search([], per_query)
    assert clean == {"ddpm": "2006.11239", "beat": "2105.05233", "ldm": "2112.10752",
                     "sde": "2011.13456", "none": None}  # "beat" only by the author fallback
    assert _search(PASSING[mode], per_query) == clean


@pytest.mark.parametrize("mode", PASSING, ids=list(PASSING))
def test_the_id_list_fetch_answers_as_on_a_clean_server(mode):
    clean = _fetch([])
    assert clean[1] == ["2101.99999"] and not clean[2]
    assert _fetch(PASSING[mode]) == clean


@pytest.mark.parametrize("per_query", [1, 5], ids=["one-title-per-query", "batched"])
def test_hollow_pages_that_never_stop_are_a_failure_never_no_candidates(per_query):
    with pytest.raises(ApiError, match="empty page though it counts"):
        _search([Fault("hollow_page", every=1)], per_query)


def _check_settings(url: str, database_url: str, folder) -> Settings:
    """A check with title search against the fake at ``url``; no venue source (real services)."""
    return Settings(arxiv=_settings(url), database=DatabaseSettings(url=database_url),
                    check=CheckSettings(search=True), config_dir=str(folder), venues=VenuesSettings(enabled=False))

def test_a_check_under_endless_hollow_pages_leaves_entries_unchecked_and_caches_nothing(tmp_path, database_url):
    lst = tmp_path / "list.md"
    lst.write_text("# Papers\n\n**Denoising Diffusion Probabilistic Models** \\\n*Jonathan Ho, Ajay Jain* \\\n"
                   "2020\n\n**Diffusion Models Beat GANs on Image Synthesis** \\\n"
                   "*Prafulla Dhariwal, Alex Nichol* \\\n2021\n", encoding="utf-8")
    with FakeArxiv(PAPERS, faults=[Fault("hollow_page", every=1)]) as fake:
        result = run_check(_check_settings(fake.url, database_url, tmp_path), lst)
    assert result.summary.unchecked == 2 and result.summary.unanswered == 2
    assert not [f for f in result.findings if f.kind.value == "missing_id"]
    with Store.open(database_url) as store:
        assert store.load_searches() == {}  # no "no candidates" remembered


def test_the_same_check_under_passing_hollow_pages_finds_what_a_clean_one_finds(tmp_path, database_url):
    lst = tmp_path / "list.md"
    lst.write_text("# Papers\n\n**Denoising Diffusion Probabilistic Models** \\\n*Jonathan Ho, Ajay Jain* \\\n"
                   "2020\n", encoding="utf-8")
    with FakeArxiv(PAPERS, faults=[Fault("hollow_page", first=2)]) as fake:
        result = run_check(_check_settings(fake.url, database_url, tmp_path), lst)
    assert [f.kind.value for f in result.findings] == ["missing_id"] and result.summary.unchecked == 0


@pytest.mark.parametrize("mode", ["empty_page:first=1", "empty_page:every=2"])
def test_a_batched_search_answered_with_nothing_at_all_is_asked_again(mode):
    # totalResults 0 reads like "no candidates": one title may truly have none, several
    # titles at once are asked again before that is believed.
    faults = [Fault.parse(mode)]
    assert _search(faults, 5) == _search([], 5)


def test_a_legacy_id_less_entry_counted_in_total_results_is_not_a_hollow_page():
    # Before 2025-11 arXiv answered a missing ID with an <entry> without <id>, counted in
    # totalResults: that page is an answer ("not there"), not a transient empty one.
    from helpers.hostile_http import HostileServer, ok

    body = (b"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
            b"xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/'><title>q</title>"
            b"<opensearch:totalResults>1</opensearch:totalResults><entry><title>x</title></entry></feed>")
    with HostileServer(ok(body)) as srv, ArxivClient(_settings(srv.url)) as client:
        result = client.fetch(["2101.99999"])
    assert sorted(result.not_found) == ["2101.99999"] and not result.unchecked
