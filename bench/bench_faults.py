"""The same check on a clean fake arXiv and on a faulty one: the findings must be the same.

    .venv/bin/python bench/bench_faults.py [--list PATH] [--fault SPEC ...]

The real 2,975-entry list (../shared/lists) is checked twice from an empty
database: against the fake arXiv as it is, and against one that answers 503s,
transient empty pages on every request kind (``hollow_page``: no entries but the
real ``totalResults``; ``empty_page``: no entries and ``totalResults`` 0) and
slow answers.  Printed side by side: findings per kind, requests, unchecked
papers, exit code, and whether the two sets of findings are identical (by kind,
line, arXiv ID and suggestion).  Issue 25: they must be.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scale_lists import real  # noqa: E402
from diffsync.fake_arxiv import dump_papers  # noqa: E402

REAL_LIST = Path(__file__).resolve().parents[2] / "shared" / "lists" / "diff-usion-awesome-diffusion-models.md"
FAULTS = ["503:every=3", "hollow_page:every=4", "empty_page:every=5", "slow:every=7,seconds=0.3"]


def check(list_path: Path, papers: Path, faults: list[str], work: Path, name: str) -> dict:
    cmd = [sys.executable, "-m", "diffsync.fake_arxiv", "--papers", str(papers)]
    for spec in faults:
        cmd += ["--fault", spec]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DIFFSYNC_")}
        env.update(DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY="0", DIFFSYNC_ARXIV_BACKOFF="0.05",
                   DIFFSYNC_ARXIV_MAX_BACKOFF="0.2", DIFFSYNC_ARXIV_MAX_RETRIES="5",
                   # Small batches: dozens of requests, so every fault meets every request kind.
                   DIFFSYNC_ARXIV_BATCH_SIZE="100", DIFFSYNC_CHECK_SEARCH_BATCH="5",
                   DIFFSYNC_DATABASE_URL=f"sqlite:///{work / (name + '.db')}")
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "diffsync", "check", str(list_path), "--json"],
                              capture_output=True, text=True, env=env, cwd=work)
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
    if done.returncode not in (0, 1, 3) or not done.stdout.strip():
        raise SystemExit(f"{name}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
    out = json.loads(done.stdout)
    found = {(f["kind"], f["line"], f.get("arxiv_id"), f.get("suggestion")) for f in out["findings"]}
    return {"exit": done.returncode, "findings": found, "summary": out["summary"], "wall": wall}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", type=Path, default=REAL_LIST)
    ap.add_argument("--fault", action="append", default=None, metavar="SPEC",
                    help=f"fake arXiv fault (repeatable; default: {' '.join(FAULTS)})")
    args = ap.parse_args()
    faults = args.fault or FAULTS
    data = real(args.list)
    if data is None:
        raise SystemExit(f"{args.list}: not found")
    with tempfile.TemporaryDirectory(prefix="diffsync-faults-") as tmp:
        work = Path(tmp)
        lst, papers = work / "list.md", work / "papers.json"
        lst.write_bytes(data.list_bytes)
        dump_papers(data.papers, papers)
        clean = check(lst, papers, [], work, "clean")
        faulty = check(lst, papers, faults, work, "faulty")
    print(f"{data.entries} entries; faults: {' '.join(faults)}\n")
    print(f"{'':<22}{'clean':>10}{'faulty':>10}")
    for label, key in [("requests", "requests"), ("searched", "searched"), ("unchecked", "unchecked")]:
        print(f"{label:<22}{clean['summary'][key]:>10}{faulty['summary'][key]:>10}")
    print(f"{'exit code':<22}{clean['exit']:>10}{faulty['exit']:>10}")
    print(f"{'wall s':<22}{clean['wall']:>10.1f}{faulty['wall']:>10.1f}")
    kinds = Counter(k for k, *_ in clean["findings"]), Counter(k for k, *_ in faulty["findings"])
    for kind in sorted(set(kinds[0]) | set(kinds[1])):
        print(f"{'  ' + kind:<22}{kinds[0][kind]:>10}{kinds[1][kind]:>10}")
    print(f"{'findings':<22}{len(clean['findings']):>10}{len(faulty['findings']):>10}")
    lost, extra = clean["findings"] - faulty["findings"], faulty["findings"] - clean["findings"]
    print(f"\nsame findings: {'yes' if not lost and not extra else 'NO'}"
          + (f" ({len(lost)} lost, {len(extra)} extra)" if lost or extra else ""))
    for f in sorted(lost)[:10]:
        print("  lost: ", f)
    for f in sorted(extra)[:10]:
        print("  extra:", f)


if __name__ == "__main__":
    main()
