"""Batched title search: many titles per request, the same confirmations as one search per entry."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from diffsync.arxivapi.client import ArxivClient
from diffsync.config import ArxivSettings, load_settings
from diffsync.fake_arxiv import FakeArxiv, answer_query
from diffsync.listfile.parse import parse_list
from diffsync.models import Kind, PaperRecord
from diffsync.check.pipeline import run_check
from diffsync.store.store import Store
from diffsync.check.titlesearch import TitleAsk, search_titles

from helpers.builders import SEARCHED_PAPERS
from helpers.paths import SHARED_LISTS

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

URL = "https://export.test/api/query"
REAL_LIST = SHARED_LISTS / "diff-usion-awesome-diffusion-models.md"


PAPERS = {p.arxiv_id: p for p in SEARCHED_PAPERS}
ASKS = [
    TitleAsk("ddpm", "Denoising Diffusion Probabilistic Models", ("Jonathan Ho",), 2020),
    TitleAsk("beat", "Diffusion Models Beat GANs on Image Synthesys", ("Prafulla Dhariwal",), 2021),  # typo
    TitleAsk("ldm", "High-Resolution Image Synthesis with Latent Diffusion Models", ("R. Rombach",), 2022),
    TitleAsk("sde", "Score-Based Generative Modeling through Stochastic Differential Equations",
             ("Nobody Known",), 2020),  # title alone is not enough
    TitleAsk("none", "A Paper arXiv Does Not Have", ("Jane Doe",), 2021),
]


def run(asks, per_query):
    queries: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        queries.append(form)
        status, body, _ = answer_query(PAPERS, form)
        return httpx.Response(status, content=body)

    settings = ArxivSettings(url=URL, delay=0.0, max_retries=0)
    with respx.mock() as router, ArxivClient(settings, rng=random.Random(1)) as client:
        router.post(URL).mock(side_effect=answer)
        answers, requests = {}, 0
        for answered in search_titles(client, asks, per_query):
            assert not answers.keys() & answered.matches.keys()  # each entry answered once
            answers.update(answered.matches)
            requests += answered.requests
    assert requests == len(queries)
    return {k: m.record.arxiv_id if m else None for k, m in answers.items()}, queries


def test_titles_go_or_ed_in_one_request_and_the_fallback_in_another():
    found, queries = run(ASKS, per_query=50)
    assert found == {"ddpm": "2006.11239", "beat": "2105.05233", "ldm": "2112.10752", "sde": None, "none": None}
    assert [q["search_query"] for q in queries] == [
        'ti:"Denoising Diffusion Probabilistic Models" OR ti:"Diffusion Models Beat GANs on Image Synthesys" OR '
        'ti:"High Resolution Image Synthesis with Latent Diffusion Models" OR '
        'ti:"Score Based Generative Modeling through Stochastic Differential Equations" OR '
        'ti:"A Paper arXiv Does Not Have"',
        "(au:Dhariwal AND (ti:diffusion OR ti:synthesys OR ti:models OR ti:image OR ti:beat)) OR "
        "(au:Known AND (ti:differential OR ti:generative OR ti:stochastic OR ti:equations OR ti:modeling)) OR "
        "(au:Doe AND (ti:arxiv OR ti:paper OR ti:does OR ti:have))",
    ]
    assert [q["max_results"] for q in queries] == ["50", "30"]  # ten candidates per title, as one search asks


def test_batching_confirms_exactly_what_one_search_per_entry_confirms():
    batched, few = run(ASKS, per_query=50)
    single, many = run(ASKS, per_query=1)
    assert batched == single and len(few) == 2 and len(many) == 5 + 3
    assert all(" OR ti:\"" not in q["search_query"] and q["max_results"] == "10" for q in many)


def test_batches_are_bounded_by_the_batch_size():
    asks = [replace(a, key=f"{a.key}{n}") for n in range(3) for a in ASKS[:3]]  # 9 findable entries
    found, queries = run(asks, per_query=4)
    phrases = [q["search_query"].count('ti:"') for q in queries if q["search_query"].startswith('ti:"')]
    assert phrases == [4, 4, 1]
    assert found == {a.key: {"ddpm": "2006.11239", "ldm": "2112.10752"}.get(a.key[:-1], "2105.05233") for a in asks}


# -- the real 2,975-entry list, served by the fake ------------------------------------


def _papers_for(data: bytes) -> list[PaperRecord]:
    """Records made from the list's own entries: most match; some titles changed; unlinked
    entries get a record under a spare ID (every third of them with a typo only the fallback
    finds, every fifth none at all)."""
    papers: dict[str, PaperRecord] = {}
    spare = 0
    for e in parse_list(data, "list.md").entries:
        if e.arxiv_id in papers or not (e.authors or e.arxiv_id):
            continue
        when = e.date or datetime(2023, 1, 1).date()
        published = datetime(when.year, when.month, when.day, 12, tzinfo=timezone.utc)
        arxiv_id, title = e.arxiv_id, e.title
        if arxiv_id is None:
            spare += 1
            if spare % 5 == 0:
                continue
            arxiv_id = f"2512.{90000 + spare:05d}"
            if spare % 3 == 0:
                title = title.replace("e", "ee", 1)
        elif len(papers) % 33 == 0:
            title += " (Extended Version)"
        papers[arxiv_id] = PaperRecord(arxiv_id, 1, title, e.authors or ("Anonymous",), published, published)
    return list(papers.values())


@pytest.mark.skipif(not REAL_LIST.is_file(), reason=f"real list not found at {REAL_LIST}")
def test_on_the_real_list_batched_search_finds_the_same_papers_with_a_few_requests(tmp_path):
    data = REAL_LIST.read_bytes()
    (tmp_path / "config.toml").write_text("")
    runs = {}
    with FakeArxiv(_papers_for(data)) as fake:
        for batch in (1, 50):
            settings = load_settings(tmp_path / "config.toml", {
                "arxiv": {"url": fake.url, "delay": 0.0, "max_retries": 0},
                "database": {"url": f"sqlite:///{tmp_path / f'b{batch}.db'}"},
                "check": {"search_batch": batch}, "venues": {"enabled": False}}, environ={})
            before = len(fake.log)
            result = run_check(settings, REAL_LIST)
            log = fake.log[before:]
            with Store.open(settings.database_url) as store:
                searches = {k: r.match_id for k, r in store.load_searches().items()}
            fixes = sorted((f.entry_key, f.kind.value, f.suggestion) for f in result.findings
                           if f.kind in (Kind.MISSING_ID, Kind.WRONG_ID, Kind.LINK, Kind.NOT_FOUND))
            runs[batch] = searches, fixes, log, result.summary
    (one, one_fixes, one_log, one_summary), (many, many_fixes, many_log, many_summary) = runs[1], runs[50]
    assert many == one and many_fixes == one_fixes
    confirmed = [m for m in many.values() if m]
    assert len(confirmed) >= 30 and len(many) > len(confirmed)  # both outcomes are exercised
    assert many_summary.searched == one_summary.searched == len(many)
    fetches = [r for r in many_log if not r.search]
    assert len(fetches) == 2  # 2,900-odd IDs in pages of 2,000
    assert len(many_log) <= 8 < len(one_log)
