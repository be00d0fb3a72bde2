"""Is this arXiv record the paper a list entry means?  Title plus authors plus year.

Title-only matching is how peer tools make wrong "fixes", so a candidate
is confirmed only with a similar title AND a shared author surname AND a
plausible year.  (Owned by the drift-rules work; the client's title search
uses ``confirm_match``.)
"""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz

from .models import PaperRecord, SearchMatch

TITLE_MATCH = 90.0  # token_sort_ratio on normalised titles


def _norm(s: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in s).split())


def _surname(name: str) -> str:
    parts = _norm(name).split()
    return parts[-1] if parts else ""


def confirm_match(
    title: str,
    authors: Sequence[str],
    year: int | None,
    candidates: Sequence[PaperRecord],
) -> SearchMatch | None:
    """The best candidate confirmed by title, a shared surname and the year, or None."""
    wanted = {_surname(a) for a in authors} - {""}
    best: SearchMatch | None = None
    for rec in candidates:
        score = fuzz.token_sort_ratio(_norm(title), _norm(rec.title))
        if score < TITLE_MATCH:
            continue
        shared = tuple(a for a in rec.authors if _surname(a) in wanted)
        if not shared:
            continue
        if year is not None and not (rec.published.year - 1 <= year <= rec.updated.year + 1):
            continue
        if best is None or score > best.score:
            best = SearchMatch(record=rec, score=score, shared_authors=shared)
    return best
