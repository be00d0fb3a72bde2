"""Builders of the values the tests pass around: entries, links and arXiv records, with sensible defaults."""

from __future__ import annotations

from datetime import date, datetime, timezone

from diffsync import arxivid
from diffsync.listfile.parse import parse_list
from diffsync.models import Entry, Link, PaperRecord, Span

_NOWHERE = Span(0, 0)


def paper_link(url: str, label: str = "Paper", broken: bool = False) -> Link:
    return Link(label=label, url=url, span=_NOWHERE, url_span=_NOWHERE, broken=broken)


def entry(
    title: str,
    authors: tuple[str, ...] | list[str] = ("Jonathan Ho", "Tim Salimans"),
    arxiv: str | None = "2207.12598",
    *,
    line: int = 10,
    on: date | None = None,
    date_text: str | None = None,
    venue: str | None = "arXiv 2022.",
    authors_text: str | None = None,
    links: tuple[Link, ...] | None = None,
) -> Entry:
    found = arxivid.parse_id(arxiv) if arxiv else None
    if links is None:
        links = (paper_link(f"https://arxiv.org/abs/{arxiv}"),) if arxiv else ()
    return Entry(
        line=line,
        section=None,
        span=_NOWHERE,
        title=title,
        title_span=_NOWHERE,
        authors=tuple(authors),
        authors_text=authors_text if authors_text is not None else ", ".join(authors),
        venue=venue,
        links=links,
        arxiv_id=found.id if found else None,
        arxiv_version=found.version if found else None,
        date=on,
        date_text=date_text or (on.strftime("%-d %b %Y") if on else None),
    )


def record(
    title: str,
    authors: tuple[str, ...] | list[str] = ("Jonathan Ho", "Tim Salimans"),
    arxiv_id: str = "2207.12598",
    *,
    published: datetime = datetime(2022, 7, 26, 17, 0, tzinfo=timezone.utc),
    updated: datetime | None = None,
    version: int = 1,
    comment: str | None = None,
    journal_ref: str | None = None,
    withdrawn: bool = False,
) -> PaperRecord:
    return PaperRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        authors=tuple(authors),
        published=published,
        updated=updated or published,
        comment=comment,
        journal_ref=journal_ref,
        withdrawn=withdrawn,
    )


def paper(arxiv_id: str, title: str, authors: tuple[str, ...], published: str,
          categories: tuple[str, ...] = ("cs.LG",)) -> PaperRecord:
    """An arXiv record by ID first, published (and updated) on an ISO date, at v2."""
    when = datetime.fromisoformat(published).replace(tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=2, title=title, authors=authors,
                       published=when, updated=when, categories=categories)


def _searched(arxiv_id: str, title: str, authors: tuple[str, ...], year: int = 2021) -> PaperRecord:
    when = datetime(year, 5, 1, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=1, title=title, authors=authors, published=when, updated=when)


# Four well-known papers, as the title-search tests serve them (tests/check/test_titlesearch.py,
# tests/arxivapi/test_transient_pages.py): at v1, published on 1 May of their year.
SEARCHED_PAPERS = (
    _searched("2105.05233", "Diffusion Models Beat GANs on Image Synthesis", ("Prafulla Dhariwal", "Alex Nichol")),
    _searched("2006.11239", "Denoising Diffusion Probabilistic Models", ("Jonathan Ho", "Ajay Jain"), 2020),
    _searched("2112.10752", "High-Resolution Image Synthesis with Latent Diffusion Models", ("Robin Rombach",)),
    _searched("2011.13456", "Score-Based Generative Modeling through Stochastic Differential Equations",
              ("Yang Song", "Stefano Ermon"), 2020),
)


def without_entry(data: bytes, arxiv_id: str) -> bytes:
    """A list with the entry of ``arxiv_id`` and the blank line after it removed (not the last entry)."""
    parsed = parse_list(data)
    i = next(n for n, e in enumerate(parsed.entries) if e.arxiv_id == arxiv_id)
    return data[:parsed.entries[i].span.start] + data[parsed.entries[i + 1].span.start:]
