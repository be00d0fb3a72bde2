"""Parse time of 1 MB hostile lists beside a same-size ordinary list: every ratio should stay near 1.

Each hostile list is one entry whose line repeats a pattern that made a
regular expression backtrack (quadratic time) before: ``<sup>`` without
``</sup>``, ``<`` without ``>``, long blank runs, " and x" chains, ...
Timed is the list parser plus the text rules that later read the same
fields (author style for write-back, title/citation keys, venue clauses as
if arXiv had sent the text), so list text and arXiv text are both covered.

Run:  .venv/bin/python bench/bench_hostile.py [MB]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import generate  # noqa: E402

from diffsync.drift.authors import separator_style  # noqa: E402
from diffsync.drift.venues import arxiv_venue  # noqa: E402
from diffsync.listfile.parse import parse_list  # noqa: E402
from diffsync.textnorm import citation_leftover, title_key  # noqa: E402
from diffsync.listfile.authorstyle import join_authors_like  # noqa: E402

_HEAD = "# Hostile list\n\n**A paper** \\\n"
_LINK = " [[Paper](https://arxiv.org/abs/2201.00001)]\n"

# name -> (text before the repeated unit, the unit, text after it)
PATTERNS: dict[str, tuple[str, str, str]] = {
    "<sup> without </sup> (author line)": (_HEAD + "*Ada Lovelace", "<sup>", "*\n"),
    "<sup>1 without </sup>": (_HEAD + "*Ada", "<sup>1, ", "*\n"),
    "< without > (author line)": (_HEAD + "*Ada", "<", "*\n"),
    "‹ (author line)": (_HEAD + "*Ada", "‹", "*\n"),
    "blank run in author line": (_HEAD + "*Ada", " ", "Lovelace*\n"),
    "' and x' chain, final comma": (_HEAD + "*Ada", " and x", ",*\n"),
    "blank run in heading": ("# A", " ", "x\n\n**A paper**\n*Ada*\n"),
    "[[ on a link line": (_HEAD + "*Ada*\n", "[[", _LINK),
    "]( on a link line": (_HEAD + "*Ada*\n", "](", _LINK),
    "one long word in a title": ("**", "a", " et al**\n*Ada*\n"),
    "'x et al ' chain in a title": ("**Title ", "x et al ", "**\n*Ada*\n"),
    "stars in a title": ("**", "*", "x**\n*Ada*\n"),
    "arxiv: mentions": (_HEAD + "*Ada*\n", "arxiv: ", "\n"),
    "month names on a date line": (_HEAD + "*Ada*\n", "Jan ", "2022\n"),
}


def hostile(name: str, size: int) -> bytes:
    before, unit, after = PATTERNS[name]
    count = max(1, (size - len(before.encode()) - len(after.encode())) // len(unit.encode()))
    return (before + unit * count + after).encode()


def ordinary(size: int) -> bytes:
    n = 100
    while len(data := generate(n)) < size:
        n = n * 2 if len(data) * 2 < size else int(n * size / len(data)) + 1
    return data


def digest(data: bytes) -> int:
    """Parse, then run the text rules a check and an export run on each entry's fields."""
    entries = parse_list(data).entries
    for e in entries:
        if e.authors_text is not None:
            join_authors_like(e.authors_text, list(e.authors[:3]) or ["A B"])
            separator_style(e.authors_text)
        title_key(e.title)
        citation_leftover(e.title)
        arxiv_venue(None, e.title + " " + (e.authors_text or ""))  # as if arXiv sent it as a comment
    return len(entries)


def timed(data: bytes, runs: int = 3) -> float:
    """Median CPU seconds of ``runs`` digests (CPU time is the steadier figure on a shared machine)."""
    cpu = []
    for _ in range(runs):
        start = time.process_time()
        digest(data)
        cpu.append(time.process_time() - start)
    return statistics.median(cpu)


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    size = int(mb * 1_000_000)
    base_data = ordinary(size)
    base = timed(base_data)
    print(f"ordinary list: {len(base_data) / 1e6:.2f} MB, {digest(base_data)} entries: {base:.3f} s CPU")
    print(f"{'pattern (' + format(mb, 'g') + ' MB)':<40} {'CPU s':>8} {'ratio':>7}")
    worst = 0.0
    for name in PATTERNS:
        t = timed(hostile(name, size))
        worst = max(worst, t / base)
        print(f"{name:<40} {t:8.3f} {t / base:7.2f}")
    print(f"worst ratio: {worst:.2f}")


if __name__ == "__main__":
    main()
