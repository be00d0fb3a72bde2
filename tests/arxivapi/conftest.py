"""Fixtures of the client tests: an injected clock and a client run against the mock arXiv."""

from __future__ import annotations

import random

import pytest
import respx

from diffsync.arxivapi.client import ArxivClient
from helpers.mock_arxiv import URL, Clock, MockArxiv, settings


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def run(clock):
    """run(ids, script=..., **settings) -> (merged result, mock, client)."""
    def _run(ids, script=(), pacer=None, mock=None, method="fetch", **kw):
        mock = mock or MockArxiv(clock, script)
        with respx.mock(assert_all_called=False) as router:
            router.post(URL).mock(side_effect=mock)
            with ArxivClient(settings(**kw), pacer=pacer, clock=clock.time, sleep=clock.sleep,
                             rng=random.Random(7)) as client:
                result = client.fetch(ids) if method == "fetch" else list(client.fetch_batches(ids))
        return result, mock, client
    return _run
