"""Self-test of tests/helpers/hostile_http.py: each behaviour does what it says, and never hangs.

Every loop here is capped in iterations and in time, and every client has
short timeouts, so a broken behaviour fails a test instead of stalling the suite.
"""

from __future__ import annotations

import ssl
import time
import xml.etree.ElementTree as ET

import httpx
import pytest

from helpers import paths
from helpers.hostile_http import (
    Conn,
    HostileServer,
    atom_feed,
    cycle,
    drop,
    endless_chunked,
    gzip_bomb,
    gzip_bomb_body,
    huge,
    malformed,
    ok,
    redirect,
    redirect_loop,
    sequence,
    status,
    trickle,
)

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

FIXTURES = paths.FIXTURES / "arxiv"
A = "{http://www.w3.org/2005/Atom}"
MiB = 1 << 20
REAL_FEED = "query-idlist-oldstyle-astro-ph-0601001.journalref-affiliations-comment.2026-05.atom.xml"
SSL = ssl.create_default_context()  # unused on http://, but httpx builds one per client otherwise (50 ms)


def client(read: float = 2.0, **kw) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(2.0, read=read), verify=SSL, **kw)


def read_capped(resp: httpx.Response, cap: int, decoded: bool = False, seconds: float = 3.0) -> int:
    """Bytes read from ``resp`` until EOF, ``cap``, 100k chunks or ``seconds``, whichever is first."""
    total, deadline = 0, time.monotonic() + seconds
    chunks = resp.iter_bytes() if decoded else resp.iter_raw()
    for _, chunk in zip(range(100_000), chunks):
        total += len(chunk)
        if total >= cap or time.monotonic() > deadline:
            break
    return total


def test_ok_answers_and_every_request_is_recorded():
    with HostileServer(ok(b"<feed/>", headers={"X-Test": "1"})) as srv, client() as c:
        r = c.post(srv.url, content=b"id_list=2206.00364", headers={"X-Probe": "p"})
        c.get(srv.url + "?id_list=1&start=0")
        reqs = srv.requests
    assert (r.status_code, r.content, r.headers["content-length"], r.headers["x-test"]) == (200, b"<feed/>", "7", "1")
    assert [(q.method, q.path) for q in reqs] == [("POST", "/api/query"), ("GET", "/api/query?id_list=1&start=0")]
    assert reqs[0].body == b"id_list=2206.00364" and reqs[0].header("x-PROBE") == "p" and reqs[1].body == b""
    assert srv.url.startswith("http://127.0.0.1:") and srv.errors == []


def test_chunked_request_bodies_are_read_whole():
    with HostileServer(ok(b"")) as srv, client() as c:
        c.post(srv.url, content=iter([b"id_list=", b"1,2"]))  # an iterator makes httpx send chunked
    assert srv.requests[0].body == b"id_list=1,2"


def test_trickle_sends_the_first_bytes_then_stalls_past_a_short_read_timeout():
    with HostileServer(trickle(b"<feed>...</feed>", bytes_per_second=2)) as srv, client(read=0.3) as c:
        got = b""
        with c.stream("GET", srv.url) as r, pytest.raises(httpx.ReadTimeout):
            for _, chunk in zip(range(50), r.iter_raw()):
                got += chunk
        assert r.headers["content-length"] == "16" and got.startswith(b"<") and len(got) < 4


def test_trickle_delivers_the_whole_body_to_a_patient_client():
    with HostileServer(trickle(b"<feed/>", bytes_per_second=100)) as srv, client() as c:
        assert c.get(srv.url).content == b"<feed/>"


def test_endless_chunked_never_ends_and_the_client_can_walk_away():
    with HostileServer(sequence(endless_chunked(), ok(b""))) as srv, client() as c:
        with c.stream("GET", srv.url) as r:
            n = read_capped(r, cap=2 * MiB)
        assert r.headers["transfer-encoding"] == "chunked" and "content-length" not in r.headers
        assert n >= 2 * MiB
        assert c.get(srv.url).status_code == 200  # still serving after the client hung up
    assert srv.errors == []


def test_huge_streams_exactly_n_bytes_with_content_length():
    with HostileServer(huge(5 * MiB + 3)) as srv, client() as c, c.stream("GET", srv.url) as r:
        assert r.headers["content-length"] == str(5 * MiB + 3)
        assert read_capped(r, cap=10 * MiB) == 5 * MiB + 3


def test_gzip_bomb_is_small_on_the_wire_and_huge_decoded():
    assert gzip_bomb_body(16) is gzip_bomb_body(16)  # built once per size
    with HostileServer(gzip_bomb(decoded_mb=16)) as srv, client() as c:
        with c.stream("GET", srv.url) as r:
            raw = read_capped(r, cap=10 * MiB)
        with c.stream("GET", srv.url) as r:
            decoded = read_capped(r, cap=64 * MiB, decoded=True)
    assert r.headers["content-encoding"] == "gzip"
    assert raw == int(r.headers["content-length"]) < 64 * 1024
    assert decoded == 16 * MiB


def test_redirect_points_elsewhere_and_redirect_loop_points_at_itself():
    with HostileServer(redirect("https://example.invalid/x", status=301)) as srv, client() as c:
        r = c.get(srv.url)
    assert (r.status_code, r.headers["location"]) == (301, "https://example.invalid/x")
    with HostileServer(redirect_loop()) as srv, client(follow_redirects=True, max_redirects=5) as c:
        assert c.get(srv.url, follow_redirects=False).headers["location"] == srv.url
        with pytest.raises(httpx.TooManyRedirects):
            c.get(srv.url)
        assert len(srv.requests) == 1 + 6


@pytest.mark.parametrize("retry_after", ["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999"])
def test_status_sends_the_code_headers_and_body(retry_after):
    with HostileServer(status(429, {"Retry-After": retry_after}, b"slow down")) as srv, client() as c:
        r = c.get(srv.url)
    assert (r.status_code, r.headers["retry-after"], r.content) == (429, retry_after, b"slow down")


def test_malformed_is_not_xml_and_short_by_truncates_the_body():
    with HostileServer(sequence(malformed(), malformed(short_by=100))) as srv, client() as c:
        r = c.get(srv.url)
        assert r.status_code == 200 and r.content.startswith(b"<?xml")
        with pytest.raises(ET.ParseError):
            ET.fromstring(r.content)
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(srv.url)


@pytest.mark.parametrize("reset", [False, True])
def test_drop_hangs_up_without_a_response(reset):
    with HostileServer(drop(reset=reset)) as srv, client() as c:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
            c.get(srv.url)
        assert len(srv.requests) == 1
    assert srv.errors == []


def test_sequence_repeats_its_last_and_cycle_goes_round():
    with HostileServer(sequence(status(503), status(429), ok(b""))) as srv, client() as c:
        assert [c.get(srv.url).status_code for _ in range(5)] == [503, 429, 200, 200, 200]
    with HostileServer(cycle(status(503), ok(b""))) as srv, client() as c:
        assert [c.get(srv.url).status_code for _ in range(5)] == [503, 200, 503, 200, 503]


def test_a_plain_callable_is_a_behaviour_and_its_crash_is_recorded():
    def echo(conn: Conn) -> None:
        if conn.request.body == b"boom":
            raise ValueError("boom")
        conn.head(201, length=len(conn.request.body))
        conn.write(conn.request.body)

    with HostileServer(echo) as srv, client() as c:
        assert c.post(srv.url, content=b"hi").content == b"hi"
        with pytest.raises(httpx.RemoteProtocolError):
            c.post(srv.url, content=b"boom")
    assert [type(e) for e in srv.errors] == [ValueError]


@pytest.mark.parametrize("behaviour", [trickle(b"x" * 100, 1.0), endless_chunked()], ids=["trickle", "endless"])
def test_shutdown_is_prompt_while_a_response_is_in_progress(behaviour):
    srv = HostileServer(behaviour)
    with srv, client() as c, c.stream("GET", srv.url) as r:
        chunks = r.iter_raw()
        next(chunks)  # response under way; the client now stops reading
        t0 = time.monotonic()
        srv.close()
        elapsed = time.monotonic() - t0
        assert srv.open_connections == 0
        with pytest.raises(httpx.HTTPError):  # the client sees the hang-up, not a hang
            for _ in zip(range(100_000), chunks):
                pass
    assert elapsed < 2.0 and srv.errors == []


def test_atom_feed_has_the_real_arxiv_layout_and_keeps_hostile_values_verbatim():
    real = ET.parse(FIXTURES / REAL_FEED)
    hostile = {
        "id": "2206.00364v99999999999999999999",
        "title": "**Bold** <b>html</b> & [link](javascript:x) `code` | pipe",
        "authors": ["A. <Author>", "B & C", "D", "E"],
        "published": "9999-12-31T23:00:00-05:00",
        "updated": "2023-13-45T99:99:99Z",
        "comment": "10 pages <i>",
        "journal_ref": 'J. "Quoted" 1 (2024)',
    }
    ours = ET.fromstring(atom_feed([hostile]))
    tags = lambda el: [child.tag for child in el]  # noqa: E731
    assert tags(ours) == tags(real.getroot())
    assert tags(ours.find(A + "entry")) == tags(real.getroot().find(A + "entry"))
    e = ours.find(A + "entry")
    assert e.findtext(A + "id") == "http://arxiv.org/abs/2206.00364v99999999999999999999"
    assert e.findtext(A + "title") == hostile["title"]
    assert (e.findtext(A + "published"), e.findtext(A + "updated")) == (hostile["published"], hostile["updated"])
    assert [a.findtext(A + "name") for a in e.findall(A + "author")] == hostile["authors"]
    assert e.findtext("{http://arxiv.org/schemas/atom}comment") == hostile["comment"]
    assert e.findtext("{http://arxiv.org/schemas/atom}journal_ref") == hostile["journal_ref"]
    assert ours.findtext("{http://a9.com/-/spec/opensearch/1.1/}totalResults") == "1"
    bare = ET.fromstring(atom_feed([dict(hostile, comment=None, journal_ref=None)], total_results=0))
    assert len(tags(bare.find(A + "entry"))) == len(tags(e)) - 2
    assert bare.findtext("{http://a9.com/-/spec/opensearch/1.1/}totalResults") == "0"
