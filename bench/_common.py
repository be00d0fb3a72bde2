"""Helpers shared by the benches: the fake arXiv in its own process, arxiv.py's way of fetching."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

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


CHILD = Path(__file__).with_name("_child.py")


@dataclass(frozen=True)
class ChildRun:
    """One measured job in a child process: its figures, its summary and what the fake served."""

    figures: dict[str, Any]  # from _child.py: exit, work, waited, cpu, peak_rss_mb
    summary: dict[str, Any]
    served: list[dict]  # the fake's log entries for this job
    wall: float

    @property
    def searches(self) -> int:
        return sum(1 for r in self.served if r["search"] and not r["n_ids"])  # arxiv.py sends an empty search_query


def run_child(label: str, url: str, cwd: Path, job: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run ``job`` through _child.py in ``cwd`` against the fake at ``url``; exit 0/1 or stop."""
    out = cwd / "figures.json"
    before = len(served(url))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(CHILD), str(out), *job], cwd=cwd, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    figures = json.loads(out.read_text())
    if figures["exit"] not in (0, 1):
        raise SystemExit(f"{label} failed (exit {figures['exit']}): {proc.stderr.strip()[-500:]}")
    return ChildRun(figures, json.loads(proc.stdout)["summary"], served(url)[before:], wall)
