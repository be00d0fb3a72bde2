"""The check's title searches, batched: many titles per request, each answer confirmed per entry.

At arXiv's pace of one request every 3 s the number of requests is the
cost, so the exact-title phrases of up to ``[check] search_batch`` entries
are OR'ed into one query (``ti:"…" OR ti:"…"``), with ``max_results``
scaled to ten candidates per title.  Every entry is then confirmed against
the pooled answers with ``drift.matching.confirm_match``: title similarity,
a shared author and the year, so another entry's candidate can only be
confirmed if it would pass for this entry too.  Entries still unconfirmed
get the author-anchored fallback, batched the same way:
``(au:… AND (ti:… OR …)) OR …``, confirmed against both answers, as one
search per entry confirmed against everything it had seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, Sequence

from ..arxivapi.client import SearchAnswer
from ..arxivapi.query import Query, any_of, fallback_query, title_query
from ..drift.matching import confirm_match
from ..models import PaperRecord, SearchMatch


class Searcher(Protocol):
    requests_made: int

    def search(self, query: Query) -> SearchAnswer: ...


@dataclass(frozen=True)
class TitleAsk:
    """One entry's title search: its cache key and what confirms a candidate."""

    key: str
    title: str  # as the list has it, leftovers (", X et al., 2022") removed
    authors: tuple[str, ...]
    year: int | None


@dataclass(frozen=True)
class Answered:
    """Searches finished together: what each key confirmed (None: nothing), and the requests spent."""

    matches: dict[str, SearchMatch | None]
    requests: int
    # Keys left unconfirmed while an answer they saw held a record that could not be
    # read: that record may be the paper, so "no match" must not be cached.
    unreadable: dict[str, str] = field(default_factory=dict)


def search_titles(client: Searcher, asks: Sequence[TitleAsk], per_query: int) -> Iterator[Answered]:
    """Answer every ask, one ``Answered`` per request batch (store each in one transaction).

    Raises what ``client.search`` raises; what was yielded before stays valid.
    """
    seen: dict[int, list[PaperRecord]] = {}  # ask position -> the candidates it was shown
    unread: dict[int, str] = {}  # ask position -> an unreadable record it was shown
    unconfirmed: list[int] = []
    phrases = [title_query(a.title) for a in asks]
    for n, a in enumerate(asks):
        if not phrases[n]:
            unconfirmed.append(n)  # nothing to phrase-search: straight to the fallback
    for query, members in any_of(phrases, per_query):
        before = client.requests_made
        answer = _search(client, query, len(members))
        pool = list(answer.records)
        matches: dict[str, SearchMatch | None] = {}
        for n in members:
            seen[n] = pool
            if answer.unreadable:
                unread[n] = _why(answer)
            match = confirm_match(asks[n].title, asks[n].authors, asks[n].year, pool)
            if match is not None:
                matches[asks[n].key] = match
            else:
                unconfirmed.append(n)
        yield Answered(matches, client.requests_made - before)
    unconfirmed.sort()
    fallbacks = [fallback_query(asks[n].title, asks[n].authors) for n in unconfirmed]
    without = [n for n, q in zip(unconfirmed, fallbacks) if not q]
    if without:
        yield _finished({n: None for n in without}, asks, unread, 0)
    for query, members in any_of(fallbacks, per_query):
        before = client.requests_made
        answer = _search(client, query, len(members))
        pool = list(answer.records)
        found: dict[int, SearchMatch | None] = {}
        for m in members:
            n = unconfirmed[m]
            if answer.unreadable:
                unread[n] = _why(answer)
            found[n] = confirm_match(
                asks[n].title, asks[n].authors, asks[n].year, _merged(seen.get(n, []), pool))
        yield _finished(found, asks, unread, client.requests_made - before)


def _search(client: Searcher, query: Query, clauses: int) -> SearchAnswer:
    """One search; an answer with nothing at all to several titles OR'ed is asked once more.

    arXiv sporadically answers an empty page with ``totalResults`` 0, which reads exactly
    like "no candidates" (the client retries empty pages only when ``totalResults``
    contradicts them).  For one title that is a common, true answer; for several
    titles at once it is rare, and taken as true only when a second ask agrees.
    """
    answer = client.search(query)
    if clauses > 1 and not answer.records and not answer.unreadable:
        answer = client.search(query)
    return answer


def _why(answer: SearchAnswer) -> str:
    paper, reason = next(iter(answer.unreadable.items()))
    return f"arXiv's record of {paper} cannot be read: {reason}"


def _finished(found: dict[int, SearchMatch | None], asks: Sequence[TitleAsk],
              unread: dict[int, str], requests: int) -> Answered:
    """Final answers; an unconfirmed ask that saw an unreadable record is not an answer."""
    matches = {asks[n].key: m for n, m in found.items() if m is not None or n not in unread}
    unreadable = {asks[n].key: unread[n] for n, m in found.items() if m is None and n in unread}
    return Answered(matches, requests, unreadable)


def _merged(first: list[PaperRecord], then: list[PaperRecord]) -> list[PaperRecord]:
    """Both answers, one record per paper (the later answer's), in first-seen order."""
    merged = {r.arxiv_id: r for r in first}
    merged.update({r.arxiv_id: r for r in then})
    return list(merged.values())
