"""Helpers shared by the benches: the fake arXiv in its own process, arxiv.py's way of fetching."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator, Sequence

import httpx


def base_url(query_url: str) -> str:
    return query_url.rsplit("/api/query", 1)[0]


def served(query_url: str) -> list[dict]:
    """Every query request the fake has logged so far."""
    return httpx.get(base_url(query_url) + "/_admin/log", timeout=60).json()["requests"]


def violations(query_url: str) -> list[str]:
    return httpx.get(base_url(query_url) + "/_admin/log", timeout=60).json()["violations"]


@contextmanager
def fake_arxiv(delay: float, *, papers: str | None = None, synthetic: int = 0) -> Iterator[str]:
    """The fake arXiv in a separate process (so no client shares its GIL); yields its query URL."""
    cmd = [sys.executable, "-m", "diffsync.fake_arxiv", "--delay-check", str(delay)]
    if papers:
        cmd += ["--papers", papers]
    if synthetic:
        cmd += ["--synthetic", str(synthetic)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        if not url:
            raise RuntimeError("the fake arXiv did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch_with_arxiv_py(url: str, ids: Sequence[str], delay: float) -> int:
    """Fetch ``ids`` the way arxiv.py's docs suggest: default Client, chunks of its page size."""
    import arxiv

    client = arxiv.Client(delay_seconds=delay)  # defaults: page_size=100, num_retries=3
    client.query_url_format = url + "?{}"
    found = 0
    for i in range(0, len(ids), client.page_size):
        chunk = list(ids[i : i + client.page_size])
        found += sum(1 for _ in client.results(arxiv.Search(id_list=chunk, max_results=len(chunk))))
    return found
