"""Time parse_list on a generated 10,000-entry list (and on the real lists if present).

Run:  .venv/bin/python bench/bench_parse.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from diffsync.listfile.parse import parse_list

_FORMS = [
    "**Paper number {i}: a study of diffusion** \\\n"
    "*Ada Lovelace<sup>1</sup>, Alan Turing, Grace Hopper* \\\n"
    "arXiv 2022. [[Paper](https://arxiv.org/abs/22{m:02d}.{n:05d})] [[Github](https://github.com/x/y{i})] \\\n"
    "{d} Jun 2022 \\\n"
    "A one-sentence summary with some non-ASCII text: Schrödinger, 확산 모델.\n",
    "  **Indented paper {i}**\\\n"
    "  *Anonymous authors*\\\n"
    "  ICLR 2023 Submission / preprint [[Paper](https://arxiv.org/pdf/22{m:02d}.{n:05d}v2.pdf)]\\\n"
    "  [Submitted on {d} Oct 2022 (v1), last revised 17 Nov 2022 (this version, v4)]\\\n",
    "**Broken link paper {i}** \\\n"
    "*Sangyun Lee, Beomsu Kim, Jong Chul Ye*\\\n"
    "arxiv {d} Jan 2023 [[Paper] (https://arxiv.org/abs/23{m:02d}.{n:05d}?context=cs)]\\\n",
]


def generate(n: int) -> bytes:
    parts = ["# Generated list\n\n"]
    for i in range(n):
        if i % 100 == 0:
            parts.append(f"## Section {i // 100}\n\n")
        form = _FORMS[i % len(_FORMS)]
        parts.append(form.format(i=i, m=i % 12 + 1, n=i, d=i % 28 + 1) + "\n")
    return "".join(parts).encode()


def timed(data: bytes, runs: int = 5) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of ``runs`` parses, and the entry count.

    CPU time is the steadier figure on a busy machine."""
    wall, cpu = [], []
    count = 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        count = len(parse_list(data).entries)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), count


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = generate(n)
    wall, cpu, count = timed(data)
    print(f"generated: {count} entries, {len(data) / 1e6:.1f} MB: "
          f"parse_list median of 5: {wall:.3f} s wall, {cpu:.3f} s CPU")
    shared = Path(__file__).resolve().parents[2] / "shared" / "lists"
    for path in sorted(shared.glob("*-*.md")):
        wall, cpu, count = timed(path.read_bytes())
        print(f"{path.name}: {count} entries: {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
