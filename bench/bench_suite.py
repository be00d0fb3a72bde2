"""Time the whole test suite two ways on this checkout, one after the other: the README's
test command (pytest-xdist workers, pyproject's addopts) and the same suite in one process
(``-n 0``, the command before workers were the default).

Run:  .venv/bin/python bench/bench_suite.py [--only parallel|single] [--baseline REV] [PYTEST ARGS...]

``--baseline REV`` also times REV's own test command (the README's ``python -m pytest``
as REV configures it) in a temporary git worktree of REV, its ``src/`` first on the path,
e.g. the commit before the workers and the suite's fixes.

Both runs see this environment, so DIFFSYNC_TEST_DATABASE_URL and DIFFSYNC_TEST_POSTGRES_URL,
when set, time the suite on PostgreSQL.  Each run is the whole suite, minutes long: the
figures are one run each, so run it on a quiet machine and say how busy it was (the load
average is printed before and after).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WAYS = {"parallel": [], "single": ["-n", "0"], "baseline": []}  # parallel: addopts' -n auto


def run(way: str, extra: list[str], where: Path = REPO) -> tuple[float, int, str]:
    """(wall seconds, exit code, pytest's last line) of one whole run in ``where``."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *WAYS[way], *extra]
    env = None
    if where != REPO:  # another tree: its own code, and the real lists it would find beside this one
        env = dict(os.environ, PYTHONPATH=str(where / "src"), DIFFSYNC_SHARED_LISTS=os.environ.get(
            "DIFFSYNC_SHARED_LISTS", str(REPO.parent / "shared" / "lists")))
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=where, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    last = next((line for line in reversed(done.stdout.splitlines()) if line.strip()), "")
    return wall, done.returncode, re.sub(r"\s+in [0-9.]+s.*", "", last.strip("= "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["parallel", "single"], help="time one way only")
    parser.add_argument("--baseline", metavar="REV", help="also time REV's own test command")
    args, extra = parser.parse_known_args()
    ways = [args.only] if args.only else ["parallel", "single"]
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}", flush=True)
    walls = {}
    for way in ways:
        wall, code, last = run(way, extra)
        walls[way] = wall
        print(f"{way:8} {' '.join(['pytest', *WAYS[way]]):16} {wall:7.0f} s  exit {code}  {last}", flush=True)
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="diffsync-baseline-") as tmp:
            tree = Path(tmp) / "tree"
            subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), args.baseline],
                           cwd=REPO, check=True)
            try:
                wall, code, last = run("baseline", extra, tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO, check=False)
        walls["baseline"] = wall
        print(f"baseline {args.baseline[:10]}: pytest {wall:7.0f} s  exit {code}  {last}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for way in ("single", "baseline"):
        if "parallel" in walls and way in walls:
            print(f"parallel / {way}: {walls['parallel'] / walls[way]:.2f}")


if __name__ == "__main__":
    main()
