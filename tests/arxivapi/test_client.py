"""ArxivClient against a mocked arXiv (respx): batching, reconciliation, faults, pacing.

The mock answers like arXiv would (``answer_query``), advances an injected
clock by a fake server time per request, and records when each request
started and ended, so spacing is checked without ever really sleeping.
"""

from __future__ import annotations


import httpx
import pytest

from diffsync.arxivapi.client import parse_retry_after
from diffsync.errors import ApiError
from diffsync.fake_arxiv import render_error
from diffsync.arxivapi.pacing import MemoryPacer
from helpers.mock_arxiv import IDS, PAPERS, MockArxiv, atom

# -- batching and reconciliation ------------------------------------------------


def test_batches_are_posts_with_max_results_equal_to_batch_size(run):
    result, mock, client = run(IDS[:1234], method="batches")
    assert [r.requests for r in result] == [1, 1, 1]
    assert [len(r.records) for r in result] == [500, 500, 234]
    for call in mock.calls:
        form = call["form"]
        assert call["request"].method == "POST"
        assert form["max_results"] == str(len(form["id_list"].split(","))) and form["start"] == "0"
    assert client.requests_made == 3
    assert min(mock.gaps()) >= 3.0  # spaced from the previous END, by the injected clock


def test_request_headers_and_timeouts(run):
    _, mock, _ = run(IDS[:2])
    request = mock.calls[0]["request"]
    assert request.headers["User-Agent"].startswith("diffsync/")
    assert "mailto:ops@example.org" in request.headers["User-Agent"]
    timeout = request.extensions["timeout"]
    assert timeout["connect"] == 10.0 and timeout["read"] == 30.0


def test_truncation_trap_never_turns_into_not_found(clock, run):
    # A server that caps pages at 100 entries whatever max_results says.
    mock = MockArxiv(clock, max_page=100)
    result, mock, _ = run(IDS[:250], mock=mock)
    assert set(result.records) == set(IDS[:250]) and not result.not_found
    assert [len(c["form"]["id_list"].split(",")) for c in mock.calls] == [250, 150, 50]


def test_malformed_and_duplicate_ids_are_never_sent(run):
    given = ["arXiv:2301.00001v2", "2301.00001", "https://arxiv.org/abs/2301.00002", "2301.00003", "1309.119", "bogus"]
    result, mock, _ = run(given)
    assert set(result.invalid) == {"https://arxiv.org/abs/2301.00002", "1309.119", "bogus"}
    assert mock.ids_asked(0) == ["2301.00001", "2301.00003"]
    assert set(result.records) == {"2301.00001", "2301.00003"}


def test_an_id_arxiv_rejects_is_dropped_and_the_batch_resent(run):
    rejected = httpx.Response(400, content=render_error("incorrect id format for 2301.00002", "x"))
    result, mock, _ = run(IDS[:3], script=[rejected])
    assert result.invalid == {"2301.00002": "arXiv rejected the identifier format"}
    assert set(result.records) == {"2301.00001", "2301.00003"}
    assert mock.ids_asked(1) == ["2301.00001", "2301.00003"]


def test_missing_id_is_reasked_alone_then_not_found(run):
    result, mock, _ = run(["2301.00001", "2301.99999", "2301.00002"])
    assert result.not_found == {"2301.99999"}
    assert mock.ids_asked(1) == ["2301.99999"]
    assert len(mock.calls) == 2 and result.requests == 2


def test_missing_id_that_comes_back_on_reask_is_found(clock, run):
    partial = atom([PAPERS["2301.00001"]])
    result, mock, _ = run(["2301.00001", "2301.00002"], script=[partial])
    assert set(result.records) == {"2301.00001", "2301.00002"} and not result.not_found
    assert mock.ids_asked(1) == ["2301.00002"]


def test_nothing_valid_makes_no_request(run):
    result, mock, _ = run(["nope", ""])
    assert mock.calls == [] and set(result.invalid) == {"nope", ""} and result.requests == 0


# -- faults --------------------------------------------------------------------


def test_429_with_retry_after_is_honoured(run):
    result, mock, _ = run(IDS[:5], script=[httpx.Response(429, headers={"Retry-After": "40"})])
    assert set(result.records) == set(IDS[:5])
    assert mock.gaps()[0] >= 40


def test_429_without_retry_after_backs_off_exponentially_with_jitter(run):
    too_many = httpx.Response(429)
    ok503 = httpx.Response(503)
    result, mock, _ = run(IDS[:5], script=[too_many, ok503, too_many], backoff=4.0)
    gaps = mock.gaps()
    assert 2.0 <= gaps[0] <= 4.0 and 4.0 <= gaps[1] <= 8.0 and 8.0 <= gaps[2] <= 16.0
    assert set(result.records) == set(IDS[:5])


def test_repeated_429s_store_a_cooldown_and_stop(clock, run):
    pacer = MemoryPacer()
    with pytest.raises(ApiError, match="429"):
        run(IDS[:5], script=[httpx.Response(429)] * 3, pacer=pacer)
    assert pacer.cooldown_until() == pytest.approx(clock.now + 3600, abs=1)
    # The next run, in this process or another sharing the pacer, does not even ask.
    with pytest.raises(ApiError, match="cooldown active"):
        _, mock, _ = run(IDS[:5], pacer=pacer)


def test_a_cooldown_about_to_end_is_waited_out(clock, run):
    pacer = MemoryPacer()
    pacer.set_cooldown(clock.now + 20)
    result, mock, _ = run(IDS[:2], pacer=pacer)
    assert mock.calls[0]["start"] >= pacer.cooldown_until() and len(result.records) == 2


def test_503_then_data(run):
    result, mock, _ = run(IDS[:5], script=[httpx.Response(503, text="busy")])
    assert set(result.records) == set(IDS[:5]) and len(mock.calls) == 2


def test_timeout_then_data(run):
    result, mock, _ = run(IDS[:5], script=[httpx.ReadTimeout("slow")])
    assert set(result.records) == set(IDS[:5]) and result.requests == 2


def test_unreachable_api_fails_in_bounded_tries(run):
    with pytest.raises(ApiError, match="unreachable.*connection failed"):
        run(IDS[:5], script=[httpx.ConnectError("refused")] * 10)


def test_empty_page_then_data(run):
    result, mock, _ = run(IDS[:5], script=[atom([], total=0)])
    assert set(result.records) == set(IDS[:5]) and not result.not_found
    assert mock.gaps()[0] >= 2.5  # backed off, not just paced


def test_html_403_stops_at_once(run):
    denied = httpx.Response(403, text="<html><h1>Access Denied</h1></html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ApiError, match="403"):
        run(IDS[:5], script=[denied])


@pytest.mark.parametrize("body", [b"", b"<html><body>captcha</body></html>", b"<?xml version='1.0'?><feed"])
def test_non_xml_or_empty_body_is_retried(run, body):
    result, mock, _ = run(IDS[:5], script=[httpx.Response(200, content=body)])
    assert set(result.records) == set(IDS[:5]) and len(mock.calls) == 2


def test_exhausted_batch_is_unchecked_and_the_rest_not_asked(run):
    script = [None] + [httpx.Response(503)] * 4  # batch 1 fine, batch 2 fails every try
    batches, mock, _ = run(IDS[:9], script=script, method="batches", batch_size=3)
    assert len(batches[0].records) == 3
    assert set(batches[1].unchecked) == set(IDS[3:6]) and "HTTP 503" in batches[1].unchecked[IDS[3]]
    assert set(batches[2].unchecked) == set(IDS[6:9]) and batches[2].requests == 0
    assert not any(b.not_found for b in batches)
    assert len(mock.calls) == 5


def test_a_previous_process_request_is_respected(clock, run):
    pacer = MemoryPacer()
    pacer.record_request(clock.now - 1.0)  # someone else's request ended a second ago
    _, mock, _ = run(IDS[:1], pacer=pacer)
    assert mock.calls[0]["start"] >= clock.now - mock.duration - 0.001 and clock.sleeps[0] == pytest.approx(2.0)


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after("120", 0) == 120 and parse_retry_after("soon", 0) is None
