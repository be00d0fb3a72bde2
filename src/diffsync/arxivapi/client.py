"""The arXiv API client: the only code in diffsync that speaks HTTP.

Batched (POST ``id_list`` with ``max_results`` = batch size, so arXiv never
silently truncates), polite (one request at a time, ``delay`` seconds after
the previous one *ended*, for every process sharing the pacer), and
resilient (timeouts, exponential backoff with jitter, ``Retry-After``, a
stored cooldown after repeated 429s).  A flaky answer is never taken for a
fact: IDs missing from an answer are asked again before they are called
``not_found``, and IDs that could not be asked are ``unchecked``.
"""

from __future__ import annotations

import logging
import math
import random
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable, Iterator, Sequence

import httpx

from .. import __version__
from .atom import Feed, FeedError, parse_feed
from .bounded import Answer, BoundedHttp, DeadlineExceeded, ResponseTooLarge
from ..config import ArxivSettings
from ..errors import ApiError, one_line
from ..arxivid import parse_id
from ..models import FetchResult, PaperRecord
from .pacing import MemoryPacer, Pacer
from .query import Query

log = logging.getLogger("diffsync.arxivapi.client")
PROJECT_URL = "https://github.com/diffsync/diffsync"
COOLDOWN_AFTER_429 = 3  # consecutive 429s that make us stop and store a cooldown
_BAD_ID = re.compile(r"incorrect id format for (\S+)")


class _Retryable(Exception):
    """A transient failure: retry after backing off."""

    def __init__(self, reason: str, retry_after: float | None = None, transport: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.transport = transport  # the API could not be reached at all


class _Exhausted(Exception):
    """Retries ran out; ``reason`` says what kept failing."""

    def __init__(self, reason: str, transport: bool):
        super().__init__(reason)
        self.reason = reason
        self.transport = transport


@dataclass(frozen=True)
class SearchAnswer:
    """What arXiv answered to one search: the readable records, and why the others were not."""

    records: tuple[PaperRecord, ...]
    unreadable: dict[str, str]  # arXiv ID -> why its record could not be read


class _Rejected(Exception):
    """arXiv refused the request as malformed (HTTP 400 or an error entry)."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = tuple(messages)


def _refuse_empty_page(feed: Feed, form: dict[str, str], expected: int) -> None:
    """An empty page is a failed try when it contradicts itself or the request.

    arXiv sporadically answers a page with no entries: with ``totalResults`` 0
    (indistinguishable from "nothing", so only an ``expected`` answer, IDs we know
    exist, can tell), or with ``totalResults`` saying there are results.  The
    latter never decides anything, on any request kind: a search would take it
    for "no candidates" and a finding would vanish.
    """
    start = int(form.get("start") or 0)
    total = feed.total_results or 0
    if total > start + feed.skipped:  # legacy servers counted an id-less entry per missing ID
        raise _Retryable(f"arXiv returned an empty page though it counts {total} results")
    if expected:
        raise _Retryable("arXiv returned an empty page")


def user_agent(contact: str) -> str:
    mail = f"; mailto:{contact}" if contact else ""
    return f"diffsync/{__version__} (+{PROJECT_URL}{mail})"


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        # 20 digits is already 3e12 years; more would overflow a float.
        return float(value) if len(value) <= 15 else math.inf
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)


@dataclass
class _Batch:
    """What one batch of IDs came to, built up across requests."""

    ids: list[str]
    records: dict[str, PaperRecord] = field(default_factory=dict)
    not_found: set[str] = field(default_factory=set)
    unchecked: dict[str, str] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def result(self) -> FetchResult:
        return FetchResult(
            records=dict(self.records),
            not_found=frozenset(self.not_found),
            unchecked=dict(self.unchecked),
            invalid=dict(self.invalid),
            requests=self.requests,
            unreadable={i: r for i, r in self.unreadable.items() if i not in self.records},
        )


class ArxivClient:
    """Fetch canonical metadata from the arXiv API; see the module docstring."""

    def __init__(
        self,
        settings: ArxivSettings,
        *,
        pacer: Pacer | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if settings.batch_size < 1 or settings.batch_size > 2000:
            raise ApiError(f"arxiv.batch_size must be 1..2000 (arXiv's page limit), got {settings.batch_size}")
        self.settings = settings
        self.pacer: Pacer = pacer if pacer is not None else MemoryPacer()
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests_made = 0
        self._not_before = 0.0  # backoff: no request before this time
        self._consecutive_429 = 0
        self._http = BoundedHttp(
            timeout=settings.timeout, max_bytes=int(settings.max_response_mb * 2**20),
            headers={"User-Agent": user_agent(settings.contact)}, transport=transport,
        )

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API ----------------------------------------------------------

    def fetch(self, ids: Iterable[str]) -> FetchResult:
        """Every batch of ``fetch_batches`` merged into one result."""
        merged = _Batch(ids=[])
        for part in self.fetch_batches(ids):
            merged.records.update(part.records)
            merged.not_found |= part.not_found
            merged.unchecked.update(part.unchecked)
            merged.invalid.update(part.invalid)
            merged.unreadable.update(part.unreadable)
            merged.requests += part.requests
        return merged.result()

    def fetch_batches(self, ids: Iterable[str]) -> Iterator[FetchResult]:
        """One ``FetchResult`` per batch, so the caller can commit each batch on its own.

        Invalid IDs are reported in the first result and never sent.  Raises
        ``ApiError`` on HTTP 403, an active cooldown, or when arXiv cannot be
        reached before any batch succeeded.
        """
        canonical, invalid = self._canonicalise(ids)
        size = self.settings.batch_size
        chunks = [canonical[i : i + size] for i in range(0, len(canonical), size)] or [[]]
        answered = False
        gave_up: str | None = None
        for n, chunk in enumerate(chunks):
            batch = _Batch(ids=chunk, invalid=invalid if n == 0 else {})
            if gave_up is not None:
                batch.unchecked = {i: f"not asked: {gave_up}" for i in chunk}
            elif chunk:
                try:
                    self._fetch_batch(batch)
                    answered = True
                except _Exhausted as exc:
                    if exc.transport and not answered:
                        raise ApiError(
                            f"arXiv API unreachable at {self.settings.url}: {exc.reason}"
                        ) from None
                    # Retries are spent; asking the rest now would only prolong the outage.
                    gave_up = f"arXiv kept failing ({exc.reason})"
                    batch.unchecked.update({i: exc.reason for i in chunk if i not in batch.records})
            yield batch.result()

    def search(self, query: Query) -> SearchAnswer:
        """The papers arXiv answers to one search query; none if arXiv cannot parse it.

        Which of them a list entry means is not decided here: see drift.matching.
        Raises ``ApiError`` when retries run out, on HTTP 403 or an active cooldown.
        """
        try:
            feed = self._query(query.form(), expected=0)
        except _Rejected:
            return SearchAnswer((), {})  # a query arXiv cannot parse finds nothing
        except _Exhausted as exc:
            raise ApiError(f"arXiv title search failed: {exc.reason}") from None
        return SearchAnswer(tuple(feed.records), dict(feed.unreadable))

    # -- batching ----------------------------------------------------------

    @staticmethod
    def _canonicalise(ids: Iterable[str]) -> tuple[list[str], dict[str, str]]:
        canonical: dict[str, None] = {}
        invalid: dict[str, str] = {}
        for given in ids:
            parsed = parse_id(given)
            if parsed is None:
                invalid[given] = "not a valid arXiv identifier"
            else:
                canonical[parsed.id] = None
        return list(canonical), invalid

    def _fetch_batch(self, batch: _Batch) -> None:
        """Ask for ``batch.ids``; re-ask any that are missing before calling them not found."""
        wanted = list(batch.ids)
        first = True
        while wanted:
            feed = self._ask_ids(batch, wanted, transient_empty=first and len(wanted) > 1)
            asked = set(wanted)  # a batch is 1,000 IDs: no list scans per record
            found = [r for r in feed.records if r.arxiv_id in asked]
            batch.records.update({r.arxiv_id: r for r in found})
            batch.unreadable.update({i: r for i, r in feed.unreadable.items() if i in asked})
            missing = [i for i in wanted if i not in batch.records and i not in batch.invalid
                       and i not in batch.unreadable]
            answered = len(found) + len(feed.unreadable)
            truncated = feed.total_results is not None and feed.total_results > answered
            if not missing:
                return
            if not first and not (truncated and found):
                # Asked twice, answered consistently: these really are absent.
                batch.not_found.update(missing)
                return
            wanted, first = missing, False

    def _ask_ids(self, batch: _Batch, ids: list[str], transient_empty: bool) -> Feed:
        """One ``id_list`` query with retries; drops IDs arXiv rejects as malformed."""
        ids = list(ids)
        while True:
            form = {"id_list": ",".join(ids), "start": "0", "max_results": str(len(ids))}
            before = self.requests_made
            try:
                return self._query(form, expected=len(ids) if transient_empty else 0)
            except _Rejected as exc:
                bad = {m.group(1) for m in map(_BAD_ID.search, exc.messages) if m} & set(ids)
                if not bad:
                    raise ApiError(f"arXiv rejected the request: {exc}") from None
                for i in bad:
                    batch.invalid[i] = "arXiv rejected the identifier format"
                ids = [i for i in ids if i not in bad]
                if not ids:
                    return Feed(records=(), total_results=0)
            finally:
                batch.requests += self.requests_made - before

    # -- one query, retried ----------------------------------------------------

    def _query(self, form: dict[str, str], expected: int) -> Feed:
        """POST one query, retrying transient failures; ``expected`` > 0 makes an empty page transient."""
        last: _Retryable | None = None
        for attempt in range(self.settings.max_retries + 1):
            if last is not None:
                wait = self._back_off(attempt, last.retry_after)
                # Backoff can add up to minutes: say what is happening.
                log.warning("arXiv: %s; retrying in %.1f s (try %d of %d)", last.reason, wait,
                            attempt + 1, self.settings.max_retries + 1)
            try:
                feed = self._attempt(form)
                if not feed.records and not feed.errors and not feed.unreadable:
                    _refuse_empty_page(feed, form, expected)
                return feed
            except _Retryable as exc:
                last = exc
        assert last is not None
        tries = self.settings.max_retries + 1
        raise _Exhausted(f"{last.reason} ({tries} tries)", transport=last.transport)

    def _attempt(self, form: dict[str, str]) -> Feed:
        try:
            response = self._send(form)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise ApiError(f"arxiv.url {self.settings.url!r} is not usable: {exc}") from None
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})", transport=True) from None
        except DeadlineExceeded as exc:
            raise _Retryable(f"timed out ({exc})", transport=True) from None
        except ResponseTooLarge as exc:
            raise _Retryable(str(exc)) from None
        except httpx.DecodingError as exc:
            raise _Retryable(f"undecodable response ({one_line(exc)})") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__})", transport=True) from None
        status = response.status
        retry_after = (self._retry_after(response.headers.get("Retry-After"))
                       if status == 429 or status >= 500 else None)
        if status == 429:
            self._note_429(retry_after)
            raise _Retryable("HTTP 429 Too Many Requests", retry_after)
        self._consecutive_429 = 0
        if 300 <= status < 400:
            # Never followed: a redirect can point anywhere, and turns the POST into a GET.
            location = " ".join((response.headers.get("Location") or "nowhere").split())[:200]
            raise _Retryable(f"HTTP {status} redirect to {location!r}, not followed "
                             "(set arxiv.url to the API's address)", transport=True)
        if status == 403:
            raise ApiError(
                "arXiv denied access (HTTP 403); stop and check the User-Agent contact "
                "and request rate before trying again"
            )
        if status >= 500:
            raise _Retryable(f"HTTP {status}", retry_after)
        try:
            feed = parse_feed(response.body)
        except FeedError as exc:
            if status >= 400:
                raise ApiError(f"arXiv answered HTTP {status} with {exc}") from None
            raise _Retryable(f"unusable response: {exc}") from None
        if feed.errors or status >= 400:
            raise _Rejected(feed.errors or (f"HTTP {status}",))
        return feed

    def _send(self, form: dict[str, str]) -> Answer:  # -v logs each request, its size and time
        with self.pacer.hold():
            self._wait_turn()
            self.pacer.record_request(self.clock())
            self.requests_made += 1
            started = time.monotonic()
            try:
                answer = self._http.post(self.settings.url, data=form)
            finally:
                # The next request is spaced from this one's end, not its start.
                self.pacer.record_request(self.clock())
            log.debug("arXiv request %d: %s -> HTTP %d, %s in %.2f s", self.requests_made, _what(form),
                     answer.status, _size(len(answer.body)), time.monotonic() - started)
            return answer

    # -- pacing and backoff ------------------------------------------------

    def _wait_turn(self) -> None:
        now = self.clock()
        cooldown = self._cooldown(now)
        if cooldown is not None and cooldown - now > max(self.settings.max_backoff, self.settings.delay):
            until = datetime.fromtimestamp(cooldown, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            raise ApiError(f"arXiv cooldown active until {until} after repeated HTTP 429; try again later")
        last = self.pacer.last_request_at()
        ready = max(
            (last + self.settings.delay) if last is not None else now,
            cooldown or now,
            self._not_before,
        )
        if ready > now:
            self.sleep(ready - now)

    def _retry_after(self, header: str | None) -> float | None:
        """The ``Retry-After`` wait to honour; None (normal backoff) if it is unusable or absurd."""
        wait = parse_retry_after(header, self.clock())
        if header and wait is None:
            log.warning("arXiv: ignoring unparseable Retry-After %r", header[:80])
        elif wait is not None and wait > self.settings.max_retry_after:
            log.warning("arXiv: ignoring Retry-After %r (over arxiv.max_retry_after = %g s)",
                        header[:80] if header else header, self.settings.max_retry_after)
            return None
        return wait

    def _cooldown(self, now: float) -> float | None:
        """The stored cooldown, never more than ``max_cooldown`` past the last request.

        A cooldown stored by an older diffsync (or before the cap was lowered) may
        reach into year 9999; it is read as capped rather than locking arXiv out.
        """
        until = self.pacer.cooldown_until()
        if until is None:
            return None
        since = self.pacer.last_request_at()
        return min(until, (since if since is not None else now) + self.settings.max_cooldown)

    def _back_off(self, attempt: int, retry_after: float | None) -> float:
        """Schedule the next try: exponential backoff with jitter, at least ``Retry-After``; the wait."""
        base = min(self.settings.max_backoff, self.settings.backoff * 2 ** (attempt - 1))
        wait = base * (0.5 + self.rng.random() / 2)  # "equal jitter": spreads retries, keeps a floor
        if retry_after is not None:
            wait = max(wait, retry_after)
        self._not_before = self.clock() + wait
        return wait

    def _note_429(self, retry_after: float | None) -> None:
        self._consecutive_429 += 1
        now = self.clock()
        too_long = retry_after is not None and retry_after > self.settings.max_backoff
        if self._consecutive_429 >= COOLDOWN_AFTER_429 or too_long:
            pause = max(self.settings.cooldown, retry_after or 0.0)
            until = now + min(pause, self.settings.max_cooldown)
            since = datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            why = (f"HTTP 429 with Retry-After {retry_after:.0f} s" if too_long and retry_after
                   else f"{self._consecutive_429} consecutive HTTP 429")
            self.pacer.set_cooldown(until, f"{why} from {self.settings.url} at {since}")
            self._consecutive_429 = 0
            stamp = datetime.fromtimestamp(until, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            raise ApiError(f"arXiv keeps answering HTTP 429 (rate limited); paused until {stamp}")


def _what(form: dict[str, str]) -> str:
    """A request in a few words for -v: how many IDs, or the search."""
    if form.get("id_list"):
        n = form["id_list"].count(",") + 1
        return f"{n} ID{'s' if n > 1 else ''}"
    query = " ".join(form.get("search_query", "").split())
    return f"search {query[:60]}{'…' if len(query) > 60 else ''}"


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} kB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"
