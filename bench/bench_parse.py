"""Time parse_list on a generated 10,000-entry list (and on the real lists if present).

Side by side in one run, alternating, it also times the reference-shape reading alone
(the paragraph reader over the comment-masked bytes, file problems and the hash: what
parse_list did before it read other shapes), and prints the ratio: issue 22 keeps the
reference shape no slower than 1.2x of it.

Run:  .venv/bin/python bench/bench_parse.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import hashlib

from diffsync.listfile import parse as parse_module
from diffsync.listfile.comments import html_comments, masked
from diffsync.listfile.paragraphs import read_paragraphs
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


def paragraphs_only(data: bytes) -> int:
    """The reference shape read the way parse_list read it before other shapes: the baseline."""
    body = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    entries, _ = read_paragraphs(masked(data, html_comments(data)), body)
    parse_module._file_problems(data, body)
    hashlib.sha256(data).hexdigest()
    return len(entries)


def now(data: bytes) -> int:
    return len(parse_list(data).entries)


def timed(data: bytes, runs: int = 9) -> dict[str, tuple[float, float, int]]:
    """Median wall-clock and least CPU seconds of ``runs`` parses each, alternating the
    two readers so a busy machine slows both alike, and the entry counts.

    CPU time is the steadier figure on a busy machine."""
    samples: dict[str, tuple[list[float], list[float]]] = {"now": ([], []), "baseline": ([], [])}
    counts = {}
    for _ in range(runs):
        for name, read in (("now", now), ("baseline", paragraphs_only)):
            start, start_cpu = time.perf_counter(), time.process_time()
            counts[name] = read(data)
            samples[name][0].append(time.perf_counter() - start)
            samples[name][1].append(time.process_time() - start_cpu)
    # The CPU time is the fastest run's: the least disturbed by the others on the machine.
    return {k: (statistics.median(w), min(c), counts[k]) for k, (w, c) in samples.items()}


def _line(name: str, data: bytes) -> str:
    t = timed(data)
    (wall, cpu, count), (bwall, bcpu, bcount) = t["now"], t["baseline"]
    return (f"{name}: {count} entries (baseline {bcount}), {len(data) / 1e6:.2f} MB: parse_list "
            f"{wall:.3f} s wall / {cpu:.3f} s CPU; paragraphs only {bwall:.3f} / {bcpu:.3f}; "
            f"ratio {cpu / bcpu:.2f}x CPU, {wall / bwall:.2f}x wall")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(_line("generated", generate(n)), flush=True)
    shared = Path(__file__).resolve().parents[2] / "shared" / "lists"
    for path in sorted(shared.glob("*-*.md")):
        print(_line(path.name, path.read_bytes()), flush=True)


if __name__ == "__main__":
    main()
