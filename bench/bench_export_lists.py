"""Many lists, reviewed and exported: 20 separate exports against one export of the 20 lists.

    .venv/bin/python bench/bench_export_lists.py [--delay 0.02]

The 20 overlapping 500-entry slices of the real 2,975-entry list (bench_lists.py) are
named in a config's ``[[lists]]`` and checked in one run against the fake arXiv; then,
with no LIST, ``accept --kind title,authors,date`` decides in every list.  Measured:

- 20 separate ``diffsync export SLICE --json`` processes against one ``diffsync export
  --json`` (no LIST: every configured list): CPU, wall, whether the plans are the same;
- one ``diffsync export --write``: the diffs it printed (one per list that changes), and
  each list's bytes after it: exactly the old bytes with the planned edits applied (every
  byte outside an accepted fix the same), then ``export --check`` exits 0.

Tests never assert timings; this prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from _common import fake_arxiv
from bench_lists import real_slices, run_diffsync


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[dict, str, str]:
    return run_diffsync(cwd, args, env)


def plans(doc: dict) -> dict[str, list[tuple]]:
    """Each list's planned edits, by its file name, from one or several lists' --json."""
    docs = doc["lists"] if "lists" in doc else [doc]
    return {Path(d["list"]).name: [(e["start"], e["end"], e["old"], e["new"]) for e in d["edits"]]
            for d in docs}


def applied(old: bytes, edits: list[tuple]) -> bytes:
    """``old`` with each edit's bytes replaced, from the last to the first."""
    new = old
    for start, end, before, after in sorted(edits, reverse=True):
        assert new[start:end] == before.encode(), (start, end)
        new = new[:start] + after.encode() + new[end:]
    return new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.02, help="fake arXiv pacing (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-export-lists-") as tmp:
        work = Path(tmp)
        made = real_slices(work, "slices")
        if made is None:
            print("the real list is absent: nothing to measure")
            return
        papers, paths = made
        folder = paths[0].parent
        (folder / "config.toml").write_text("".join(f'[[lists]]\npath = "{p.name}"\n\n' for p in paths),
                                            encoding="utf-8")
        with fake_arxiv(args.delay, papers=str(papers)) as url:
            env = dict(os.environ, DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY=str(args.delay),
                       DIFFSYNC_VENUES_ENABLED="false")
            for var in ("DIFFSYNC_CONFIG", "DIFFSYNC_DATABASE_URL"):
                env.pop(var, None)
            run(["check", "--json"], folder, env)
            _, out, err = run(["accept", "--kind", "title,authors,date", "--json"], folder, env)
        accepted = json.loads(out)["total"]
        old = {p.name: p.read_bytes() for p in paths}

        t0 = time.perf_counter()
        separate_cpu, separate = 0.0, {}
        for p in paths:
            figures, out, _ = run(["export", p.name, "--json"], folder, env)
            separate_cpu += figures["cpu"]
            separate.update(plans(json.loads(out)))
        separate_wall = time.perf_counter() - t0
        figures, out, _ = run(["export", "--json"], folder, env)
        together = plans(json.loads(out))

        _, diff, err = run(["export", "--write"], folder, env)
        exact = all(p.read_bytes() == applied(old[p.name], together[p.name]) for p in paths)
        outside = sum(len(o) for o in old.values()) - sum(
            end - start for edits in together.values() for start, end, _, _ in edits)
        check, _, _ = run(["export", "--check"], folder, env)

    changing = sum(1 for edits in together.values() if edits)
    print(f"\n{len(paths)} slices of the real list, one database; {accepted} findings accepted "
          f"(title, authors, date) with one `accept` over every configured list\n")
    print(f"{'':34} {'procs':>5} {'CPU s':>7} {'wall s':>7}")
    print(f"{'20 separate exports':34} {len(paths):>5} {separate_cpu:>7.1f} {separate_wall:>7.1f}")
    print(f"{'one export of the 20 lists':34} {1:>5} {figures['cpu']:>7.1f} {figures['wall']:>7.1f}")
    print(f"\nsame plans: {separate == together} ({sum(len(e) for e in together.values())} edits "
          f"in {changing} lists)")
    print(f"export --write: {diff.count('--- a/')} diffs printed for {changing} lists that change; "
          f"every list's bytes = old bytes + planned edits: {exact} "
          f"({outside:,} bytes outside the edits unchanged); export --check after it: exit "
          f"{check['exit']}")
    print(err.strip().splitlines()[-1] if err.strip() else "")


if __name__ == "__main__":
    main()
