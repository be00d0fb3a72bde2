"""Nine synthetic papers and their entries, shared by the multi-list and PostgreSQL tests."""

from __future__ import annotations

from datetime import datetime, timezone

from diffsync.models import PaperRecord

PUBLISHED = datetime(2023, 3, 14, 12, 0, tzinfo=timezone.utc)
PAPERS = [PaperRecord(f"2303.{n:05d}", 1, f"Paper Number {n} on Diffusion Sampling",
                      (f"Ada Author{n}", "Bo Coauthor"), PUBLISHED, PUBLISHED)
          for n in range(1, 10)]

def entry(p: PaperRecord, title: str | None = None, authors: tuple[str, ...] | None = None) -> str:
    return (f"**{title or p.title}** \\\n*{', '.join(authors or p.authors)}* \\\n"
            f"arXiv {p.published.year}. [[Paper](https://arxiv.org/abs/{p.arxiv_id})] \\\n"
            f"{p.published.day} {p.published:%b %Y}\n\n")
