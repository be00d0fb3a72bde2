"""The acceptance table of issue 22: every real list of every shape, measured end to end.

For each list in ../shared/lists/shapes/ and the two reference lists: a check against the
fake arXiv serving the list's own entries, three planted drifts, an accepted title fix's
byte-exactness, and three removed entries brought back through ``add``
(tests/helpers/shapes_harness.py says how each is measured).

Run:  .venv/bin/python bench/bench_shapes.py [NAME-SUBSTRING ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers.shapes_harness import TABLE_HEAD, measure, shape_lists  # noqa: E402


def main(argv: list[str]) -> int:
    lists = [p for p in shape_lists() if not argv or any(a in p.name for a in argv)]
    if not lists:
        print("no lists found (set DIFFSYNC_SHARED_LISTS to the folder holding shapes/)", file=sys.stderr)
        return 2
    print(TABLE_HEAD)
    notes = []
    for path in lists:
        started = time.monotonic()
        result = measure(path)
        print(result.row(), flush=True)
        notes += [f"- {result.name}: {n}" for n in result.notes]
        if result.own_kinds:
            notes.append(f"- {result.name}: own-entries findings by kind {result.own_kinds}")
        notes.append(f"- {result.name}: measured in {time.monotonic() - started:.0f} s")
    print("\n" + "\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
