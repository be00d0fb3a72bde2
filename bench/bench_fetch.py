"""Fetch 10,000 IDs from diffsync's fake arXiv with diffsync's client and with arxiv.py's.

    .venv/bin/python bench/bench_fetch.py [--n 10000] [--delay 0.02]

The fake server runs in its own process (so neither client shares its GIL)
and counts every request it serves.  arxiv.py gets its defaults (page_size
100, GET), the same delay, and the IDs chunked by its page size with
``Search(id_list=chunk, max_results=len(chunk))``, as its docs suggest.
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import fake_arxiv, fetch_with_arxiv_py, served, violations
from diffsync.arxivapi.client import ArxivClient
from diffsync.config import ArxivSettings


def run_diffsync(url: str, ids: list[str], delay: float) -> tuple[int, int]:
    with ArxivClient(ArxivSettings(url=url, delay=delay)) as client:
        result = client.fetch(ids)
    return len(result.records), result.requests


def run_arxiv_py(url: str, ids: list[str], delay: float) -> tuple[int, int]:
    return fetch_with_arxiv_py(url, ids, delay), -1  # arxiv.py does not count its requests; the server does


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--delay", type=float, default=0.02)
    args = parser.parse_args()
    with fake_arxiv(args.delay, synthetic=args.n) as url:
        ids = [f"2301.{i:05d}" for i in range(1, args.n + 1)]
        rows = []
        for name, run in (("diffsync", run_diffsync), ("arxiv.py", run_arxiv_py)):
            before = len(served(url))
            t0 = time.perf_counter()
            found, _ = run(url, ids, args.delay)
            wall = time.perf_counter() - t0
            log = served(url)[before:]
            rows.append((name, found, len(log), wall, {r["method"] for r in log}))
        problems = violations(url)
    print(f"{args.n} IDs, delay {args.delay}s, fake arXiv at {url}")
    print(f"{'client':10} {'found':>7} {'requests':>9} {'wall s':>8}  methods")
    for name, found, requests, wall, methods in rows:
        print(f"{name:10} {found:>7} {requests:>9} {wall:>8.2f}  {','.join(sorted(methods))}")
    (_, _, req_ours, wall_ours, _), (_, _, req_theirs, wall_theirs, _) = rows
    print(f"ratio arxiv.py/diffsync: requests {req_theirs / req_ours:.1f}x, wall time {wall_theirs / wall_ours:.1f}x")
    print(f"spacing/overlap violations seen by the server: {len(problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
