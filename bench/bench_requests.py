"""Requests to arXiv and what they cost, start-up, and the export diff: side by side, in one run.

    .venv/bin/python bench/bench_requests.py [--n 10000 50000] [--delay 0.02] [--baseline REV] [--no-real]

Against the project's fake arXiv (its own process, a scaled-down delay), for
the real 2,975-entry list (../shared/lists) and synthetic lists:

- diffsync now: cold (empty database), warm (``--max-age 24``: nothing due,
  title searches cached), fetch only (empty database, ``--no-search``: the
  work arxiv.py does); diffsync at ``--baseline`` (default: the commit issue
  16 started from, run from ``git archive`` with the same fake), cold;
  arxiv.py's ``Client`` (page size 100) fetching the list's IDs; a naive
  loop of one request per ID (counted, not run).
- requests counted by the fake, and the projected wall time at arXiv's pace:
  start-up + local time + 3 s per request.
- local CPU per 1,000 entries and peak RSS of each run.
- start-up: ``python -c pass``, ``diffsync --help`` now and at the baseline
  (median of 7), and ``python -X importtime`` of the CLI.
- the export diff for thousands of title fixes: the diff from edit spans
  against ``difflib`` (in process, byte-identical checked), and a whole
  ``diffsync export`` dry run now and at the baseline (median of 3,
  alternating; now's diff checked byte for byte against ``difflib``'s).
Both source trees are byte-compiled first, as an installed package is.
Tests never assert timings; this prints figures and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from _common import fake_arxiv, run_child, violations
from _scale_lists import Dataset, real, synthetic, write_dataset
from diffsync.fake_arxiv import dump_papers
from diffsync.listfile.parse import parse_list
from diffsync.models import Span
from diffsync.writeback.diff import diff_from_edits, unified_diff
from diffsync.writeback.edits import Edit, apply_edits

REPO = Path(__file__).resolve().parents[1]
REAL_LIST = REPO.parent / "shared" / "lists" / "diff-usion-awesome-diffusion-models.md"
BASELINE = "64947df"  # main when issue 16 was taken up
PACE = 3.0  # arXiv's terms: one request every 3 s


@dataclass
class Run:
    label: str
    requests: int
    searches: int
    local: float  # wall minus time in HTTP calls and sleeps, minus start-up
    startup: float
    cpu: float
    peak_rss_mb: float
    found: dict[str, int]


def baseline_tree(rev: str, into: Path) -> Path | None:
    """``src/`` of ``rev`` unpacked under ``into`` (with its migrations), or None without git."""
    try:
        tar = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src", "migrations"],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into / "src"


def compile_bytecode(*trees: Path) -> None:
    """Write the .pyc files of ``trees`` first, as an installed package has them: with
    PYTHONDONTWRITEBYTECODE set, every timed run would otherwise compile its sources again."""
    for tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], capture_output=True, check=False)


def _env(src: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIFFSYNC_")}
    if src is not None:
        env["PYTHONPATH"] = str(src)  # ahead of the editable install's path entry
    env.update(extra)
    return env


def measure(label: str, url: str, cwd: Path, job: list[str], env: dict[str, str]) -> Run:
    run = run_child(label, url, cwd, job, env)
    figures = run.figures
    return Run(label, len(run.served), run.searches, max(0.0, figures["work"] - figures["waited"]),
               run.wall - figures["work"], figures["cpu"], figures["peak_rss_mb"], run.summary.get("by_kind", {}))


def bench_list(data: Dataset, delay: float, old_src: Path | None) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="diffsync-bench-") as tmp:
        work = Path(tmp)
        list_path, papers_path, ids_path = write_dataset(data, work)

        def check(db: str, *more: str) -> list[str]:
            return ["diffsync", "check", str(list_path), "--json", "--delay", str(delay),
                    "--database-url", f"sqlite:///{work / db}", *more]

        now = _env(None)
        with fake_arxiv(delay, papers=str(papers_path)) as url:
            runs = []
            if old_src is not None:
                runs.append(measure("baseline cold", url, work, [*check("old.db"), "--arxiv-url", url],
                                    _env(old_src)))
            runs += [
                measure("cold", url, work, [*check("now.db"), "--arxiv-url", url], now),
                measure("warm", url, work, [*check("now.db"), "--arxiv-url", url, "--max-age", "24"], now),
                measure("fetch only", url, work, [*check("fetch.db", "--no-search"), "--arxiv-url", url], now),
                measure("arxiv.py", url, work, ["arxivpy", url, str(delay), str(ids_path)], now),
            ]
            problems = violations(url)
    if problems:
        print(f"  !! {len(problems)} pacing violations seen by the fake, e.g. {problems[0]}")
    naive = Run("per-ID loop", len(data.ids), 0, 0.0, 0.0, 0.0, 0.0, {})
    return runs + [naive]


def _minutes(r: Run) -> float:
    return (r.startup + r.local + PACE * r.requests) / 60


def print_requests(results: list[tuple[Dataset, list[Run]]], delay: float) -> None:
    print(f"\n== Requests to arXiv, and a run's time at arXiv's pace ({PACE:g} s per request) ==")
    print(f"(fake arXiv delay {delay}s; '@3s min' = start-up + local + requests x {PACE:g} s; "
          "arxiv.py/run = arxiv.py's requests / this run's; the per-ID loop is counted, not run)")
    head = (f"{'list':26} {'run':14} {'requests':>8} {'search':>6} {'fetch':>5} {'local s':>7} "
            f"{'start s':>7} {'CPU s/1k':>8} {'RSS MB':>6} {'@3s min':>7} {'arxiv.py/run':>12}")
    print(head)
    print("-" * len(head))
    for data, runs in results:
        theirs = next(r for r in runs if r.label == "arxiv.py")
        for r in runs:
            ratio = f"{theirs.requests / r.requests:.2g}" if r is not theirs and r.requests else ""
            cpu = f"{1000 * r.cpu / data.entries:8.3f}" if r.cpu else f"{'':8}"
            print(f"{data.name[:26]:26} {r.label:14} {r.requests:>8} {r.searches:>6} {r.requests - r.searches:>5} "
                  f"{r.local:>7.2f} {r.startup:>7.2f} {cpu} {r.peak_rss_mb:>6.0f} {_minutes(r):>7.1f} "
                  f"{ratio:>12}")
        cold = next(r for r in runs if r.label == "cold")
        old = next((r for r in runs if r.label == "baseline cold"), None)
        same = "" if old is None else f"; same findings as the baseline: {old.found == cold.found}"
        print(f"{'':26} {data.entries:,} entries, {len(data.ids):,} IDs; found {cold.found}{same}")


def _median_seconds(cmd: list[str], env: dict[str, str], n: int = 7) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_us(env: dict[str, str]) -> int:
    """Cumulative microseconds ``-X importtime`` gives the CLI package (running --help)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "diffsync", "--help"],
                          env=env, capture_output=True, text=True)
    cells = [line.split("|") for line in proc.stderr.splitlines() if line.rstrip().endswith("| diffsync.cli")]
    return int(cells[-1][1]) if cells else 0


def print_startup(old_src: Path | None) -> list[tuple[str, float, int | None]]:
    print("\n== Start-up (median of 7 runs) ==")
    now = _env(None)
    bare = _median_seconds([sys.executable, "-c", "pass"], now)
    rows = [("python -c pass", bare, None)]
    for label, src in (("diffsync --help (now)", None), ("diffsync --help (baseline)", old_src)):
        if label.endswith("(baseline)") and src is None:
            continue
        env = _env(src)
        rows.append((label, _median_seconds([sys.executable, "-m", "diffsync", "--help"], env), _import_us(env)))
    for label, secs, imports in rows:
        extra = f"  {secs / bare:4.1f}x python -c pass" if label != "python -c pass" else ""
        extra += f"; imports {imports / 1e6:.3f} s (-X importtime)" if imports else ""
        print(f"  {label:28} {secs:6.3f} s{extra}")
    if len(rows) == 3:
        now_s, old_s = rows[1][1] - bare, rows[2][1] - bare
        print(f"  --help beyond the interpreter: {now_s:.3f} s now vs {old_s:.3f} s at the baseline: "
              f"{old_s / now_s:.1f}x faster ({rows[2][1] / rows[1][1]:.1f}x in wall time)")
    return rows


def _title_edits(data: bytes) -> list[Edit]:
    entries = parse_list(data, "list.md").entries
    return [Edit(Span(e.title_span.start, e.title_span.end), data[e.title_span.start:e.title_span.end],
                 data[e.title_span.start:e.title_span.end] + b" Revisited", "f", e.line) for e in entries]


def print_export_diff(list_bytes: bytes, name: str) -> tuple[int, float, float, bool]:
    print(f"\n== Export diff, {name} ==")
    edits = _title_edits(list_bytes)
    new = apply_edits(list_bytes, edits)
    t0 = time.perf_counter()
    theirs = unified_diff(list_bytes, new, "list.md")
    t1 = time.perf_counter()
    ours = diff_from_edits(list_bytes, new, edits, "list.md")
    t2 = time.perf_counter()
    print(f"  {len(edits):,} title fixes: difflib {t1 - t0:.3f} s, from edit spans {t2 - t1:.4f} s "
          f"({(t1 - t0) / (t2 - t1):.0f}x faster); byte-identical: {ours == theirs}")
    return len(edits), t1 - t0, t2 - t1, ours == theirs


def print_export_run(data: Dataset, delay: float, old_src: Path | None,
                     repeats: int = 3) -> list[tuple[str, float, bytes]]:
    """A whole ``diffsync export`` dry run with every linked title accepted as a fix.

    Now and the baseline each check and accept into a database of their own
    (the baseline refuses today's newer schema); their dry runs alternate,
    ``repeats`` times, and the median counts.  Then now's ``export --write``
    rewrites the list, and its dry-run diff is compared with ``difflib``'s
    diff of the list before and after, byte for byte.
    """
    papers = [replace(p, title=p.title + " Revisited") for p in data.papers]
    versions = [("now", None)] + ([("baseline", old_src)] if old_src is not None else [])
    cli = [sys.executable, "-m", "diffsync"]
    with tempfile.TemporaryDirectory(prefix="diffsync-bench-") as tmp:
        work = Path(tmp)
        (work / "list.md").write_bytes(data.list_bytes)
        dump_papers(papers, work / "papers.json")

        def db(label: str) -> list[str]:
            return ["--database-url", f"sqlite:///{work / label}.db"]

        with fake_arxiv(delay, papers=str(work / "papers.json")) as url:
            for label, src in versions:
                subprocess.run([*cli, "check", "list.md", "--no-search", "--delay", str(delay), "--arxiv-url", url,
                                *db(label)], cwd=work, env=_env(src), capture_output=True, check=False)
                subprocess.run([*cli, "accept", "--kind", "title", "list.md", *db(label)], cwd=work, env=_env(src),
                               capture_output=True, check=True)
        times: dict[str, list[float]] = {label: [] for label, _ in versions}
        diffs: dict[str, bytes] = {}
        for _ in range(repeats):
            for label, src in versions:
                t0 = time.perf_counter()
                proc = subprocess.run([*cli, "export", "list.md", *db(label)], cwd=work, env=_env(src),
                                      capture_output=True, check=True)
                times[label].append(time.perf_counter() - t0)
                diffs[label] = proc.stdout
        subprocess.run([*cli, "export", "--write", "list.md", *db("now")], cwd=work, env=_env(None),
                       capture_output=True, check=True)
        written = (work / "list.md").read_bytes()
    figures = [(label, statistics.median(times[label]), diffs[label]) for label, _ in versions]
    same = unified_diff(data.list_bytes, written, "list.md").encode("utf-8") == diffs["now"]
    changed = diffs["now"].count(b"\n+**")
    line = ", ".join(f"{label} {secs:.2f} s" for label, secs, _ in figures)
    print(f"  diffsync export (dry run, {changed:,} title lines changed; median of {repeats}): {line}", end="")
    if len(figures) == 2:
        print(f"; {figures[1][1] / figures[0][1]:.1f}x faster", end="")
    print(f"; now's diff byte-identical to difflib's of the written list: {same}")
    return figures


def print_markdown(results: list[tuple[Dataset, list[Run]]], startup: list[tuple[str, float, int | None]],
                   diff: tuple[int, float, float, bool], export: list[tuple[str, float, bytes]],
                   baseline: str) -> None:
    """The README's performance table, from this run's figures."""
    print("\n== For the README ==")
    print(f"| what | diffsync now | diffsync at {baseline} | arxiv.py | per-ID loop |")
    print("|---|---|---|---|---|")

    def cell(r: Run | None) -> str:
        return "-" if r is None else f"{r.requests} requests, {_minutes(r):.1f} min"

    for data, runs in results:
        by = {r.label: r for r in runs}
        name = "real list" if data.name.startswith("real") else data.name
        print(f"| {name} ({data.entries:,} entries), cold check at 3 s/request | {cell(by['cold'])} | "
              f"{cell(by.get('baseline cold'))} | {cell(by['arxiv.py'])} (IDs only) | {cell(by['per-ID loop'])} |")
        print(f"| {name}, warm check / fetch only | {by['warm'].requests} / {by['fetch only'].requests} requests "
              f"| | | |")
        old = by.get("baseline cold")
        print(f"| {name}, cold: CPU per 1,000 entries, peak RSS | {1000 * by['cold'].cpu / data.entries:.2f} s, "
              f"{by['cold'].peak_rss_mb:.0f} MB | " + (f"{1000 * old.cpu / data.entries:.2f} s, {old.peak_rss_mb:.0f} MB"
                                                       if old else "-") + " | | |")
    bare = startup[0][1]
    cells = [f"{secs:.2f} s ({secs / bare:.1f}x `python -c pass`)" for _, secs, _ in startup[1:]]
    ratio = f"; {startup[2][1] / startup[1][1]:.1f}x faster" if len(startup) == 3 else ""
    print(f"| `diffsync --help` | {cells[0]}{ratio} | {cells[1] if len(cells) > 1 else '-'} | | |")
    n, slow, fast, same = diff
    print(f"| export diff, {n:,} title fixes (in process) | {fast:.3f} s, byte-identical: {same} | "
          f"difflib {slow:.2f} s ({slow / fast:.0f}x) | | |")
    if export:
        now = export[0][1]
        old = f"{export[1][1]:.2f} s ({export[1][1] / now:.1f}x)" if len(export) == 2 else "-"
        print(f"| `diffsync export` dry run, the same fixes (median of 3) | {now:.2f} s | {old} | | |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[10_000], help="synthetic list sizes (default 10000)")
    parser.add_argument("--delay", type=float, default=0.02, help="scaled-down arXiv delay, seconds")
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision to compare with (default {BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline runs")
    parser.add_argument("--no-real", action="store_true", help="skip the real 2,975-entry list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diffsync-baseline-") as tmp:
        old_src = None if args.no_baseline else baseline_tree(args.baseline, Path(tmp))
        compile_bytecode(REPO / "src", *([old_src] if old_src else []))
        print(f"baseline: {args.baseline if old_src else 'not run'}; now: {_head()}")
        datasets = []
        real_list = None if args.no_real else real(REAL_LIST)
        if real_list is not None:
            datasets.append(real_list)
        elif not args.no_real:
            print(f"(real list not found at {REAL_LIST}: skipped)")
        datasets += [synthetic(n) for n in args.n]
        results = []
        for data in datasets:
            print(f"running {data.name}: {data.entries:,} entries, {len(data.ids):,} arXiv IDs ...", flush=True)
            results.append((data, bench_list(data, args.delay, old_src)))
        print_requests(results, args.delay)
        startup = print_startup(old_src)
        sample = real_list or synthetic(3000)
        diff = print_export_diff(sample.list_bytes, sample.name)
        export = print_export_run(sample, args.delay, old_src)
        print_markdown(results, startup, diff, export, args.baseline if old_src else "baseline")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _head() -> str:
    proc = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
