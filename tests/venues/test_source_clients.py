"""Each venue client against a hostile server on 127.0.0.1: trickling, endless, redirecting, lying, malformed.

Every such answer is a failed try, retried, then the source is down for the
run (``SourceDown``): nothing is taken for a fact.  A good answer after a bad
one is used.  Pacing and backoff are near zero here; nothing asserts on time.
"""

from __future__ import annotations

import json

import pytest

from diffsync.venuesrc.dblp import Dblp
from diffsync.venuesrc.http import JsonHttp, Policy, SourceDown
from diffsync.venuesrc.openreview import OpenReview
from diffsync.venuesrc.semanticscholar import SemanticScholar
from helpers.hostile_http import (HostileServer, endless_chunked, gzip_bomb, huge, malformed, ok, redirect,
                                  redirect_loop, sequence, status, trickle)

pytestmark = pytest.mark.e2e  # starts servers on 127.0.0.1

IDS = ["2006.11239", "2010.02502"]
S2_OK = json.dumps([{"paperId": "p1", "title": "Denoising Diffusion Probabilistic Models", "venue":
                     "Neural Information Processing Systems", "year": 2020, "authors": [{"name": "Jonathan Ho"}]},
                    None]).encode()
OR_OK = json.dumps({"notes": [{"id": "f1", "forum": "f1", "content": {
    "title": {"value": "Denoising Diffusion Implicit Models"}, "authors": {"value": ["Jiaming Song"]},
    "venue": {"value": "ICLR 2024 poster"}, "venueid": {"value": "ICLR.cc/2024/Conference"}}}]}).encode()
DBLP_OK = json.dumps({"result": {"hits": {"hit": [{"info": {
    "title": "Denoising Diffusion Implicit Models.", "venue": "ICLR", "year": "2021",
    "type": "Conference and Workshop Papers", "key": "conf/iclr/SongME21",
    "authors": {"author": {"@pid": "1", "text": "Jiaming Song 0001"}}}}]}}}).encode()


def http(**kw) -> JsonHttp:
    policy = Policy("Test source", pace=0.0, **({"timeout": 1.0, "max_retries": 1, "backoff": 0.01,
                                                  "max_backoff": 0.05, "max_bytes": 2**20} | kw))
    return JsonHttp(policy)


def s2(url, **kw):
    return list(SemanticScholar(url.removesuffix("/paper/batch"), http(**kw)).batches(IDS))


def openreview(url, **kw):
    return OpenReview(url.removesuffix("/notes"), http(**kw)).accepted("ICLR.cc/2024/Conference")


def dblp(url, **kw):
    return Dblp(url.removesuffix("/search/publ/api"), http(**kw)).search("Denoising Diffusion Implicit Models")


CLIENTS = [(s2, "/paper/batch", S2_OK), (openreview, "/notes", OR_OK), (dblp, "/search/publ/api", DBLP_OK)]
IDS_OF = ["semantic_scholar", "openreview", "dblp"]


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
def test_a_good_answer_is_read(ask, path, good):
    with HostileServer(ok(good, headers={"Content-Type": "application/json"}), path=path) as srv:
        answer = ask(srv.url)
    assert answer
    assert len(srv.requests) == 1


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
@pytest.mark.parametrize("bad", [
    pytest.param(lambda good: trickle(good, bytes_per_second=20), id="trickling"),
    pytest.param(lambda good: endless_chunked(b"[null,", repeat=4096), id="endless"),
    pytest.param(lambda good: huge(200 * 2**20), id="huge"),
    pytest.param(lambda good: gzip_bomb(8), id="gzip-bomb"),
    pytest.param(lambda good: redirect("http://127.0.0.1:9/elsewhere"), id="redirecting"),
    pytest.param(lambda good: redirect_loop(), id="redirect-loop"),
    pytest.param(lambda good: malformed(b'{"result": [1, 2'), id="malformed"),
    pytest.param(lambda good: ok(b"<html>Service Unavailable</html>"), id="html"),
    pytest.param(lambda good: ok(b'{"data": "not what was asked"}'), id="lying"),
    pytest.param(lambda good: status(503), id="503"),
])
def test_a_hostile_answer_is_retried_then_the_source_is_down(ask, path, good, bad):
    with HostileServer(bad(good), path=path) as srv:
        with pytest.raises(SourceDown) as info:
            ask(srv.url)
    assert len(srv.requests) == 2  # one try, one retry, then given up
    assert "Test source" in info.value.reason
    assert "\n" not in info.value.reason


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
def test_a_good_answer_after_a_bad_one_is_used(ask, path, good):
    with HostileServer(sequence(status(503), ok(good)), path=path) as srv:
        assert ask(srv.url)
    assert len(srv.requests) == 2


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
def test_retry_after_is_honoured_and_repeated_429s_cool_the_source_down(ask, path, good):
    waits = []
    with HostileServer(status(429, {"Retry-After": "7"}), path=path) as srv:
        client_http = http(max_retries=5)
        client_http.sleep = waits.append  # the waits the client would sleep
        with pytest.raises(SourceDown) as info:
            if ask is s2:
                list(SemanticScholar(srv.url.removesuffix(path), client_http).batches(IDS))
            elif ask is openreview:
                OpenReview(srv.url.removesuffix(path), client_http).accepted("ICLR.cc/2024/Conference")
            else:
                Dblp(srv.url.removesuffix(path), client_http).search("T")
    assert len(srv.requests) == 3  # three 429s in a row: no more this run
    assert info.value.cooldown_until is not None and "rate-limited" in info.value.reason
    assert waits and min(waits) >= 7 - 0.5  # Retry-After honoured between tries


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
def test_an_absurd_retry_after_stops_the_source_at_once(ask, path, good):
    with HostileServer(status(429, {"Retry-After": "99999999"}), path=path) as srv:
        with pytest.raises(SourceDown) as info:
            ask(srv.url, max_retries=5)
    assert len(srv.requests) == 1
    assert info.value.cooldown_until is not None


@pytest.mark.parametrize("ask, path, good", CLIENTS, ids=IDS_OF)
def test_a_down_source_is_not_asked_again_in_the_run(ask, path, good):
    with HostileServer(status(503), path=path) as srv:
        client_http = http()
        for _ in range(3):
            with pytest.raises(SourceDown):
                if ask is dblp:
                    Dblp(srv.url.removesuffix(path), client_http).search("T")
                elif ask is s2:
                    list(SemanticScholar(srv.url.removesuffix(path), client_http).batches(IDS))
                else:
                    OpenReview(srv.url.removesuffix(path), client_http).accepted("ICLR.cc/2024/Conference")
    assert len(srv.requests) == 2  # the first call's two tries; the others fail at once


def test_semantic_scholar_lying_about_the_number_of_answers_is_not_zipped():
    one = json.dumps([None]).encode()  # two IDs asked, one answer: positions cannot be trusted
    with HostileServer(ok(one), path="/paper/batch") as srv:
        with pytest.raises(SourceDown) as info:
            s2(srv.url)
    assert "1 answers for 2 IDs" in info.value.reason


def test_semantic_scholar_sends_the_ids_and_the_key():
    with HostileServer(ok(S2_OK), path="/paper/batch") as srv:
        client = SemanticScholar(srv.url.removesuffix("/paper/batch"),
                                 JsonHttp(Policy("S2", 0.0), headers={"x-api-key": "k123"}))
        [answer] = list(client.batches(IDS))
    req = srv.requests[0]
    assert req.method == "POST" and "fields=" in req.path
    assert json.loads(req.body) == {"ids": ["ARXIV:2006.11239", "ARXIV:2010.02502"]}
    assert req.header("x-api-key") == "k123"
    assert set(answer.records) == {"2006.11239"} and answer.unknown == {"2010.02502"}
