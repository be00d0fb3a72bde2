"""A respx side effect that answers like arXiv, on an injected clock (no real sleeping)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx

from diffsync.config import ArxivSettings
from diffsync.fake_arxiv import answer_query, render_feed, synthetic_papers

URL = "https://export.test/api/query"
PAPERS = {p.arxiv_id: p for p in synthetic_papers(1300)}
IDS = list(PAPERS)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class MockArxiv:
    """A respx side effect: scripted faults first, then arXiv's real behaviour."""

    def __init__(self, clock: Clock, script=(), papers=PAPERS, duration: float = 0.25, max_page=None):
        self.clock, self.script, self.papers = clock, list(script), papers
        self.duration, self.max_page = duration, max_page
        self.calls: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        start = self.clock.now
        self.clock.now += self.duration
        self.calls.append({"start": start, "end": self.clock.now, "form": form, "request": request})
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            if step is not None:
                return step
        status, body, _ = answer_query(self.papers, form, max_page=self.max_page)
        return httpx.Response(status, content=body, headers={"Content-Type": "application/atom+xml"})

    def ids_asked(self, n: int) -> list[str]:
        return self.calls[n]["form"]["id_list"].split(",")

    def gaps(self) -> list[float]:
        return [b["start"] - a["end"] for a, b in zip(self.calls, self.calls[1:])]


def settings(**kw) -> ArxivSettings:
    base = dict(url=URL, delay=3.0, batch_size=500, max_retries=3, backoff=5.0, max_backoff=60.0,
                timeout=30.0, cooldown=3600.0, contact="ops@example.org")
    return ArxivSettings(**(base | kw))


def atom(records=(), total=None) -> httpx.Response:
    records = list(records)
    body = render_feed(records, total=len(records) if total is None else total, start=0, max_results=max(1, len(records)))
    return httpx.Response(200, content=body)
