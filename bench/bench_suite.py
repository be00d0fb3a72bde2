"""Time the whole test suite two ways on this checkout, one after the other: the README's
test command (pytest-xdist workers, pyproject's addopts) and the same suite in one process
(``-n 0``, the command before workers were the default).

Run:  .venv/bin/python bench/bench_suite.py [--only parallel|single] [PYTEST ARGS...]

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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WAYS = {"parallel": [], "single": ["-n", "0"]}  # parallel: addopts' -n auto --dist loadgroup


def run(way: str, extra: list[str]) -> tuple[float, int, str]:
    """(wall seconds, exit code, pytest's last line) of one whole run."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *WAYS[way], *extra]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - start
    last = next((line for line in reversed(done.stdout.splitlines()) if line.strip()), "")
    return wall, done.returncode, re.sub(r"\s+in [0-9.]+s.*", "", last.strip("= "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(WAYS), help="time one way only")
    args, extra = parser.parse_known_args()
    ways = [args.only] if args.only else ["parallel", "single"]
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}", flush=True)
    walls = {}
    for way in ways:
        wall, code, last = run(way, extra)
        walls[way] = wall
        print(f"{way:8} {' '.join(['pytest', *WAYS[way]]):16} {wall:7.0f} s  exit {code}  {last}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if len(walls) == 2:
        print(f"parallel / single: {walls['parallel'] / walls['single']:.2f}")


if __name__ == "__main__":
    main()
