"""A fake venue world for a real list: the list's own venues as truth, with planted drift.

An entry naming a venue the table knows ("CVPR 2023.") is published there, so
a check must find nothing about it.  Most placeholders ("arXiv 2023.") stay
preprints; every ``every``-th one (at most ``most``) was in truth published,
each in one of the ways sources know it:

- ``neurips``: NeurIPS, v1's year;
- ``iclr``: ICLR, the year after v1 (Semantic Scholar, DBLP, OpenReview from 2024);
- ``cvpr-dblp``: CVPR, v1's year, which Semantic Scholar has not caught up with;
- ``workshop``: a NeurIPS workshop, v1's year: the fix must say "Workshop";
- ``icml-new``: ICML, the year after v1, a paper Semantic Scholar does not know.

Every ``every * 3``-th entry naming a venue itself is planted too, alternately:

- ``moved``: Semantic Scholar and DBLP agree on another venue (ICCV, or ECCV
  for an ICCV entry): two sources, so fixable;
- ``conflict``: Semantic Scholar says that other venue and DBLP yet another:
  ambiguous, no fix, the finding names both.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..drift.venues import is_placeholder
from ..listfile.parse import parse_list
from ..venuecheck.findings import listed_venues
from .world import FakeVenuePaper

PLANTS = ("neurips", "iclr", "cvpr-dblp", "workshop", "icml-new")


@dataclass(frozen=True)
class Planted:
    arxiv_id: str
    how: str  # one of PLANTS
    fix: str | None  # the venue text the fix writes (None: no fix expected)


def _plant(i: int, arxiv_id: str, title: str, authors: tuple[str, ...], v1: int,
           punctuation: str) -> tuple[FakeVenuePaper, Planted]:
    how = PLANTS[i % len(PLANTS)]
    base = FakeVenuePaper(arxiv_id, title, authors, v1)
    paper, fix = {
        "iclr": (FakeVenuePaper(arxiv_id, title, authors, v1, "ICLR", v1 + 1), f"ICLR {v1 + 1}"),
        "cvpr-dblp": (FakeVenuePaper(arxiv_id, title, authors, v1, "CVPR", v1, s2_venue=False), f"CVPR {v1}"),
        "neurips": (FakeVenuePaper(arxiv_id, title, authors, v1, "NeurIPS", v1), f"NeurIPS {v1}"),
        "workshop": (FakeVenuePaper(arxiv_id, title, authors, v1, "NeurIPS", v1, workshop=True),
                     f"NeurIPS Workshop {v1}"),
        "icml-new": (FakeVenuePaper(arxiv_id, title, authors, v1, "ICML", v1 + 1, s2_known=False),
                     f"ICML {v1 + 1}"),
    }.get(how, (base, None))
    return paper, Planted(arxiv_id, how, fix + punctuation if fix else None)


def world_from_list(data: bytes, titles: dict[str, tuple[str, tuple[str, ...], int]], *,
                    every: int = 7, most: int = 42,
                    move_listed: bool = True) -> tuple[list[FakeVenuePaper], dict[str, Planted]]:
    """Papers for the fake sources, and what was planted by arXiv ID.

    ``move_listed`` False plants on placeholders only (the demo: a listed venue stays right).

    ``titles``: arXiv's title, authors and v1 year by ID (what the fake arXiv serves).
    """
    papers: dict[str, FakeVenuePaper] = {}
    planted: dict[str, Planted] = {}
    placeholders = named_ones = 0
    for e in parse_list(data).entries:
        if not e.arxiv_id or e.arxiv_id in papers or e.arxiv_id not in titles:
            continue
        title, authors, v1 = titles[e.arxiv_id]
        venue = (e.venue or "").strip()
        named = listed_venues(venue) if venue and not is_placeholder(venue) else []
        if named:  # "CVPR 2023." is the truth; "ICLR 2023 submission" is not a publication
            name, year, workshop = named[0]
            papers[e.arxiv_id] = FakeVenuePaper(e.arxiv_id, title, authors, v1, name, year or v1,
                                                workshop=workshop)
            if (move_listed and year and not workshop and named_ones % (every * 3) == 0
                    and len(planted) < most):
                other = "ECCV" if name == "ICCV" else "ICCV"
                third = "AAAI" if name != "AAAI" else "IJCAI"
                moved = (named_ones // (every * 3)) % 2 == 0
                body = venue.rstrip(".,;:")
                papers[e.arxiv_id] = FakeVenuePaper(e.arxiv_id, title, authors, v1, other, year,
                                                    dblp_says=None if moved else third)
                planted[e.arxiv_id] = Planted(e.arxiv_id, "moved" if moved else "conflict",
                                              f"{other} {year}{venue[len(body):]}" if moved else None)
            named_ones += 1
        elif is_placeholder(venue) and placeholders % every == 0 and len(planted) < most:
            body = venue.rstrip(".,;:")
            paper, plant = _plant(len(planted), e.arxiv_id, title, authors, v1, venue[len(body):])
            papers[e.arxiv_id], planted[e.arxiv_id] = paper, plant
            placeholders += 1
        else:
            placeholders += is_placeholder(venue)
            papers[e.arxiv_id] = FakeVenuePaper(e.arxiv_id, title, authors, v1)
    return list(papers.values()), planted
