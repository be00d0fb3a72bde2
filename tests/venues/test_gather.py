"""The venue step against the fake sources: the cascade, freshness, offline, a down source."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from diffsync.config import VenuesSettings
from diffsync.fake_venues import FakeVenuePaper, FakeVenues, World
from diffsync.models import PaperRecord
from diffsync.store.store import Store
from diffsync.venuecheck.gather import gather
from diffsync.venuecheck.evidence import AMBIGUOUS, CONFIRMED, PREPRINT, UNCHECKED
from diffsync.venuenames import Named

pytestmark = pytest.mark.e2e  # starts servers on 127.0.0.1

A = ("Ada Lovelace", "Charles Babbage")
PAPERS = [
    FakeVenuePaper("2301.00001", "Alpha Diffusion", A, 2023, "ICLR", 2024),
    FakeVenuePaper("2301.00002", "Beta Diffusion", A, 2023, "CVPR", 2023, s2_venue=False),
    FakeVenuePaper("2301.00003", "Gamma Diffusion", A, 2023),
    FakeVenuePaper("2301.00004", "Delta Diffusion", A, 2023, "NeurIPS", 2023, s2_known=False),
    FakeVenuePaper("2301.00005", "Epsilon Diffusion", A, 2023, "NeurIPS", 2023, workshop=True),
]


def record(p: FakeVenuePaper) -> PaperRecord:
    when = datetime(p.year, 3, 1, tzinfo=timezone.utc)
    return PaperRecord(p.arxiv_id, 1, p.title, p.authors, when, when)


@pytest.fixture
def world():
    with FakeVenues(World(PAPERS)) as fake, Store.open("sqlite:///:memory:") as store:
        settings = VenuesSettings(semantic_scholar_url=fake.s2_url, openreview_url=fake.openreview_url,
                                  dblp_url=fake.dblp_url, delay=0.001, timeout=2.0)
        yield fake, store, settings


def papers() -> dict[str, PaperRecord]:
    return {p.arxiv_id: record(p) for p in PAPERS}


def test_the_cascade_confirms_each_paper_from_the_source_that_knows(world):
    fake, store, settings = world
    run = gather(settings, store.venues(), papers())
    ev = run.evidence
    assert ev["2301.00001"].state == CONFIRMED and ev["2301.00001"].venue == Named("ICLR", 2024)
    assert ev["2301.00002"].venue == Named("CVPR", 2023) and ev["2301.00002"].sources == "DBLP"
    assert ev["2301.00003"].state == PREPRINT
    assert ev["2301.00004"].venue == Named("NeurIPS", 2023) and "OpenReview" in ev["2301.00004"].sources
    assert ev["2301.00005"].venue == Named("NeurIPS", 2023, workshop=True)
    assert fake.requests["semantic_scholar"] == 1
    assert fake.requests["dblp"] == 2  # the residue only: papers 2 and 3 (S2 knew 1 and 5, OpenReview 4)
    assert set(fake.listings.values()) == {1}
    assert run.coverage_line().startswith("venue confirmed for 4 of 5 papers; 1 still preprints")


def test_a_second_run_within_max_age_asks_nothing(world):
    fake, store, settings = world
    gather(settings, store.venues(), papers())
    asked = dict(fake.requests)
    again = gather(settings, store.venues(), papers())
    assert fake.requests == asked
    assert again.requests == {"semantic_scholar": 0, "openreview": 0, "dblp": 0}
    assert again.evidence["2301.00002"].venue == Named("CVPR", 2023)


def test_a_paper_with_no_venue_is_asked_again_after_max_age_a_confirmed_one_is_not(world):
    fake, store, settings = world
    gather(settings, store.venues(), papers())
    later = replace(settings, max_age=0.0)  # every unconfirmed answer is stale now
    fake.requests.update({k: 0 for k in fake.requests})
    gather(later, store.venues(), papers())
    assert fake.requests["semantic_scholar"] == 1  # the batch holds only the unconfirmed ones
    assert fake.requests["dblp"] == 1  # only the preprint: the others are confirmed


def test_offline_uses_stored_answers_only(world):
    fake, store, settings = world
    offline = gather(settings, store.venues(), papers(), offline=True)
    assert fake.requests == {"semantic_scholar": 0, "openreview": 0, "dblp": 0}
    assert {e.state for e in offline.evidence.values()} == {UNCHECKED}  # never asked: not "no venue"
    gather(settings, store.venues(), papers())
    offline = gather(settings, store.venues(), papers(), offline=True)
    assert offline.evidence["2301.00001"].venue == Named("ICLR", 2024)


@pytest.mark.e2e  # a real process or server
def test_a_down_source_makes_its_papers_unchecked_with_one_warning(world):
    fake, store, settings = world
    fake.failing["dblp"] = "down"
    run = gather(replace(settings, timeout=1.0), store.venues(), papers())
    assert run.evidence["2301.00003"].state == UNCHECKED  # not "preprint": DBLP could not say
    assert run.evidence["2301.00002"].state == UNCHECKED
    assert run.evidence["2301.00001"].state == CONFIRMED  # the others still answer
    assert len(run.warnings) == 1 and "DBLP" in run.warnings[0]
    assert fake.requests["dblp"] <= 4  # one request's tries, not one per paper


@pytest.mark.e2e  # a real process or server
def test_semantic_scholar_rate_limiting_cools_it_down_across_runs(world):
    fake, store, settings = world
    fake.failing["semantic_scholar"] = "rate_limit"
    gather(settings, store.venues(), papers())
    assert store.venues().cooldown("semantic_scholar") is not None
    fake.failing.clear()
    before = fake.requests["semantic_scholar"]
    run = gather(settings, store.venues(), papers())
    assert fake.requests["semantic_scholar"] == before  # still cooling down: not asked
    assert any("cooling down" in w for w in run.warnings)


def test_a_listed_venue_one_source_contradicts_gets_dblps_opinion(world):
    fake, store, settings = world
    conflicted = FakeVenuePaper("2301.00009", "Zeta Diffusion", A, 2023, "ECCV", 2023, dblp_says="ICCV")
    fake.world = World([*PAPERS, conflicted])
    mine = {**papers(), conflicted.arxiv_id: record(conflicted)}
    run = gather(settings, store.venues(), mine, listed={conflicted.arxiv_id: {"CVPR 2023."}})
    ev = run.evidence[conflicted.arxiv_id]
    assert ev.state == AMBIGUOUS
    assert {s.venue.name for s in ev.agreeing} == {"ECCV", "ICCV"}


def test_semantic_scholars_later_republication_is_not_the_venue(world):
    fake, store, settings = world
    gan = FakeVenuePaper("1406.02661", "Generative Adversarial Networks", ("Ian Goodfellow",), 2014,
                         "TOG", 2020, dblp_venue=False)
    fake.world = World([gan])
    run = gather(settings, store.venues(), {gan.arxiv_id: record(gan)})
    assert run.evidence[gan.arxiv_id].state == PREPRINT  # 2020 is six years after v1


def test_venues_off_asks_nothing(world):
    fake, store, settings = world
    run = gather(replace(settings, enabled=False), store.venues(), papers())
    assert run.evidence == {} and fake.requests == {"semantic_scholar": 0, "openreview": 0, "dblp": 0}


def test_only_the_configured_sources_are_asked(world):
    fake, store, settings = world
    run = gather(replace(settings, sources="semantic_scholar"), store.venues(), papers())
    assert fake.requests["dblp"] == 0 and fake.requests["openreview"] == 0
    assert run.evidence["2301.00002"].state == UNCHECKED or run.evidence["2301.00002"].state == PREPRINT


def test_title_searches_are_capped_per_check_newest_first_and_the_rest_is_unchecked(world):
    fake, store, settings = world
    capped = replace(settings, max_requests=1)
    run = gather(capped, store.venues(), papers())
    assert fake.requests["dblp"] == 1
    assert any("left for the next checks" in w for w in run.warnings)
    # 2301.00003 is the newest of the residue (00002, 00003): asked first
    assert run.evidence["2301.00003"].state == PREPRINT
    assert run.evidence["2301.00002"].state == UNCHECKED
    gather(capped, store.venues(), papers())
    assert fake.requests["dblp"] == 2
    assert gather(capped, store.venues(), papers()).evidence["2301.00002"].venue == Named("CVPR", 2023)
