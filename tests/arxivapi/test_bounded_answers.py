"""Bounded HTTP (issue 12, item 1): endless, huge, gzip-bombed, trickled and redirected answers.

Each runs the real client against the hostile server on 127.0.0.1: every such
answer is one failed try, retried with the normal backoff, then reported, and
a good answer after it is used.  Nothing here asserts on time; the caps keep
each case to about a second.
"""

from __future__ import annotations

import pytest

from diffsync.arxivapi.client import ArxivClient
from diffsync.errors import ApiError
from helpers.hostile_http import (HostileServer, endless_chunked, gzip_bomb, huge, ok, redirect,
                                  redirect_loop, sequence, trickle)
from helpers.hostile_cases import cli_env, diffsync, fast_arxiv, good_feed, write_list

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

IDS = ["2006.11239", "2010.02502", "2206.00364"]


def fetch(url: str, **kw):
    with ArxivClient(fast_arxiv(url, **kw)) as client:
        return client.fetch(IDS)


def test_an_endless_chunked_body_stops_at_the_cap_each_try():
    with HostileServer(endless_chunked()) as srv:
        result = fetch(srv.url, max_response_mb=1, max_retries=1)
    assert not result.records
    assert set(result.unchecked) == set(IDS)
    assert "response too large" in next(iter(result.unchecked.values()))
    assert len(srv.requests) == 2  # one try and one retry, then it is given up


def test_a_huge_declared_body_is_refused_without_reading_it():
    with HostileServer(huge(200 * 2**20)) as srv:
        result = fetch(srv.url, max_response_mb=1, max_retries=0)
    assert "Content-Length" in result.unchecked[IDS[0]]


def test_a_gzip_bomb_stops_at_the_cap_counted_after_decoding():
    with HostileServer(sequence(gzip_bomb(64), ok(good_feed()))) as srv:
        result = fetch(srv.url, max_response_mb=2)
    assert sorted(result.records) == IDS  # the retry got the real answer
    assert len(srv.requests) == 2


def test_a_gzip_bomb_every_time_leaves_the_papers_unchecked():
    with HostileServer(gzip_bomb(64)) as srv:
        result = fetch(srv.url, max_response_mb=2, max_retries=1)
    assert "over arxiv.max_response_mb = 2 MB" in result.unchecked[IDS[0]]


def test_a_small_gzip_answer_is_read_normally():
    import gzip
    body = gzip.compress(good_feed())
    with HostileServer(ok(body, headers={"Content-Encoding": "gzip"})) as srv:
        result = fetch(srv.url, max_response_mb=1)
    assert sorted(result.records) == IDS


def test_a_trickling_body_fails_the_try_at_the_overall_deadline():
    with HostileServer(trickle(good_feed(), bytes_per_second=20)) as srv:
        with pytest.raises(ApiError) as err:
            fetch(srv.url, timeout=0.5, max_retries=1)
    assert "unreachable" in str(err.value)
    assert "no complete answer within arxiv.timeout = 0.5 s" in str(err.value)
    assert len(srv.requests) == 2


def test_a_trickle_then_a_good_answer_completes():
    with HostileServer(sequence(trickle(good_feed(), 20), ok(good_feed()))) as srv:
        result = fetch(srv.url, timeout=0.5)
    assert sorted(result.records) == IDS


def test_a_redirect_is_not_followed_and_names_its_location():
    with HostileServer(ok(good_feed())) as elsewhere, \
            HostileServer(redirect(elsewhere.url + "?moved=1")) as srv:
        with pytest.raises(ApiError) as err:
            fetch(srv.url, max_retries=1)
    message = str(err.value)
    assert elsewhere.url + "?moved=1" in message and "HTTP 302" in message
    assert "arxiv.url" in message
    assert elsewhere.requests == []  # the POST never went anywhere else
    assert len(srv.requests) == 2  # a failed try like any other, retried once


def test_a_redirect_loop_is_one_clear_error():
    with HostileServer(redirect_loop(301)) as srv:
        with pytest.raises(ApiError, match="HTTP 301 redirect to"):
            fetch(srv.url, max_retries=0)
    assert len(srv.requests) == 1


def test_a_redirect_once_then_the_answer_is_retried_at_the_configured_url():
    with HostileServer(sequence(redirect("http://127.0.0.1:9/x", 307), ok(good_feed()))) as srv:
        result = fetch(srv.url)
    assert sorted(result.records) == IDS
    assert [r.method for r in srv.requests] == ["POST", "POST"]
    assert all("id_list=" in r.body.decode() for r in srv.requests)


@pytest.mark.parametrize("behaviour, expected", [
    (trickle(good_feed(), 5), "no complete answer within arxiv.timeout"),
    (redirect("http://example.invalid/api"), "redirect to 'http://example.invalid/api'"),
    (endless_chunked(), "response too large (body over arxiv.max_response_mb = 1 MB)"),
])
def test_check_cli_ends_with_one_line_not_a_memory_error(tmp_path, database_url, behaviour,
                                                         expected):
    lst = write_list(tmp_path / "list.md")
    with HostileServer(behaviour) as srv:
        env = cli_env(srv.url, database_url, DIFFSYNC_ARXIV_TIMEOUT="1",
                      DIFFSYNC_ARXIV_MAX_RESPONSE_MB="1", DIFFSYNC_ARXIV_MAX_RETRIES="1")
        done = diffsync("check", str(lst), env=env, cwd=tmp_path)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.returncode == 3
    errors = [line for line in done.stderr.splitlines() if line.startswith("diffsync: error:")]
    assert len(errors) == 1 and expected in errors[0]
