"""Is this arXiv record the paper a list entry means?  Title plus authors plus year.

Title-only matching is how peer tools make wrong "fixes" (same title,
different paper), so a candidate is confirmed only with a similar title
AND a shared author AND a plausible year.  The check's title search
(check/titlesearch.py) calls ``confirm_match`` on the candidates arXiv returned.
"""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz

from .authors import same_person, surname
from ..models import PaperRecord, SearchMatch
from ..textnorm import title_text, without_leftover

# token_sort_ratio on folded titles (0-100).  90 accepts a typo, a changed
# word or two, and subtitle punctuation ("Difusion" 98, "SDEdit: Guided ..."
# 97) while distinct papers sharing the field's vocabulary ("Diffusion
# Models Beat GANs ..." vs "Diffusion Models ...") stay well below it.
# This is the threshold bibtexupdater uses for the same job.
TITLE_MATCH = 90.0
# A renamed paper (arXiv changed its title) still matches at 75 when at least
# half of the listed authors, and two or more, are on it: two unrelated
# papers sharing both a similar title and most authors do not happen.
TITLE_MATCH_RENAMED = 75.0
# The list's year may be the year of the venue or of a later version.
YEAR_SLACK = 1


def shared_authors(authors: Sequence[str], record: PaperRecord) -> tuple[str, ...]:
    """arXiv's names of the listed authors (same person; else same surname)."""
    shared = []
    for theirs in record.authors:
        if any(same_person(mine, theirs) for mine in authors):
            shared.append(theirs)
    if shared:
        return tuple(shared)
    wanted = {surname(a) for a in authors} - {""}
    return tuple(a for a in record.authors if surname(a) in wanted)


def _year_ok(year: int | None, rec: PaperRecord) -> bool:
    if year is None:
        return True
    return rec.published.year - YEAR_SLACK <= year <= rec.updated.year + YEAR_SLACK


def confirm_match(
    title: str,
    authors: Sequence[str],
    year: int | None,
    candidates: Sequence[PaperRecord],
) -> SearchMatch | None:
    """The best candidate confirmed by title, a shared author and the year, or None.

    Best = most shared authors, then highest title score.  An entry naming
    no author (a list that carries none, "Anonymous authors") is confirmed only
    by ``confirm_without_authors``'s stricter rule.
    """
    mine = title_text(without_leftover(title))
    if not mine:
        return None
    if not authors:
        return confirm_without_authors(mine, year, candidates)
    best: SearchMatch | None = None
    for rec in candidates:
        score = fuzz.token_sort_ratio(mine, title_text(rec.title))
        if score < TITLE_MATCH_RENAMED:
            continue
        shared = shared_authors(authors, rec)
        if not shared:
            continue
        if score < TITLE_MATCH and not (len(shared) >= 2 and len(shared) >= len(authors) / 2):
            continue
        if not _year_ok(year, rec):
            continue
        candidate = SearchMatch(record=rec, score=score, shared_authors=shared)
        if best is None or (len(shared), score) > (len(best.shared_authors), best.score):
            best = candidate
    return best


def confirm_without_authors(mine: str, year: int | None, candidates: Sequence[PaperRecord]) -> SearchMatch | None:
    """For an entry naming no author: never on a title alone.  The folded title must
    be exactly arXiv's, that candidate the only one with it, and the entry must state
    a year consistent with it.  The match shares no authors, which is how the finding
    says it was confirmed without them."""
    if year is None:
        return None
    exact = {rec.arxiv_id: rec for rec in candidates if title_text(rec.title) == mine}
    if len(exact) != 1:
        return None
    (rec,) = exact.values()
    if not _year_ok(year, rec):
        return None
    return SearchMatch(record=rec, score=100.0, shared_authors=())
