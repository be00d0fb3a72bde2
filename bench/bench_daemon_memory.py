"""The daemon's job run many times in one process: does its memory stay flat?

    .venv/bin/python bench/bench_daemon_memory.py [--runs 200] [--list PATH] [--every 10]

Against the fake arXiv (its own process, no pacing), the real 2,975-entry list
(../shared/lists) is checked by ``ScheduledCheck`` -- what the daemon calls on
every slot -- ``--runs`` times in this one process.  Printed: RSS and live
objects (``gc.get_objects()``) every ``--every`` runs, and the slope of each
over the runs after the first tenth (a least-squares line): MB per run and
objects per run.  Issue 25's target: under 0.05 MB per run.
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fake_arxiv  # noqa: E402
from _scale_lists import real  # noqa: E402
from diffsync.config import ArxivSettings, DatabaseSettings, ReportSettings, Settings  # noqa: E402
from diffsync.daemon.service import ScheduledCheck  # noqa: E402
from diffsync.fake_arxiv import dump_papers  # noqa: E402

REAL_LIST = Path(__file__).resolve().parents[2] / "shared" / "lists" / "diff-usion-awesome-diffusion-models.md"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def slope(ys: list[float]) -> float:
    xs = list(range(len(ys)))
    return statistics.linear_regression(xs, ys).slope if len(ys) > 2 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--list", type=Path, default=REAL_LIST)
    args = ap.parse_args()
    data = real(args.list)
    if data is None:
        raise SystemExit(f"{args.list}: not found")
    logging.disable(logging.WARNING)  # the job logs every run; figures only here
    with tempfile.TemporaryDirectory(prefix="diffsync-mem-") as tmp:
        work = Path(tmp)
        lst, papers = work / "list.md", work / "papers.json"
        lst.write_bytes(data.list_bytes)
        dump_papers(data.papers, papers)
        with fake_arxiv(0.0, papers=str(papers)) as url:
            settings = Settings(
                arxiv=ArxivSettings(url=url, delay=0.0, backoff=0.01, max_backoff=0.05),
                database=DatabaseSettings(url=f"sqlite:///{work / 'd.db'}"),
                report=ReportSettings(path=str(work / "report.md")), config_dir=str(work))
            job = ScheduledCheck(settings, lst)
            rss: list[float] = []
            objects: list[int] = []
            t0 = time.perf_counter()
            print(f"{data.entries} entries, {len(data.ids)} papers; {args.runs} runs of the daemon's job")
            print(f"{'run':>5} {'status':>8} {'RSS MB':>8} {'objects':>9} {'s/run':>6}")
            for n in range(1, args.runs + 1):
                started = time.perf_counter()
                outcome = job()
                rss.append(rss_mb())
                objects.append(len(gc.get_objects()))
                if n == 1 or n % args.every == 0:
                    print(f"{n:>5} {outcome.status:>8} {rss[-1]:>8.1f} {objects[-1]:>9} "
                          f"{time.perf_counter() - started:>6.2f}", flush=True)
            skip = max(1, args.runs // 10)
            print(f"\nafter run {skip}: RSS slope {slope(rss[skip:]):+.4f} MB/run, "
                  f"objects slope {slope(objects[skip:]):+.1f}/run; "
                  f"RSS {rss[skip]:.1f} -> {rss[-1]:.1f} MB; {time.perf_counter() - t0:.0f} s in all")


if __name__ == "__main__":
    main()
