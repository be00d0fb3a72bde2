"""Lists and matching fake-arXiv papers for bench_scale: synthetic ones with planted drift, and the real list."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from diffsync.fake_arxiv import dump_papers
from diffsync.listfile.parse import parse_list
from diffsync.models import PaperRecord

_FIRST = "Ada Bo Chen Dana Emil Fatima Goran Hana Ivan Jun Kai Lena Mateo Nia Omar Priya Quinn Rosa Sven Tariq Uma Vera Wei Xiu Yusuf Zoe".split()
_LAST = "Abe Brandt Castillo Dubois Eriksen Fujita Garcia Huang Iyer Jensen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quispe Rossi Schmidt Tanaka Ueda Varga Wang Xu Yilmaz Zhou".split()
_ADJ = "Scalable Efficient Robust Latent Conditional Guided Hierarchical Consistent Fast Controllable".split()
_NOUN = "Diffusion Denoising Score-Based Flow-Matching Rectified Cascaded Masked Autoregressive".split()
_TASK = "Image Synthesis|Video Generation|Text-to-Speech|Inverse Problems|Molecule Design|3D Shape Generation|Super-Resolution|Time Series Imputation".split("|")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# Planted drift, by position in the list: one kind each, a few % of entries in all.
TITLE_EVERY, AUTHORS_EVERY, DATE_EVERY, UNLINKED_EVERY = 40, 40, 40, 200


@dataclass(frozen=True)
class Dataset:
    name: str
    list_bytes: bytes
    papers: list[PaperRecord]  # what the fake arXiv serves
    ids: list[str]  # the distinct arXiv IDs the list links (what arxiv.py is asked for)
    entries: int
    planted: dict[str, int]  # drift planted, per finding kind


def write_dataset(data: Dataset, work: Path) -> tuple[Path, Path, Path]:
    """The list, the fake arXiv's papers and the IDs arxiv.py is asked for, as files in ``work``."""
    list_path, papers_path, ids_path = work / "list.md", work / "papers.json", work / "ids.txt"
    list_path.write_bytes(data.list_bytes)
    dump_papers(data.papers, papers_path)
    ids_path.write_text("\n".join(data.ids) + "\n")
    return list_path, papers_path, ids_path


def _paper(i: int, rng: random.Random) -> PaperRecord:
    yymm = f"{20 + (i // 12) % 6:02d}{i % 12 + 1:02d}"
    arxiv_id = f"{yymm}.{i // 72 + 1:05d}"
    title = (f"Diff{i}: {rng.choice(_ADJ)} {rng.choice(_NOUN)} Models for {rng.choice(_TASK)} "
             f"with {rng.choice(_ADJ)} Priors")
    authors = tuple(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                    for _ in range(rng.randint(2, 5)))
    published = datetime(2000 + int(yymm[:2]), int(yymm[2:]), 1 + i % 28, 12, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=1 + i % 3, title=title, authors=authors,
                       published=published, updated=published + timedelta(days=30 * (i % 3)),
                       comment="12 pages" if i % 4 else None, categories=("cs.CV", "cs.LG"))


def _day(d: datetime) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _entry(i: int, rec: PaperRecord, planted: dict[str, int]) -> str:
    title, authors, date = rec.title, list(rec.authors), rec.published
    link = f"[[Paper](https://arxiv.org/abs/{rec.arxiv_id})] "
    if i % TITLE_EVERY == 5:
        title = title.replace(" Models for ", " Networks for ")
        planted["title"] += 1
    elif i % AUTHORS_EVERY == 15:
        authors[-1] = "Jane Doe"
        planted["authors"] += 1
    elif i % DATE_EVERY == 25:
        date += timedelta(days=45)
        planted["date"] += 1
    elif i % UNLINKED_EVERY == 35:
        link = ""
        planted["missing_id"] += 1
    return (f"**{title}** \\\n*{', '.join(authors)}* \\\n"
            f"arXiv {date.year}. {link}[[Github](https://github.com/lab{i % 300}/diff{i})] \\\n"
            f"{_day(date)}\n\n")


def synthetic(n: int, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    papers = [_paper(i, rng) for i in range(n)]
    planted = {"title": 0, "authors": 0, "date": 0, "missing_id": 0}
    parts = ["# A synthetic awesome list\n\n## Papers\n\n"]
    for i, rec in enumerate(papers):
        if i and i % 250 == 0:
            parts.append(f"### Section {i // 250}\n\n")
        parts.append(_entry(i, rec, planted))
    linked = [r.arxiv_id for i, r in enumerate(papers) if i % UNLINKED_EVERY != 35]
    return Dataset(f"synthetic {n:,}", "".join(parts).encode(), papers, linked, n, planted)


def real(path: Path) -> Dataset | None:
    """The real list, with fake-arXiv records made from its own entries (so most match).

    Entries without an arXiv link get a record under a spare ID, so their
    title search finds and confirms them; 3% of linked papers get a changed title."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    entries = parse_list(data, str(path)).entries
    papers: dict[str, PaperRecord] = {}
    spare = 0
    planted = {"title": 0}
    for e in entries:
        if e.arxiv_id in papers:
            continue
        when = e.date or datetime(2023, 1, 1).date()
        published = datetime(when.year, when.month, when.day, 12, tzinfo=timezone.utc)
        arxiv_id = e.arxiv_id
        if arxiv_id is None:
            if not e.authors:
                continue
            spare += 1
            arxiv_id = f"2512.{90000 + spare:05d}"
        rec = PaperRecord(arxiv_id=arxiv_id, version=1, title=e.title,
                          authors=e.authors or ("Anonymous",), published=published, updated=published)
        if e.arxiv_id and len(papers) % 33 == 0:
            rec = replace(rec, title=rec.title + " (Extended Version)")
            planted["title"] += 1
        papers[arxiv_id] = rec
    ids = sorted({e.arxiv_id for e in entries if e.arxiv_id})
    planted["missing_id"] = spare
    return Dataset(f"real list ({path.name[:20]}…)", data, list(papers.values()), ids,
                   len(entries), planted)
