"""Many lists: 20 separate checks against one multi-list check, side by side, in one run.

    .venv/bin/python bench/bench_lists.py [--delay 0.02] [--scale 100] [--scale-entries 100000]

The real 2,975-entry list (../shared/lists) is cut into 20 overlapping 500-entry
slices (each starts 130 entries after the last).  Against the project's fake arXiv (its
own process, a scaled-down delay), with records made from the list's own entries:

- 20 separate ``diffsync check SLICE`` processes sharing one database, cold
  (``--max-age 0``: what each check did before issue 24);
- one ``diffsync check SLICE1 … SLICE20`` in a fresh database, cold;
- the same multi-list check again with ``--max-age 1``: nothing is fetched again.

For each: requests the fake served (fetches and searches), CPU of the processes, wall
here and projected at arXiv's pace (local time + 3 s a request), and whether the
findings of each slice are the same.  The target: ⌈distinct/2000⌉ + ⌈unlinked/50⌉ + 1
requests for the multi-list check.

``--daemon-runs N``: one daemon (in this process) watching the 20 slices, N runs back
to back: a report per list, requests, RSS after each run (memory flat from run to run).

``--scale N``: N synthetic lists sharing ``--scale-entries`` entries in all, one
multi-list check on SQLite (and on PostgreSQL when ``DIFFSYNC_BENCH_POSTGRES_URL``
names a throwaway database).  Tests never assert timings; this prints figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import CHILD, fake_arxiv, served
from _scale_lists import real, synthetic
from diffsync.fake_arxiv import dump_papers
from diffsync.listfile.parse import parse_list

REPO = Path(__file__).resolve().parents[1]
REAL_LIST = REPO.parent / "shared" / "lists" / "diff-usion-awesome-diffusion-models.md"
PACE = 3.0  # arXiv's terms: one request every 3 s
SLICES, SLICE_SIZE = 20, 500


@dataclass
class Measured:
    label: str
    processes: int
    fetches: int
    searches: int
    fetched_ids: int  # IDs asked for, over every fetch request
    cpu: float
    wall: float
    local: float  # wall minus time in HTTP calls and sleeps
    peak_rss_mb: float
    findings: dict[str, set[tuple]]  # slice name -> its findings

    @property
    def requests(self) -> int:
        return self.fetches + self.searches

    @property
    def projected(self) -> float:
        return self.local + PACE * self.requests


def slices(data: bytes, folder: Path, count: int, size: int) -> list[Path]:
    """``count`` overlapping runs of ``size`` entries, each a list of its own."""
    entries = parse_list(data).entries
    step = (len(entries) - size) // max(count - 1, 1)
    paths = []
    for n in range(count):
        part = entries[n * step: n * step + size]
        body = data[part[0].span.start: part[-1].span.end]
        path = folder / f"slice_{n:02d}.md"
        path.write_bytes(f"# Slice {n}\n\n".encode() + body + b"\n")
        paths.append(path)
    return paths


def real_slices(work: Path, name: str) -> tuple[Path, list[Path]] | None:
    """The real list's papers for the fake arXiv (a JSON file) and its slices, in folder
    ``work/name``; None when the real list is absent."""
    dataset = real(REAL_LIST)
    if dataset is None:
        return None
    papers = work / f"{name}-papers.json"
    dump_papers(dataset.papers, papers)
    folder = work / name
    folder.mkdir()
    return papers, slices(dataset.list_bytes, folder, SLICES, SLICE_SIZE)

def run_diffsync(cwd: Path, args: list[str], env: dict[str, str]) -> tuple[dict, str, str]:
    """``diffsync ARGS`` measured in its own process: (figures: cpu, wall, exit…; stdout;
    stderr); an exit other than 0 or 1 ends the bench."""
    out = cwd / "figures.json"
    proc = subprocess.run([sys.executable, str(CHILD), str(out), "diffsync", *args], cwd=cwd,
                          env=env, capture_output=True, text=True)
    figures = json.loads(out.read_text())
    if figures["exit"] not in (0, 1):
        raise SystemExit(f"diffsync {' '.join(args[:3])}… failed (exit {figures['exit']}): "
                         f"{proc.stderr.strip()[-800:]}")
    return figures, proc.stdout, proc.stderr


def child(url: str, cwd: Path, args: list[str], env: dict[str, str]) -> tuple[dict, dict, list[dict]]:
    """``diffsync ARGS`` measured in its own process: (figures, JSON output, requests served)."""
    before = len(served(url))
    figures, out, _ = run_diffsync(cwd, args, env)
    return figures, json.loads(out), served(url)[before:]


def _shape(findings: list[dict]) -> dict[str, set[tuple]]:
    out: dict[str, set[tuple]] = {}
    for f in findings:
        out.setdefault(Path(f["list"]).name, set()).add(
            (f["kind"], f["line"], f["arxiv_id"], f["suggestion"], f["status"]))
    return out


def measure(label: str, url: str, cwd: Path, jobs: list[list[str]], env: dict[str, str]) -> Measured:
    m = Measured(label, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, {})
    t0 = time.perf_counter()
    for args in jobs:
        figures, payload, asked = child(url, cwd, args, env)
        m.processes += 1
        m.fetches += sum(1 for r in asked if not r["search"])
        m.searches += sum(1 for r in asked if r["search"])
        m.fetched_ids += sum(r["n_ids"] for r in asked if not r["search"])
        m.cpu += figures["cpu"]
        m.local += figures["wall"] - figures["waited"]
        m.peak_rss_mb = max(m.peak_rss_mb, figures["peak_rss_mb"])
        for name, found in _shape(payload["findings"]).items():
            m.findings.setdefault(name, set()).update(found)
    m.wall = time.perf_counter() - t0
    return m


def table(rows: list[Measured]) -> None:
    print(f"{'':38} {'procs':>5} {'fetch':>5} {'search':>6} {'reqs':>5} {'IDs asked':>9} "
          f"{'CPU s':>7} {'wall s':>7} {'at 3 s/req':>10} {'peak MB':>8}")
    for m in rows:
        print(f"{m.label:38} {m.processes:>5} {m.fetches:>5} {m.searches:>6} {m.requests:>5} "
              f"{m.fetched_ids:>9,} {m.cpu:>7.1f} {m.wall:>7.1f} {m.projected:>9.0f}s "
              f"{m.peak_rss_mb:>8.0f}")


def bench_slices(args: argparse.Namespace, work: Path) -> None:
    made = real_slices(work, "slices")
    if made is None:
        print(f"{REAL_LIST} not found: nothing to measure")
        return
    papers, paths = made
    folder = paths[0].parent
    parsed = [parse_list(p.read_bytes()).entries for p in paths]
    distinct = len({e.arxiv_id for entries in parsed for e in entries if e.arxiv_id})
    unlinked = len({(e.title, e.authors) for entries in parsed for e in entries if not e.arxiv_id})
    with fake_arxiv(args.delay, papers=str(papers)) as url:
        env = dict(os.environ, DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY=str(args.delay),
                   DIFFSYNC_CHECK_MAX_AGE="0")
        env.pop("DIFFSYNC_CONFIG", None)
        db_separate = f"sqlite:///{work / 'separate.db'}"
        db_one = f"sqlite:///{work / 'one.db'}"
        names = [str(p) for p in paths]
        separate = measure(f"{SLICES} separate checks (one db)", url, folder,
                           [["check", p, "--json", "--database-url", db_separate] for p in names], env)
        one = measure("one check of the 20 lists", url, folder,
                      [["check", *names, "--json", "--database-url", db_one]], env)
        again = measure("  again, --max-age 1", url, folder,
                        [["check", *names, "--json", "--database-url", db_one, "--max-age", "1"]], env)
    total = sum(len(e) for e in parsed)
    print(f"\n{SLICES} slices of {SLICE_SIZE} entries of {REAL_LIST.name}: {total:,} entries, "
          f"{distinct:,} distinct arXiv papers, {unlinked} distinct unlinked entries; "
          f"fake arXiv delay {args.delay} s\n")
    table([separate, one, again])
    target = math.ceil(distinct / 2000) + math.ceil(unlinked / 50) + 1
    same = separate.findings == one.findings == again.findings
    print(f"\ntarget for one check: ceil({distinct}/2000) + ceil({unlinked}/50) + 1 = {target} "
          f"requests; measured {one.requests} ({'met' if one.requests <= target else 'NOT met'})")
    print(f"requests: {separate.requests / max(one.requests, 1):.1f}x fewer; CPU "
          f"{separate.cpu / max(one.cpu, 1e-9):.1f}x less; at 3 s a request "
          f"{separate.projected:.0f} s -> {one.projected:.0f} s")
    print(f"findings of every slice the same as 20 separate checks: {same} "
          f"({sum(len(v) for v in one.findings.values()):,} findings over {len(one.findings)} lists)")
    print(f"second run within max_age: {again.fetches} fetch requests, {again.searches} searches")


def bench_scale(args: argparse.Namespace, work: Path) -> None:
    dataset = synthetic(args.scale_entries)
    papers = work / "synthetic.json"
    dump_papers(dataset.papers, papers)
    folder = work / "scale"
    folder.mkdir()
    entries = parse_list(dataset.list_bytes).entries
    per = math.ceil(len(entries) / args.scale)
    names = []
    for n in range(args.scale):
        part = entries[n * per:(n + 1) * per]
        if not part:
            break
        path = folder / f"list_{n:03d}.md"
        path.write_bytes(dataset.list_bytes[part[0].span.start: part[-1].span.end] + b"\n")
        names.append(str(path))
    databases = [("SQLite", f"sqlite:///{work / 'scale.db'}")]
    if os.environ.get("DIFFSYNC_BENCH_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["DIFFSYNC_BENCH_POSTGRES_URL"]))
    with fake_arxiv(args.delay, papers=str(papers)) as url:
        env = dict(os.environ, DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY=str(args.delay),
                   DIFFSYNC_CHECK_MAX_AGE="0")
        env.pop("DIFFSYNC_CONFIG", None)
        rows = []
        for name, db in databases:
            rows.append(measure(f"{len(names)} lists, {len(entries):,} entries, {name}", url,
                                folder, [["check", *names, "--json", "--database-url", db]], env))
            rows.append(measure(f"  again, {name}", url, folder,
                                [["check", *names, "--json", "--database-url", db]], env))
    print(f"\n{len(names)} synthetic lists, {len(entries):,} entries in all, one check each row\n")
    table(rows)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_daemon(args: argparse.Namespace, work: Path) -> None:
    """One daemon process watching the 20 slices: ``--daemon-runs`` runs back to back (as
    the scheduler would fire them), RSS after each; reports and status per list."""
    import gc

    from diffsync.config import load_settings
    from diffsync.daemon.service import ScheduledCheck

    made = real_slices(work, "daemon")
    if made is None:
        return
    papers, paths = made
    folder = paths[0].parent
    config = folder / "config.toml"
    config.write_text("".join(f'[[lists]]\npath = "{p.name}"\n\n' for p in paths)
                      + '[schedule]\ninterval_seconds = 3600\n', encoding="utf-8")
    with fake_arxiv(args.delay, papers=str(papers)) as url:
        os.environ.update(DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY=str(args.delay))
        settings = load_settings(config)
        job = ScheduledCheck(settings, settings.configured_lists())
        rss, cpu = [], []
        for _ in range(args.daemon_runs):
            t0 = time.process_time()
            outcome = job()
            cpu.append(time.process_time() - t0)
            gc.collect()
            rss.append(_rss_mb())
        asked = served(url)
    reports = sorted(folder.glob("diffsync-report-*.md"))
    fetches = sum(1 for r in asked if not r["search"])
    print(f"\none daemon, {len(paths)} lists, {args.daemon_runs} runs in one process "
          f"(max_age auto: {settings.schedule.interval_seconds:g} s schedule -> "
          f"{0.9 * settings.schedule.interval_seconds / 3600:.2f} h): last exit {outcome.exit_code}, "
          f"{len(outcome.lists)} lists per run, {len(reports)} reports written")
    print(f"requests over all runs: {fetches} fetches, {len(asked) - fetches} searches "
          f"(the first run's; later runs find every paper fresh)")
    marks = sorted({0, 1, 9, len(rss) // 2, len(rss) - 1} & set(range(len(rss))))
    print("RSS after run: " + ", ".join(f"#{i + 1} {rss[i]:.0f} MB" for i in marks)
          + f"; runs 10..{len(rss)}: {max(rss[9:] or rss) - min(rss[9:] or rss):.1f} MB spread")
    print(f"CPU per run: first {cpu[0]:.1f} s, median {sorted(cpu)[len(cpu) // 2]:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.02, help="fake arXiv pacing (s)")
    parser.add_argument("--scale", type=int, default=0, help="also N synthetic lists (e.g. 100)")
    parser.add_argument("--scale-entries", type=int, default=100_000)
    parser.add_argument("--no-slices", action="store_true", help="skip the 20 slices")
    parser.add_argument("--daemon-runs", type=int, default=0,
                        help="also one daemon over the 20 slices, N runs (memory per run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        work = Path(tmp)
        if not args.no_slices:
            bench_slices(args, work)
        if args.daemon_runs:
            bench_daemon(args, work)
        if args.scale:
            bench_scale(args, work)


if __name__ == "__main__":
    main()
