"""The title-search phase of a run: one batched search over every list's unlinked entries.

Entries with no arXiv link, or a link to another paper, are searched by title; an
entry asked for by several lists (same search key) is searched once.  Answers are
cached per entry key and reused while younger than the asking list's freshness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..arxivapi.client import ArxivClient
from ..drift import rules
from ..errors import DiffsyncError, one_line
from ..listfile.dates import entry_year
from ..models import ParsedList, PaperRecord
from ..store import papers
from ..store.store import Store
from ..textnorm import without_leftover
from ..utc import as_utc, utcnow
from .tally import RunTally
from .titlesearch import TitleAsk, search_titles


@dataclass(frozen=True)
class SearchSource:
    """One list's entries, with their search keys and how old a cached answer may be."""

    parsed: ParsedList
    keys: list[str]
    max_age_hours: float


def search_entries(store: Store, sources: list[SearchSource], records: dict[str, PaperRecord],
                   client: ArxivClient, batch_size: int, tally: RunTally, *,
                   stopping=lambda: False, progress=None) -> set[str]:
    """Title-search what the lists need; returns the IDs of the matches stored here.

    ``records`` are the lists' papers.  Titles go in batches of ``batch_size`` (see
    titlesearch); each batch's answers are stored together.
    """
    cached = store.load_searches()
    now = utcnow()
    wanted: dict[str, TitleAsk] = {}
    lines: dict[str, int] = {}  # for warnings: the first entry that asked
    for source in sources:
        fresh_after = now - timedelta(hours=source.max_age_hours)
        for e, key in zip(source.parsed.entries, source.keys):
            if key in wanted or not rules.needs_search(e, records.get(e.arxiv_id) if e.arxiv_id else None):
                continue
            row = cached.get(key)
            if row is not None and as_utc(row.searched_at) >= fresh_after:
                continue
            wanted[key] = TitleAsk(key, without_leftover(e.title), tuple(e.authors), entry_year(e))
            lines[key] = e.line
    del cached
    titles = {key: ask.title for key, ask in wanted.items()}
    saved: set[str] = set()
    batches = search_titles(client, list(wanted.values()), batch_size)
    while True:
        if stopping():
            tally.interrupted = True
            return saved
        before = client.requests_made
        try:
            answered = next(batches, None)
        except DiffsyncError as exc:
            # arXiv stopped answering: keep what was answered, search the rest next run.
            tally.unchecked.update({k: one_line(exc) for k in wanted if k not in tally.searched_keys})
            return saved
        finally:
            tally.requests += client.requests_made - before
        if answered is None:
            return saved
        for key, why in answered.unreadable.items():
            # The paper may be the one that could not be read: "no match" would be cached.
            tally.skip(key, f"title search for line {lines[key]}: {why}; searched again next run")
        matches = dict(answered.matches)
        for key, m in answered.matches.items():
            why = papers.unstorable(m.record) if m is not None else None
            if why:
                tally.skip(key, f"title search for line {lines[key]}: arXiv {m.record.arxiv_id}: "
                                f"{why}; searched again next run")
                del matches[key]
        found = [m.record for m in matches.values() if m is not None]
        store.save_searches(found, [(key, titles[key], m.record.arxiv_id if m else None,
                                     m.score if m else None) for key, m in matches.items()],
                            utcnow())
        saved.update(r.arxiv_id for r in found)
        searched = [k for k in [*answered.matches, *answered.unreadable] if k not in tally.searched_keys]
        tally.searched_keys.update(searched)
        if progress and searched:
            progress("search", len(tally.searched_keys), len(wanted))
