"""The fake arXiv's search_query language: the forms arXiv's manual documents, answered from a token index."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from diffsync.arxivapi.atom import parse_feed
from diffsync.fake_arxiv import answer_query
from diffsync.fake_arxiv.index import PaperIndex
from diffsync.fake_arxiv.query import Op, QuerySyntaxError, Term, parse_query
from diffsync.models import PaperRecord


def paper(arxiv_id, title, authors, *, cats=("cond-mat.str-el",), day=(2008, 5, 1), comment=None, jref=None):
    when = datetime(*day, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=2, title=title, authors=tuple(authors), published=when,
                       updated=when, comment=comment, journal_ref=jref, categories=cats)


PAPERS = [
    paper("1501.00001", "Quantum criticality on the checkerboard lattice", ["Adrian Del Maestro", "Subir Sachdev"]),
    paper("1501.00002", "Pyrochlore magnets and quantum spin ice", ["Adrian Del Maestro", "Michel Gingras"],
          comment="12 pages, 4 figures"),
    paper("1501.00003", "Criticality and quantum phases of an electron", ["Jane Roe"], cats=("hep-th",),
          day=(2009, 1, 15), jref="Phys. Rev. B 80 (2009)"),
    paper("1501.00004", "Electron transport in graphene", ["Subir Sachdev", "Jane Roe"], cats=("cond-mat.mes-hall",)),
    paper("1501.00005", "Quantum criticality", ["Max Muster"], day=(2010, 3, 3)),
]
INDEX = PaperIndex(PAPERS)


def ids(query: str, **params: str) -> list[str]:
    status, body, _ = answer_query(INDEX, {"search_query": query, **params})
    assert status == 200, body
    return [r.arxiv_id for r in parse_feed(body).records]


@pytest.mark.parametrize("query,expected", [
    # The arXiv user manual's own examples (section 5.1), on papers made to fit them.
    ("all:electron", {"1501.00003", "1501.00004"}),
    ("au:del_maestro", {"1501.00001", "1501.00002"}),
    ("au:del_maestro AND ti:checkerboard", {"1501.00001"}),
    ("au:del_maestro ANDNOT ti:checkerboard", {"1501.00002"}),
    ("au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)", set()),
    ('au:del_maestro AND ti:"quantum criticality"', {"1501.00001"}),
    ('ti:"quantum criticality"', {"1501.00001", "1501.00005"}),  # a phrase: words in a row
    ("ti:quantum AND ti:criticality", {"1501.00001", "1501.00003", "1501.00005"}),  # words anywhere
    ("ti:quantum ti:criticality", {"1501.00001", "1501.00003", "1501.00005"}),  # side by side = AND
    ("cat:hep-th", {"1501.00003"}),
    ("cat:cond-mat*", {"1501.00001", "1501.00002", "1501.00004", "1501.00005"}),
    ("id:1501.00004", {"1501.00004"}),
    ("id:1501.00004v2", {"1501.00004"}),
    ("id:1501.00004v1", set()),  # not the current version
    ("co:figures", {"1501.00002"}),
    ('jr:"Phys. Rev. B"', {"1501.00003"}),
    ("abs:anything", set()),  # the fake holds no abstracts
    ("ti:electr*", {"1501.00003", "1501.00004"}),
    ("graphene", {"1501.00004"}),  # no prefix = all:
    ("submittedDate:[200901010000 TO 201001010000]", {"1501.00003"}),
    ("ti:(checkerboard OR pyrochlore)", {"1501.00001", "1501.00002"}),
    # The grouped forms diffsync batches its title searches into.
    ('ti:"Electron transport in graphene" OR ti:"Pyrochlore magnets and quantum spin ice"',
     {"1501.00004", "1501.00002"}),
    ('(au:Sachdev AND (ti:graphene OR ti:transport)) OR (au:Roe AND ti:phases)', {"1501.00004", "1501.00003"}),
    ("au:Sachdev AND ti:graphene OR au:Gingras", {"1501.00004", "1501.00002"}),  # OR binds loosest
    ("au:roe AND ti:criticality ANDNOT cat:cond-mat*", {"1501.00003"}),
])
def test_documented_query_forms_select_the_right_papers(query, expected):
    assert set(ids(query, max_results="50")) == expected


def test_an_exact_title_ranks_before_a_longer_one_holding_the_phrase():
    assert ids('ti:"quantum criticality"') == ["1501.00005", "1501.00001"]


def test_max_results_truncates_and_total_counts_every_hit():
    status, body, _ = answer_query(INDEX, {"search_query": "ti:quantum OR ti:electron", "max_results": "2"})
    feed = parse_feed(body)
    assert status == 200 and len(feed.records) == 2 and feed.total_results == 5


def test_search_query_with_id_list_filters_the_ids():
    status, body, _ = answer_query(INDEX, {"search_query": "au:sachdev", "id_list": "1501.00004,1501.00002"})
    assert [r.arxiv_id for r in parse_feed(body).records] == ["1501.00004"]


def test_tree_shape_follows_precedence():
    assert parse_query('ti:a OR ti:"b c" AND au:d') == Op(
        "OR", Term("ti", "a"), Op("AND", Term("ti", "b c", phrase=True), Term("au", "d")))


@pytest.mark.parametrize("query", ["ti:(a OR b", "ti:a)", "xx:word", "ti:a AND", "OR ti:a", "()", "   "])
def test_malformed_queries_are_http_400_like_arxiv(query):
    with pytest.raises(QuerySyntaxError):
        parse_query(query)
    status, body, _ = answer_query(INDEX, {"search_query": query})
    if query.strip():
        assert status == 400 and parse_feed(body).errors == (f"Invalid query string: '{query}'",)


def test_the_index_follows_papers_added_replaced_and_removed():
    index = PaperIndex(PAPERS[:2])
    index.add(paper("1501.00001", "Renamed entirely", ["Adrian Del Maestro"]))
    index.add(paper("1501.00009", "A checkerboard again", ["Someone New"]))
    index.remove("1501.00002")
    status, body, _ = answer_query(index, {"search_query": "ti:checkerboard OR ti:pyrochlore OR ti:renamed"})
    assert sorted(r.arxiv_id for r in parse_feed(body).records) == ["1501.00001", "1501.00009"]
