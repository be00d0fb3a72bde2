"""What to ask arXiv's search: a ``Query`` value, and the title clauses diffsync batches into one.

The client only sends a ``Query`` and returns the papers arXiv answered;
which of them an entry means is decided by ``drift.matching``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

# Candidates asked per title, as one search per entry always asked for.
PER_TITLE = 10
# arXiv serves at most 2,000 entries per page.
MAX_RESULTS = 2000
# A search_query this long is about 50 titles: far below any POST body limit, and
# small enough that a proxy logging or rejecting long queries is not a worry.
MAX_QUERY_CHARS = 8000
_STOPWORDS = frozenset(
    "a an and are as at by for from in into is of on or the to via with without".split()
)


@dataclass(frozen=True)
class Query:
    """One search request: ``search_query`` and how many answers to ask for."""

    search_query: str
    max_results: int = PER_TITLE
    start: int = 0

    def form(self) -> dict[str, str]:
        return {"search_query": self.search_query, "start": str(self.start),
                "max_results": str(self.max_results)}


def title_query(title: str) -> str:
    """``ti:"…"`` for a title, with TeX, quotes and punctuation that break the query removed."""
    text = re.sub(r"\$[^$]*\$", " ", title)  # inline maths rarely matches arXiv's own TeX
    text = re.sub(r"\\[a-zA-Z]+|\\.", " ", text)  # TeX commands and escapes
    words = re.findall(r"[^\W_]+", text)
    return f'ti:"{" ".join(words)}"' if words else ""


def fallback_query(title: str, authors: Sequence[str]) -> str:
    """First author's surname AND any of the most distinctive title words: survives a title typo."""
    words = re.findall(r"[^\W_]+", re.sub(r"\$[^$]*\$|\\[a-zA-Z]+", " ", title))
    distinctive = sorted(
        {w.lower() for w in words if w.lower() not in _STOPWORDS and len(w) > 3},
        key=lambda w: (-len(w), w),
    )[:5]
    names = [re.findall(r"[^\W_]+", a) for a in authors]
    surname = next((n[-1] for n in names if n), None)
    if surname is None or not distinctive:
        return ""
    return f"au:{surname} AND (" + " OR ".join(f"ti:{w}" for w in distinctive) + ")"


def any_of(clauses: Iterable[str], per_query: int) -> Iterator[tuple[Query, list[int]]]:
    """OR ``clauses`` together, ``per_query`` at most per request and within MAX_QUERY_CHARS.

    Yields each query with the positions of the clauses it carries.  One
    clause is sent as it is, so ``per_query = 1`` asks exactly what one
    search per entry asks; in an OR, a clause with its own AND/OR is put in
    parentheses: ``(au:… AND (ti:… OR …)) OR …``.
    """
    per_query = max(1, min(per_query, MAX_RESULTS // PER_TITLE))
    group: list[tuple[int, str]] = []
    size = 0
    for n, clause in enumerate(clauses):
        if not clause:
            continue
        cost = len(clause) + 6  # "(…) OR "
        if group and (len(group) >= per_query or size + cost > MAX_QUERY_CHARS):
            yield _joined(group)
            group, size = [], 0
        group.append((n, clause))
        size += cost
    if group:
        yield _joined(group)


def _joined(group: list[tuple[int, str]]) -> tuple[Query, list[int]]:
    if len(group) == 1:
        return Query(group[0][1], PER_TITLE), [group[0][0]]
    text = " OR ".join(c if c.startswith('ti:"') else f"({c})" for _, c in group)
    return Query(text, min(MAX_RESULTS, PER_TITLE * len(group))), [n for n, _ in group]
