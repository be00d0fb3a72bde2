"""One venue source's HTTP: bounded answers, its own pace, retries, Retry-After, a cooldown.

Built on the arXiv client's ``BoundedHttp`` (deadline from connect to last
byte, body cap counted after decoding, redirects never followed) and its
``Retry-After`` parser, so the venue sources are exactly as careful.  Each
source has its own ``JsonHttp`` with its own clock: a slow source never
paces another, and none of them touches arXiv's pacer.  When retries run
out, or the source keeps answering 429, the client is *down* for the rest
of the run: every later call raises ``SourceDown`` at once, so a dead
source costs one request's retries, not one per paper.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import httpx

from ..arxivapi.bounded import BoundedHttp, DeadlineExceeded, ResponseTooLarge
from ..arxivapi.client import parse_retry_after, user_agent
from ..errors import one_line

log = logging.getLogger("diffsync.venuesrc")
COOLDOWN_AFTER_429 = 3  # consecutive 429s that end the source's run


@dataclass(frozen=True)
class Policy:
    """How one source is asked: its pace and its patience."""

    name: str  # "Semantic Scholar": for messages
    pace: float  # seconds from the end of one request to the start of the next
    timeout: float = 30.0  # whole request, connect to last byte
    max_retries: int = 3
    backoff: float = 2.0  # first retry wait, doubled each try, with jitter
    max_backoff: float = 60.0
    max_bytes: int = 32 * 2**20
    max_retry_after: float = 600.0  # a longer Retry-After ends the source's run (cooldown)
    cooldown: float = 3600.0  # how long a source that kept answering 429 is left alone


class SourceDown(Exception):
    """The source cannot be asked for the rest of this run; ``cooldown_until`` if it rate-limited us."""

    def __init__(self, reason: str, cooldown_until: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cooldown_until = cooldown_until


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


Check = Callable[[Any], str | None]  # a parsed answer -> why it is unusable, or None


class JsonHttp:
    """GET or POST to one source, JSON back; see the module docstring."""

    def __init__(self, policy: Policy, *, headers: Mapping[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.policy = policy
        self.clock, self.sleep = clock, sleep
        self.rng = rng or random.Random()
        self.requests = 0
        self.down: SourceDown | None = None
        self._last_end: float | None = None
        self._not_before = 0.0
        self._consecutive_429 = 0
        self._http = BoundedHttp(timeout=policy.timeout, max_bytes=policy.max_bytes,
                                 headers={"User-Agent": user_agent(""), "Accept": "application/json",
                                          **(headers or {})},
                                 transport=transport, section="venues")

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, params: Mapping[str, str], check: Check) -> Any:
        return self._call("GET", url, params=params, body=None, check=check)

    def post(self, url: str, params: Mapping[str, str], body: Any, check: Check) -> Any:
        return self._call("POST", url, params=params, body=body, check=check)

    def _call(self, method: str, url: str, *, params: Mapping[str, str], body: Any, check: Check) -> Any:
        if self.down is not None:
            raise self.down
        last: _Retry | None = None
        for attempt in range(self.policy.max_retries + 1):
            if last is not None:
                wait = self._back_off(attempt, last.retry_after)
                log.warning("%s: %s; retrying in %.1f s (try %d of %d)", self.policy.name, last.reason,
                            wait, attempt + 1, self.policy.max_retries + 1)
            try:
                return self._attempt(method, url, params, body, check)
            except _Retry as exc:
                last = exc
        assert last is not None
        self.down = SourceDown(f"{self.policy.name}: {last.reason} "
                               f"({self.policy.max_retries + 1} tries)")
        raise self.down

    def _attempt(self, method: str, url: str, params: Mapping[str, str], body: Any, check: Check) -> Any:
        self._wait_turn()
        self.requests += 1
        try:
            answer = self._http.send(method, url, params=params, json=body)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            self.down = SourceDown(f"{self.policy.name}: URL {url!r} is not usable: {one_line(exc)}")
            raise self.down from None
        except (DeadlineExceeded, ResponseTooLarge) as exc:
            raise _Retry(str(exc)) from None
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__})") from None
        except httpx.DecodingError as exc:
            raise _Retry(f"undecodable response ({one_line(exc)})") from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__})") from None
        finally:
            self._last_end = self.clock()  # pace from the end of a request, not its start
        status = answer.status
        if status == 429 or status >= 500:
            retry_after = self._retry_after(answer.headers.get("Retry-After"))
            if status == 429:
                self._note_429(retry_after)
            raise _Retry(f"HTTP {status}", retry_after)
        self._consecutive_429 = 0
        if 300 <= status < 400:
            where = " ".join((answer.headers.get("Location") or "nowhere").split())[:200]
            raise _Retry(f"HTTP {status} redirect to {where!r}, not followed")
        if status in (401, 403):
            self.down = SourceDown(f"{self.policy.name} denied access (HTTP {status}); "
                                   "check the API key and the request rate")
            raise self.down
        if status >= 400:
            raise _Retry(f"HTTP {status}")
        try:
            parsed = json.loads(answer.body)
        except (ValueError, RecursionError) as exc:
            raise _Retry(f"not JSON ({one_line(exc)[:80]})") from None
        problem = check(parsed)
        if problem:
            raise _Retry(f"unusable answer: {problem}")
        return parsed

    def _wait_turn(self) -> None:
        now = self.clock()
        ready = max(now, self._not_before,
                    (self._last_end + self.policy.pace) if self._last_end is not None else now)
        if ready > now:
            self.sleep(ready - now)

    def _retry_after(self, header: str | None) -> float | None:
        wait = parse_retry_after(header, self.clock())
        if wait is not None and wait > self.policy.max_retry_after:
            self._stop_for(wait, f"HTTP 429 with Retry-After {header!r}")
        return wait

    def _note_429(self, retry_after: float | None) -> None:
        self._consecutive_429 += 1
        if self._consecutive_429 >= COOLDOWN_AFTER_429:
            self._stop_for(max(self.policy.cooldown, retry_after or 0.0),
                           f"{self._consecutive_429} consecutive HTTP 429")

    def _stop_for(self, seconds: float, why: str) -> None:
        until = self.clock() + min(seconds, 30 * 86400.0)
        self.down = SourceDown(f"{self.policy.name} rate-limited us ({why}); left alone until "
                               f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(until))}", until)
        raise self.down

    def _back_off(self, attempt: int, retry_after: float | None) -> float:
        base = min(self.policy.max_backoff, self.policy.backoff * 2 ** (attempt - 1))
        wait = base * (0.5 + self.rng.random() / 2)
        if retry_after is not None:
            wait = max(wait, retry_after)
        self._not_before = self.clock() + wait
        return wait
