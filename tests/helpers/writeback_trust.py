"""Shared by the write-back trust tests (issue 11): the reference list, and an arXiv for it.

``real_list_papers`` is what arXiv says about the reference list's papers:
each linked ID's first entry as listed, except that 2212.05034 is SmartBrush
(two "Boundary Guided..." entries link it by mistake; their paper is
2302.08357), and ControlNet (listed twice without a link, title misspelt)
is 2302.05543.  A check with title search then finds two wrong_id, two
missing_id and two title findings on them, plus whatever drift is planted.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from diffsync.fake_arxiv.example import EXAMPLE_DIR
from diffsync.listfile.parse import parse_list
from diffsync.models import PaperRecord
from helpers.cli import run_cli
from helpers import paths

REAL_LIST = paths.SHARED_LISTS / "one-sentence-diffusion-summary.md"
FIXTURES = EXAMPLE_DIR

BOUNDARY = "Boundary Guided Mixing Trajectory for Semantic Control with Diffusion Models"
CONTROLNET = "Adding Conditional Control to Text-to-Image Diffusion Models"


def _when(d) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc) if d else \
        datetime(2022, 6, 1, 12, tzinfo=timezone.utc)


def real_list_papers(data: bytes) -> dict[str, PaperRecord]:
    papers: dict[str, PaperRecord] = {}
    for e in parse_list(data).entries:
        if e.arxiv_id and e.arxiv_id not in papers and "Boundary Guided" not in e.title:
            papers[e.arxiv_id] = PaperRecord(e.arxiv_id, 1, " ".join(e.title.split()), e.authors,
                                             _when(e.date), _when(e.date), categories=("cs.CV",))
    papers["2302.08357"] = PaperRecord(
        "2302.08357", 1, BOUNDARY, ("Ye Zhu", "Yu Wu", "Zhiwei Deng", "Olga Russakovsky", "Yan Yan"),
        _when(datetime(2023, 2, 16)), _when(datetime(2023, 2, 16)), categories=("cs.CV",))
    papers["2302.05543"] = PaperRecord(
        "2302.05543", 1, CONTROLNET, ("Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"),
        _when(datetime(2023, 2, 10)), _when(datetime(2023, 2, 10)), categories=("cs.CV",))
    return papers


def planted_drift(data: bytes) -> list[PaperRecord]:
    """The list's own papers with drift planted: every 7th retitled, every 9th with an
    extra author, every 11th dated 400 days earlier."""
    papers = real_list_papers(data)
    for i, (arxiv_id, rec) in enumerate(sorted(papers.items())):
        if i % 7 == 0:
            rec = replace(rec, title=rec.title + " and Beyond")
        if i % 9 == 0 and rec.authors:
            rec = replace(rec, authors=rec.authors + ("Quinn Extraauthor",))
        if i % 11 == 0:
            rec = replace(rec, published=rec.published - timedelta(days=400))
        papers[arxiv_id] = rec
    return list(papers.values())

def cli(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    return run_cli(capsys, monkeypatch, *args, stdin=stdin)


def findings(capsys, monkeypatch, lst: Path, *extra: str) -> list[dict]:
    code, out, err = cli(capsys, monkeypatch, "findings", str(lst), "--json", *extra)
    assert code == 0, err
    return json.loads(out)["findings"]


def check(capsys, monkeypatch, lst: Path) -> tuple[list[dict], str]:
    code, out, err = cli(capsys, monkeypatch, "check", str(lst), "--json")
    assert code in (0, 1), err
    return json.loads(out)["findings"], err
