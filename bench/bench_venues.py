"""Venue sources on the real lists, against the fake Semantic Scholar, OpenReview and DBLP.

    python bench/bench_venues.py [LIST.md ...]

For each list (default: both real lists in ../shared/lists): the fake venue
world is the list's own venues plus planted drift (fake_venues/fromlist.py).
It runs the venue step twice on one database and prints, per source, the
requests each run sent, the wall time against the fakes (pace 1 ms), and the
time the same requests take at each source's documented pace (with and
without a Semantic Scholar key).  Then what the findings came to: planted
drifts found with the right fix, and findings on entries that were not
planted (only papers the list itself names two venues for may have one).
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from diffsync.config import VenuesSettings
from diffsync.fake_venues import FakeVenues, World
from diffsync.fake_venues.fromlist import world_from_list
from diffsync.listfile.parse import parse_list
from diffsync.models import PaperRecord
from diffsync.store.store import Store
from diffsync.venuecheck.clients import pace
from diffsync.venuecheck.findings import venue_findings
from diffsync.venuecheck.gather import gather
from diffsync.venuesrc.records import SOURCES, SOURCE_NAMES

SHARED = Path(__file__).resolve().parents[2] / "shared" / "lists"
LISTS = [SHARED / "one-sentence-diffusion-summary.md", SHARED / "diff-usion-awesome-diffusion-models.md"]


def _papers(data: bytes) -> dict[str, PaperRecord]:
    """arXiv's side: each linked paper as the list states it (as the fake arXiv would serve it)."""
    papers: dict[str, PaperRecord] = {}
    for e in parse_list(data).entries:
        if e.arxiv_id and e.arxiv_id not in papers and e.authors:
            d = e.date or datetime(2023, 1, 1).date()
            when = datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc)
            papers[e.arxiv_id] = PaperRecord(e.arxiv_id, 1, " ".join(e.title.split()), e.authors, when, when)
    return papers


def _listed(data: bytes) -> dict[str, set[str]]:
    texts: dict[str, set[str]] = {}
    for e in parse_list(data).entries:
        if e.arxiv_id and e.venue:
            texts.setdefault(e.arxiv_id, set()).add(e.venue)
    return texts


def bench(path: Path) -> None:
    data = path.read_bytes()
    papers = _papers(data)
    world, planted = world_from_list(data, {i: (r.title, r.authors, r.published.year) for i, r in papers.items()})
    listed = _listed(data)
    print(f"\n## {path.name}: {len(papers)} linked papers, {len(planted)} planted venue drifts\n")
    with tempfile.TemporaryDirectory() as tmp, FakeVenues(World(world)) as fake, \
            Store.open(f"sqlite:///{tmp}/bench.db") as store:
        settings = VenuesSettings(semantic_scholar_url=fake.s2_url, openreview_url=fake.openreview_url,
                                  dblp_url=fake.dblp_url, delay=0.001, max_requests=0)
        runs = []
        for label in ("first check", "second check (within max_age)"):
            before = dict(fake.requests)
            t0 = time.perf_counter()
            run = gather(settings, store.venues(), papers, listed=listed)
            wall = time.perf_counter() - t0
            runs.append((label, {s: fake.requests[s] - before[s] for s in SOURCES}, wall, run))
    print("| run | source | requests | wall vs fakes | at the documented pace (no key / key) |")
    print("|---|---|---:|---:|---:|")
    for label, asked, wall, _ in runs:
        for s in SOURCES:
            no_key = asked[s] * pace(VenuesSettings(), s)
            key = asked[s] * pace(replace(VenuesSettings(), semantic_scholar_key="k"), s)
            print(f"| {label} | {SOURCE_NAMES[s]} | {asked[s]} | {wall:.1f} s (all) | "
                  f"{_minutes(no_key)} / {_minutes(key)} |")
    first = runs[0][3]
    print(f"\nSemantic Scholar: {runs[0][1]['semantic_scholar']} requests for {len(papers)} papers "
          f"(ceil(papers/500) = {math.ceil(len(papers) / 500)}); OpenReview listings: {len(fake.listings)} "
          f"venue-years, each asked {sorted(set(fake.listings.values()))} time(s)")
    print(f"Coverage: {first.coverage_line()}")
    cap = VenuesSettings().max_requests
    print(f"At the default venues.max_requests = {cap}, DBLP's {runs[0][1]['dblp']} searches take "
          f"{math.ceil(runs[0][1]['dblp'] / cap)} checks (never-asked papers first, newest first)")
    findings = venue_findings(parse_list(data).entries, first.evidence)
    by_id: dict[str, list] = {}
    for f in findings:
        by_id.setdefault(f.arxiv_id or "", []).append(f)
    right = sum(1 for i, p in planted.items() if i in by_id and by_id[i][0].suggestion == p.fix)
    extra = {i for i in by_id if i not in planted}
    twice = {i for i, t in listed.items() if len({x.strip() for x in t}) > 1}
    print(f"Planted: {len(planted)}; found with the right fix (or, for conflicts, no fix): {right}")
    print(f"Findings on entries not planted: {len(extra)} (all on papers the list names two venues for: "
          f"{extra <= twice})")


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [p for p in LISTS if p.is_file()]
    for p in paths:
        bench(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
