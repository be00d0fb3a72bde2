"""diffsync check on 1,000 to 50,000-entry lists, end to end, beside arxiv.py.

    .venv/bin/python bench/bench_scale.py [--n 1000 10000 50000] [--delay 0.02] [--no-real]

For each list (synthetic ones with planted drift, and the real 2,975-entry
list from ../shared/lists when present) it starts the fake arXiv in its own
process, then runs ``python -m diffsync check LIST --json`` in subprocesses:
cold (empty database), warm (``--max-age 24``: nothing was fetched more than a
day ago, title searches are cached), ``--offline``, and "fetch only" (a second
empty database and ``--no-search``: the same work arxiv.py does, so its wall
time is the one compared); then arxiv.py's ``Client`` with its defaults (page_size 100, num_retries 3)
and the same delay fetches the list's arXiv IDs chunked by its page size.

Per run: requests (counted by the fake), wall time, local time (wall minus
the time spent inside HTTP calls and sleeps, i.e. minus the server's and the
pacing's share, and minus startup: interpreter start and imports, a fixed
cost shown apart), peak RSS of the child process, and open findings.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from _common import fake_arxiv, run_child, violations
from _scale_lists import Dataset, real, synthetic, write_dataset
from diffsync.config import ArxivSettings

REAL_LIST = Path(__file__).resolve().parents[2] / "shared" / "lists" / "diff-usion-awesome-diffusion-models.md"


@dataclass
class Run:
    label: str
    requests: int
    searches: int
    wall: float
    local: float
    startup: float
    peak_rss_mb: float
    findings: int | None  # open findings (None for arxiv.py)
    by_kind: dict[str, int]


def measure(label: str, url: str, cwd: Path, job: list[str]) -> Run:
    run = run_child(label, url, cwd, job)
    figures, summary, wall = run.figures, run.summary, run.wall
    is_check = "open" in summary
    return Run(label, len(run.served), run.searches, wall,
               max(0.0, figures["work"] - figures["waited"]), wall - figures["work"], figures["peak_rss_mb"],
               summary["open"] if is_check else None, summary.get("by_kind", {}))


def bench_list(data: Dataset, delay: float) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="diffsync-bench-") as tmp:
        work = Path(tmp)
        list_path, papers_path, ids_path = write_dataset(data, work)
        check = ["diffsync", "check", str(list_path), "--json", "--delay", str(delay)]
        db = ["--database-url", f"sqlite:///{work / 'diffsync.db'}"]
        # Like for like with arxiv.py, which only fetches IDs: an empty database, no title search.
        fetch_only = ["--database-url", f"sqlite:///{work / 'fetch-only.db'}", "--no-search"]
        with fake_arxiv(delay, papers=str(papers_path)) as url:
            runs = [
                measure("cold", url, work, [*check, *db, "--arxiv-url", url]),
                measure("warm", url, work, [*check, *db, "--arxiv-url", url, "--max-age", "24"]),
                measure("offline", url, work, [*check, *db, "--arxiv-url", url, "--offline"]),
                measure("fetch only", url, work, [*check, *fetch_only, "--arxiv-url", url]),
                measure("arxiv.py", url, work, ["arxivpy", url, str(delay), str(ids_path)]),
            ]
            problems = violations(url)
    if problems:
        print(f"  !! {len(problems)} pacing violations seen by the fake, e.g. {problems[0]}")
    return runs


def _ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.1f}x" if ours > 0 else "-"


def _at_arxiv_pace(r: Run) -> float:
    """Minutes the run would take against arXiv itself: 3 s between requests, plus our own time."""
    return (r.startup + r.local + ArxivSettings().delay * r.requests) / 60


def print_table(results: list[tuple[Dataset, list[Run]]], delay: float, batch: int) -> None:
    head = (f"{'list':24} {'entries':>7} {'run':10} {'requests':>8} {'(search)':>8} {'wall s':>7} "
            f"{'local s':>7} {'start s':>7} {'RSS MB':>7} {'findings':>8} {'req ratio':>9} {'wall ratio':>10} {'@3s min':>7}")
    print(f"\nfake arXiv delay {delay}s, diffsync batch {batch} IDs/POST, arxiv.py page 100 IDs/GET; "
          "req ratio = arxiv.py's requests / diffsync's fetch requests (title searches apart); "
          "wall ratio = arxiv.py / diffsync 'fetch only' (cold, no title search: the same work); "
          "@3s min = startup + local + requests x arXiv's 3 s, server time not counted")
    print(head)
    print("-" * len(head))
    for data, runs in results:
        theirs = runs[-1]
        for r in runs:
            ours = r is not theirs
            compared = ours and r.label in ("cold", "fetch only")
            ratio_req = _ratio(theirs.requests, r.requests - r.searches) if compared else ""
            ratio_wall = _ratio(theirs.wall, r.wall) if ours and r.label == "fetch only" else ""
            print(f"{data.name:24} {data.entries:>7,} {r.label:10} {r.requests:>8} {r.searches:>8} "
                  f"{r.wall:>7.2f} {r.local:>7.2f} {r.startup:>7.2f} {r.peak_rss_mb:>7.0f} "
                  f"{'' if r.findings is None else r.findings:>8} {ratio_req:>9} {ratio_wall:>10} "
                  f"{_at_arxiv_pace(r):>7.1f}")
        fetches = runs[0].requests - runs[0].searches
        print(f"{'':24} {'':7} planted {data.planted}; found {runs[0].by_kind}; "
              f"fetch requests {fetches} (ceil({len(data.ids)}/{batch}) = {math.ceil(len(data.ids) / batch)})")


def print_growth(results: list[tuple[Dataset, list[Run]]]) -> None:
    synthetic_runs = [(d, runs) for d, runs in results if d.name.startswith("synthetic")]
    if len(synthetic_runs) < 2:
        return
    print("\nlocal seconds per 1,000 entries (flat = linear growth):")
    for label in ("cold", "warm", "offline"):
        cells = []
        for d, runs in synthetic_runs:
            r = next(r for r in runs if r.label == label)
            cells.append(f"{d.entries // 1000}k: {1000 * r.local / d.entries:.3f}")
        print(f"  {label:8} " + "   ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1_000, 10_000, 50_000],
                        help="synthetic list sizes (default 1000 10000 50000)")
    parser.add_argument("--delay", type=float, default=0.02, help="scaled-down arXiv delay, seconds")
    parser.add_argument("--no-real", action="store_true", help="skip the real 2,975-entry list")
    args = parser.parse_args()
    datasets = [synthetic(n) for n in args.n]
    if not args.no_real:
        real_list = real(REAL_LIST)
        if real_list is None:
            print(f"(real list not found at {REAL_LIST}: skipped)")
        else:
            datasets.append(real_list)
    results = []
    for data in datasets:
        print(f"running {data.name}: {data.entries:,} entries, {len(data.ids):,} arXiv IDs ...", flush=True)
        results.append((data, bench_list(data, args.delay)))
    print_table(results, args.delay, ArxivSettings().batch_size)
    print_growth(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
