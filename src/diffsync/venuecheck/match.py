"""Is a source's record this paper, and which venue does it name?  Never the title alone.

- Semantic Scholar is asked by arXiv ID, so identity is given; its title and
  authors are still checked against arXiv's, and a venue years after v1 (a
  later journal republication) is not taken for the paper's venue.
- OpenReview and DBLP are found by title, so a record needs all of: the
  same folded title (or a renamed title backed by two shared authors), the
  first author's surname or two shared surnames, a venue year in
  [v1 year, v1 year + 2], no other arXiv ID, and a published status.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ..drift.authors import surname
from ..drift.matching import TITLE_MATCH_RENAMED
from ..models import PaperRecord
from ..textnorm import title_key, title_text
from ..venuenames import Named, canonical
from ..venuesrc.records import SEMANTIC_SCHOLAR, SourceRecord

YEARS_AFTER_V1 = 2  # a paper reaches its venue within two years of v1, or it is a later version


def _surnames(names: tuple[str, ...]) -> list[str]:
    return [s for s in (surname(n) for n in names) if s]


def shared_surnames(mine: tuple[str, ...], theirs: tuple[str, ...]) -> int:
    return len(set(_surnames(mine)) & set(_surnames(theirs)))


def _authors_agree(rec: PaperRecord, cand: SourceRecord) -> bool:
    mine, theirs = _surnames(rec.authors), _surnames(cand.authors)
    if mine and theirs and mine[0] == theirs[0]:
        return True
    return shared_surnames(rec.authors, cand.authors) >= 2


def _same_title(rec: PaperRecord, cand: SourceRecord) -> bool:
    if title_key(rec.title) == title_key(cand.title):
        return True
    # renamed on publication: a similar title holds only with two shared authors
    renamed = fuzz.token_sort_ratio(title_text(rec.title), title_text(cand.title)) >= TITLE_MATCH_RENAMED
    return renamed and shared_surnames(rec.authors, cand.authors) >= 2


def _year_ok(rec: PaperRecord, cand: SourceRecord) -> bool:
    v1 = rec.published.year
    return cand.year is not None and v1 <= cand.year <= v1 + YEARS_AFTER_V1


def is_this_paper(rec: PaperRecord, cand: SourceRecord) -> bool:
    """Whether ``cand`` is the record of ``rec`` (see the module docstring)."""
    if cand.source == SEMANTIC_SCHOLAR:
        if cand.arxiv_id and cand.arxiv_id != rec.arxiv_id:
            return False
        return _same_title(rec, cand) or _authors_agree(rec, cand)
    if cand.arxiv_id and cand.arxiv_id != rec.arxiv_id:
        return False
    return _same_title(rec, cand) and _authors_agree(rec, cand)


def venue_of(rec: PaperRecord, cand: SourceRecord) -> Named | None:
    """The venue ``cand`` says ``rec`` was published at, if it is a publication of this paper.

    A venue the table does not know keeps its name as the source wrote it.
    """
    if not cand.published or not cand.venue_text or not _year_ok(rec, cand):
        return None
    if not is_this_paper(rec, cand):
        return None
    for text in (cand.venue_text, *cand.alternate):
        named = canonical(text, cand.year)
        if named is not None:
            # the record's own year wins over one inside a long name ("2016 IEEE CVPR")
            return Named(named.name, cand.year or named.year, named.workshop or "workshop" in
                         cand.venue_text.lower())
    return Named(cand.venue_text, cand.year, "workshop" in cand.venue_text.lower())
