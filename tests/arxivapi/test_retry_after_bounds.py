"""Bounded waits (issue 12, item 2): absurd Retry-After values and cooldowns never lock arXiv out.

The client runs against the hostile server with its sleep recorded instead of
slept, so a honoured "wait until 9999" would show as a huge recorded wait.
"""

from __future__ import annotations

import json
import math
import time

import pytest

from diffsync.arxivapi.client import ArxivClient, parse_retry_after
from diffsync.arxivapi.pacing import MemoryPacer
from diffsync.errors import ApiError
from diffsync.store.store import Store
from helpers.hostile_http import HostileServer, ok, sequence, status
from helpers.hostile_cases import cli_env, diffsync, fast_arxiv, good_feed, write_list

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

IDS = ["2006.11239", "2010.02502", "2206.00364"]
ABSURD = ["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999", "9" * 400, "-5",
          "soon", "Wed, 99 Foo 2026 99:99:99 GMT", "86401"]


def client(url: str, waits: list[float], pacer=None, **kw) -> ArxivClient:
    return ArxivClient(fast_arxiv(url, **kw), pacer=pacer, sleep=waits.append)


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_retry_after_falls_back_to_normal_backoff(value):
    waits: list[float] = []
    with HostileServer(sequence(status(429, {"Retry-After": value}), ok(good_feed()))) as srv:
        with client(srv.url, waits, max_retry_after=86400) as c:
            result = c.fetch(IDS)
    assert sorted(result.records) == IDS
    assert waits and max(waits) <= 0.05  # max_backoff, not the header's years


def test_huge_delta_seconds_parse_without_overflow():
    assert parse_retry_after("99999999999999999999", 0) == math.inf
    assert parse_retry_after("9" * 400, 0) == math.inf
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", time.time()) > 1e11


def test_a_retry_after_within_the_cap_is_still_honoured():
    waits: list[float] = []
    with HostileServer(sequence(status(429, {"Retry-After": "30"}), ok(good_feed()))) as srv:
        with client(srv.url, waits, max_backoff=60.0) as c:
            c.fetch(IDS)
    assert max(waits) >= 29  # the header's 30 s, less the moments since it arrived


def test_repeated_429s_store_a_capped_cooldown_with_its_source():
    waits: list[float] = []
    pacer = MemoryPacer()
    with HostileServer(status(429, {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})) as srv:
        with client(srv.url, waits, pacer, cooldown=7 * 86400.0, max_cooldown=7200.0) as c:
            with pytest.raises(ApiError, match="paused until"):
                c.fetch(IDS)
    until = pacer.cooldown_until()
    assert until is not None and until - time.time() <= 7200
    assert pacer.cooldown_source.startswith("3 consecutive HTTP 429 from " + srv.url)
    assert max(waits) <= 0.05


def test_a_cooldown_stored_until_9999_is_read_as_capped(tmp_path, database_url):
    """A database written before the cap (or by another tool) must not lock arXiv out."""
    with Store.open(database_url) as store:
        store.pacer().record_request(time.time() - 60)
        store._set_api_state(cooldown_until=253402300799.0)  # 9999-12-31, no source, no start
        active = store.cooldown(3600)
        assert active is not None and active.capped
        assert (active.until.timestamp() - time.time()) <= 3600
        # the client reads it the same way: waits at most the cap, never raises "until 9999"
        assert store.cooldown(30) is None  # the last request was a minute ago


def test_a_cooldown_of_1e20_neither_overflows_nor_locks_out(tmp_path, database_url):
    with Store.open(database_url) as store:
        store._set_api_state(cooldown_until=1e20, last_request_at=time.time() - 10)
        assert store.cooldown_until().year == 9999
        assert store.cooldown(5) is None


def test_status_shows_the_cooldown_and_its_source_and_db_clear_cooldown_lifts_it(
        tmp_path, database_url):
    lst = write_list(tmp_path / "list.md")
    with HostileServer(status(429, {"Retry-After": "99999999999999999999"})) as srv:
        env = cli_env(srv.url, database_url, DIFFSYNC_ARXIV_COOLDOWN="3600",
                      DIFFSYNC_ARXIV_MAX_RETRIES="5")
        first = diffsync("check", str(lst), env=env, cwd=tmp_path)
        assert first.returncode == 3, first.stderr
        assert "internal error" not in first.stderr and "Overflow" not in first.stderr
        asked = len(srv.requests)
        again = diffsync("check", str(lst), env=env, cwd=tmp_path)
        assert len(srv.requests) == asked  # the cooldown holds: no request
    assert again.returncode == 3 and "paused until" in again.stderr
    assert "db clear-cooldown" in again.stderr

    shown = diffsync("status", env=env, cwd=tmp_path)
    assert "arXiv cooldown: active until" in shown.stdout
    assert f"3 consecutive HTTP 429 from {srv.url}" in shown.stdout
    doc = json.loads(diffsync("status", "--json", env=env, cwd=tmp_path).stdout)
    assert doc["cooldown"]["active"] and "HTTP 429" in doc["cooldown"]["source"]

    cleared = diffsync("db", "clear-cooldown", env=env, cwd=tmp_path)
    assert cleared.returncode == 0 and "arXiv cooldown cleared" in cleared.stdout
    assert "cooldown: none" in diffsync("status", env=env, cwd=tmp_path).stdout
    assert "nothing to clear" in diffsync("db", "clear-cooldown", env=env, cwd=tmp_path).stdout

    with HostileServer(ok(good_feed())) as srv:  # arXiv is back: the next check completes
        done = diffsync("check", str(lst), env=cli_env(srv.url, database_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_config_caps_have_bounds(tmp_path, monkeypatch):
    from diffsync.config import load_settings
    from diffsync.errors import ConfigError
    monkeypatch.chdir(tmp_path)  # no config.toml here: defaults
    for key, value in [("MAX_RETRY_AFTER", "1e300"), ("MAX_COOLDOWN", "inf"),
                       ("MAX_RESPONSE_MB", "0"), ("MAX_RESPONSE_MB", "1e9")]:
        with pytest.raises(ConfigError, match=key.lower()):
            load_settings(None, environ={f"DIFFSYNC_ARXIV_{key}": value})
    s = load_settings(None, environ={})
    assert (s.arxiv.max_retry_after, s.arxiv.max_cooldown, s.arxiv.max_response_mb) == (
        3600.0, 86400.0, 64.0)
