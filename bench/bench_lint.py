"""Time ``diffsync lint`` on the real lists: parse + lint in-process, and the whole command.

Run:  .venv/bin/python bench/bench_lint.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from diffsync.drift.lint import lint
from diffsync.listfile.parse import read_list


def timed(path: Path, runs: int = 5) -> tuple[float, float, float, int, int]:
    """Median wall and CPU seconds of parse + lint, median CPU of lint alone, entries, problems."""
    wall, cpu, lint_cpu = [], [], []
    entries = problems = 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        data, parsed = read_list(path)
        mid_cpu = time.process_time()
        problems = len(lint(data, parsed))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        lint_cpu.append(time.process_time() - mid_cpu)
        entries = len(parsed.entries)
    return statistics.median(wall), statistics.median(cpu), statistics.median(lint_cpu), entries, problems


def main() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "lists"
    for path in sorted(shared.glob("*-*.md")):
        wall, cpu, lint_cpu, entries, problems = timed(path)
        commands = {}
        for name, module in (("diffsync lint", "diffsync"), ("diffsync-lint", "diffsync.drift.lint")):
            start = time.perf_counter()
            args = [sys.executable, "-c", "from diffsync.drift.lint import main; main()"] \
                if module != "diffsync" else [sys.executable, "-m", "diffsync", "lint"]
            subprocess.run([*args, str(path)], capture_output=True, check=False, timeout=60)
            commands[name] = time.perf_counter() - start
        print(f"{path.name}: {entries} entries, {problems} problems: parse + lint median of 5 "
              f"{wall:.3f} s wall, {cpu:.3f} s CPU (lint rules {lint_cpu * 1000:.0f} ms CPU); whole command: "
              + ", ".join(f"`{name}` {t:.2f} s" for name, t in commands.items()))


if __name__ == "__main__":
    main()
