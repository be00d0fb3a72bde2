"""One real HTTP server answering Semantic Scholar, OpenReview and DBLP, for tests, demo and the bench.

Paths, as the real services spell them:

- ``POST /graph/v1/paper/batch?fields=…`` (Semantic Scholar; configure ``{base}/graph/v1``)
- ``GET /openreview/notes?content.venueid=…`` and ``/openreview/notes/search?term=…``
- ``GET /dblp/search/publ/api?q=…&format=json``

It counts requests per source and can make any source fail (``down``: 503
every time; ``rate_limit``: 429 with a ``Retry-After``).
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..fakehttp import FakeHandler, FakeServer
from .world import World

S2_PATH = "/graph/v1/paper/batch"
OR_PREFIX = "/openreview"
DBLP_PATH = "/dblp/search/publ/api"
S2_MAX_IDS = 500


class FakeVenues(FakeServer):
    """``with FakeVenues(world) as fake``: ``fake.s2_url``, ``fake.openreview_url``, ``fake.dblp_url``."""

    thread_name = "fake-venues"

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world
        self.requests: dict[str, int] = {"semantic_scholar": 0, "openreview": 0, "dblp": 0}
        self.failing: dict[str, str] = {}  # source -> "down" | "rate_limit"
        self.keys: list[str | None] = []  # x-api-key of each Semantic Scholar request
        self.listings: dict[str, int] = {}  # OpenReview venue id -> listing requests
        self._lock = threading.Lock()
        super().__init__(_Handler, host, port)

    @property
    def s2_url(self) -> str:
        return self.base_url + "/graph/v1"

    @property
    def openreview_url(self) -> str:
        return self.base_url + OR_PREFIX

    @property
    def dblp_url(self) -> str:
        return self.base_url + "/dblp"

    def count(self, source: str) -> None:
        with self._lock:
            self.requests[source] += 1

    def answer(self, method: str, path: str, params: dict[str, str], body: bytes,
               key: str | None) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body, headers) for one request."""
        source = ("semantic_scholar" if path == S2_PATH else "dblp" if path == DBLP_PATH
                  else "openreview" if path.startswith(OR_PREFIX + "/notes") else None)
        if source is None:
            return 404, {"error": f"no such path {path}"}, {}
        self.count(source)
        failing = self.failing.get(source)
        if failing == "down":
            return 503, {"error": "Service Unavailable"}, {}
        if failing == "rate_limit":
            return 429, {"message": "Too Many Requests"}, {"Retry-After": "1"}
        if source == "semantic_scholar":
            return self._s2(method, body, key)
        if source == "dblp":
            return 200, self.world.dblp_search(params.get("q", ""), int(params.get("h", "30") or 30)), {}
        if path == OR_PREFIX + "/notes/search":
            return 200, self.world.openreview_search(params.get("term", "")), {}
        venue_id = params.get("content.venueid", "")
        with self._lock:
            self.listings[venue_id] = self.listings.get(venue_id, 0) + 1
        return 200, self.world.openreview_listing(venue_id,
                                                  min(int(params.get("limit", "1000")), 1000),
                                                  int(params.get("offset", "0"))), {}

    def _s2(self, method: str, body: bytes, key: str | None) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            self.keys.append(key)
        if method != "POST":
            return 405, {"error": "Method Not Allowed"}, {}
        try:
            ids = json.loads(body)["ids"]
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "Unacceptable request body"}, {}
        if not isinstance(ids, list) or len(ids) > S2_MAX_IDS:
            return 400, {"error": f"-ids: must be at most {S2_MAX_IDS} IDs"}, {}
        return 200, self.world.s2_batch([str(i) for i in ids]), {}


class _Handler(FakeHandler):
    fake: FakeVenues  # type: ignore[assignment]

    def route(self, method: str, body: bytes) -> None:
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        status, answer, headers = self.fake.answer(method, parts.path, params, body, self.headers.get("x-api-key"))
        self.send_body(status, json.dumps(answer).encode(), "application/json", headers)
