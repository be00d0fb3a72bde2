"""Title search, one entry at a time: query building, the client's search, confirmation by authors and year (respx, no network)."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from diffsync.arxivapi.client import ArxivClient
from diffsync.arxivapi.query import Query, title_query
from diffsync.config import ArxivSettings
from diffsync.fake_arxiv import answer_query, render_error
from diffsync.models import PaperRecord
from diffsync.check.titlesearch import TitleAsk, search_titles

URL = "https://export.test/api/query"


def paper(arxiv_id, title, authors, year=2021):
    when = datetime(year, 5, 1, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=1, title=title, authors=tuple(authors), published=when, updated=when)


PAPERS = {p.arxiv_id: p for p in [
    paper("2105.05233", "Diffusion Models Beat GANs on Image Synthesis", ["Prafulla Dhariwal", "Alex Nichol"]),
    paper("2006.11239", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho", "Ajay Jain", "Pieter Abbeel"], 2020),
    paper("2199.00001", "Denoising Diffusion Probabilistic Models", ["Someone Else"], 2021),  # same title, other paper
]}


def search(title, authors, year, papers=PAPERS, script=()):
    queries: list[str] = []
    script = list(script)

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        queries.append(form["search_query"])
        assert int(form["max_results"]) <= 20
        if script:
            return script.pop(0)
        status, body, _ = answer_query(papers, form)
        return httpx.Response(status, content=body)

    clock = [0.0]
    settings = ArxivSettings(url=URL, delay=3.0, max_retries=1, backoff=1.0)
    with respx.mock() as router:
        router.post(URL).mock(side_effect=answer)
        with ArxivClient(settings, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s),
                         rng=random.Random(1)) as client:
            ask = TitleAsk("k", title, tuple(authors), year)
            answers = {}
            for answered in search_titles(client, [ask], per_query=1):
                answers.update(answered.matches)
            return answers["k"], queries


def test_exact_title_is_found_with_one_query():
    match, queries = search("Diffusion Models Beat GANs on Image Synthesis", ["P. Dhariwal", "A. Nichol"], 2021)
    assert match.record.arxiv_id == "2105.05233" and match.score == 100
    assert match.shared_authors == ("Prafulla Dhariwal", "Alex Nichol")
    assert queries == ['ti:"Diffusion Models Beat GANs on Image Synthesis"']


def test_same_title_is_told_apart_by_authors():
    match, _ = search("Denoising Diffusion Probabilistic Models", ["Jonathan Ho", "Pieter Abbeel"], 2020)
    assert match.record.arxiv_id == "2006.11239"


def test_title_alone_is_not_enough():
    match, queries = search("Denoising Diffusion Probabilistic Models", ["Nobody Known"], 2020)
    assert match is None and len(queries) == 2  # phrase, then the author-anchored fallback


def test_implausible_year_is_rejected():
    match, _ = search("Diffusion Models Beat GANs on Image Synthesis", ["Prafulla Dhariwal"], 2015)
    assert match is None


def test_typo_in_title_is_found_by_the_fallback_query():
    match, queries = search("Diffusion Models Beat GANs on Image Synthesys", ["Prafulla Dhariwal"], 2021)
    assert match is not None and match.record.arxiv_id == "2105.05233"
    assert queries[1] == "au:Dhariwal AND (ti:diffusion OR ti:synthesys OR ti:models OR ti:image OR ti:beat)"


def test_a_query_arxiv_rejects_finds_nothing_instead_of_failing():
    rejected = httpx.Response(400, content=render_error("Invalid query string: 'x'"))
    match, queries = search("Diffusion Models Beat GANs on Image Synthesis", ["Prafulla Dhariwal"], 2021,
                            script=[rejected])
    assert match is not None and len(queries) == 2


@pytest.mark.parametrize(
    "title,query",
    [
        ('The "Quoted" Paper: A (Study)', 'ti:"The Quoted Paper A Study"'),
        (r"Schr\"odinger Bridges for $\mathcal{O}(n)$ Flows", 'ti:"Schr odinger Bridges for Flows"'),
        ("Score-Based Generative Modeling", 'ti:"Score Based Generative Modeling"'),
        ("Über Diffusion", 'ti:"Über Diffusion"'),
        ("$$", ""),
    ],
)
def test_title_query_strips_what_breaks_arxiv_queries(title, query):
    assert title_query(title) == query


def test_the_client_only_sends_the_query_and_returns_every_answer():
    settings = ArxivSettings(url=URL, delay=0.0, max_retries=0)
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=lambda request: httpx.Response(
            200, content=answer_query(PAPERS, dict(parse_qsl(request.content.decode())))[1]))
        with ArxivClient(settings) as client:
            found = client.search(Query("ti:diffusion AND au:ho OR au:nichol", max_results=7))
    form = dict(parse_qsl(route.calls.last.request.content.decode()))
    assert form == {"search_query": "ti:diffusion AND au:ho OR au:nichol", "start": "0", "max_results": "7"}
    assert {r.arxiv_id for r in found.records} == {"2006.11239", "2105.05233"}  # every answer: confirming is not its job
    assert found.unreadable == {}
