"""Venues: which venue arXiv says a paper appeared at, and whether the list mentions it.

arXiv has two places for this: ``journal_ref`` (set by authors or
publishers; adding it does not create a new version) and free-text
comments ("Accepted to CVPR 2023", "NeurIPS 2022 (Oral)").  Comments also
say "submitted to CVPR" or "under review at ICLR", which is not
acceptance, so a comment counts only when it says accepted/published/to
appear, or when it *starts* with a known venue and year (the common
"CVPR 2023" / "ICLR 2021 (Oral)" form) without any hedge word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textnorm import fold
from ..venuenames import ALIAS_NAME as _ALIAS_NAME, ALIAS_PATTERN, SAME_VENUE as _SAME_VENUE, VENUES as _VENUES

# Proceedings series, not venues: "PMLR 139, 2021" is ICML 2021's proceedings,
# so an entry naming any venue of that year already says where it appeared.
_SERIES = re.compile(r"^(pmlr|proceedings of machine learning research|lncs|lecture notes in computer science"
                     r"|ccis|communications in computer and information science|jmlr w ?& ?cp)\b")
# a year next to a venue: "2023", or two digits written onto the name ("NeurIPS22", "CVPR'23");
# a spaced two-digit number is a volume or page count, not a year
_ALIAS_RE = re.compile(
    r"\b(" + ALIAS_PATTERN + r")(?:\s*((?:19|20)\d\d)|'(\d\d))?\b"
)
_HEDGE = re.compile(r"\b(submit\w*|submission|under review|in review|review|rejected|not (?:yet )?accepted"
                    r"|preprint version|extended version of)\b")
_ACCEPTED = re.compile(
    r"\b(accepted|acceptance|published|to appear|appeared|appears|camera[- ]ready|in proceedings|proceedings of"
    r"|presented at|oral|spotlight|highlight|poster)\b"
)


@dataclass(frozen=True)
class Venue:
    name: str  # canonical short name, or the journal name as written
    year: int | None
    source: str  # "journal_ref" or "comment"
    text: str  # the arXiv text it came from
    series: bool = False  # a proceedings series (PMLR, LNCS), not a venue of its own

    def __str__(self) -> str:
        return f"{self.name} {self.year}" if self.year else self.name


def _year(text: str | None) -> int | None:
    if not text:
        return None
    n = int(text)
    return n + 2000 if n < 100 else n


def known_venues(text: str) -> list[tuple[str, int | None]]:
    """Known venues named in ``text``, with the year written next to them."""
    folded = " ".join(re.sub(r"[^\w']+", " ", fold(text)).split())
    folded = re.sub(r"(?<=[a-z])(?=(?:19|20)\d\d\b)", " ", folded)  # "cvpr2023" -> "cvpr 2023"
    folded = re.sub(r"(?<=[a-z])'?(?=\d\d\b)", "'", folded)  # "neurips22" -> "neurips'22"
    found = []
    for m in _ALIAS_RE.finditer(folded):
        name = _ALIAS_NAME[" ".join(m.group(1).split())]
        year = _year(m.group(2) or m.group(3))
        if year is not None and not 1980 <= year <= 2100:
            year = None
        found.append((name, year))
    # "SIGGRAPH Asia" also matches "SIGGRAPH": keep the longer one only
    names = {n for n, _ in found}
    return [(n, y) for n, y in found if not (n == "SIGGRAPH" and "SIGGRAPH Asia" in names)]


# a clause that starts with a venue: "CVPR 2023", "The 2023 CVPR", "Oral at ICLR 2021"
_LEADING_VENUE = re.compile(
    r"^\W*(?:(?:the|in|at|oral|spotlight|poster|main|conference|paper)\W+){0,2}(?:(?:19|20)\d\d\W+)?"
    + r"(?:" + ALIAS_PATTERN + r")(?![a-z])"
)
# A URL is a whole word: starting only at a word's first character keeps this
# linear (from every character of a long word it would rescan the word).
_URL = re.compile(r"(?<!\S)\S+://\S+|\bwww\.\S+|(?<!\S)\S+\.(?:com|org|io|net|html?)\S*")


def _clauses(comment: str) -> list[str]:
    comment = _URL.sub(" ", comment)
    return [c.strip() for c in re.split(r"[.;\n]|,\s(?=[A-Z])|\s[-–—]\s", comment) if c.strip()]


def arxiv_venue(journal_ref: str | None, comment: str | None) -> Venue | None:
    """The venue arXiv says the paper was accepted at or published in, if it says so."""
    if journal_ref and journal_ref.strip():
        found = known_venues(journal_ref)
        if found:
            name, year = found[0]
            year = year or _year(_last_year(journal_ref))
            return Venue(name, year, "journal_ref", journal_ref.strip())
        name = re.split(r"[\d(,]", journal_ref.strip(), maxsplit=1)[0].strip(" .,;:") or journal_ref.strip()
        series = _SERIES.match(" ".join(re.findall(r"[\w&]+", fold(name)))) is not None
        return Venue(name, _year(_last_year(journal_ref)), "journal_ref", journal_ref.strip(), series)
    for clause in _clauses(comment or ""):
        low = fold(clause)
        if _HEDGE.search(low):
            continue
        found = known_venues(clause)
        if not found:
            continue
        name, year = found[0]
        starts_with_venue = _LEADING_VENUE.match(low) is not None
        if year is None and _ACCEPTED.search(low):
            # "Accepted to NeurIPS Workshop 2021": the clause's one year is the venue's
            years = set(re.findall(r"\b(?:19|20)\d\d\b", clause))
            year = int(years.pop()) if len(years) == 1 else None
        if _ACCEPTED.search(low) or (starts_with_venue and year):
            if "workshop" in low and "workshop" not in name.lower():
                name = f"{name} Workshop"
            # the clause as shown to the reviewer: URLs were cut out of it
            return Venue(name, year, "comment", " ".join(clause.split()).strip(" -–—:"))
    return None


def _last_year(text: str) -> str | None:
    years = re.findall(r"\b(19\d\d|20\d\d)\b", text)
    return years[-1] if years else None


def mentions(entry_venue: str | None, venue: Venue, *, count_submissions: bool = False) -> bool:
    """Whether the entry's venue text already names ``venue`` (same year where both give one).

    A venue named only as a submission ("CVPR 2023 submission") counts only
    with ``count_submissions``.
    """
    if not entry_venue:
        return False
    base = venue.name.removesuffix(" Workshop")
    # "CVPR 2023 submission" / "Submitted to ICLR2023" does not say the paper appeared there:
    # once arXiv says it was accepted, the entry has to catch up.
    listed = [found for clause in _clauses(entry_venue)
              if count_submissions or not _HEDGE.search(fold(clause)) for found in known_venues(clause)]
    same = {base} | _SAME_VENUE.get(base, frozenset())
    if base in _VENUES or venue.series:
        for name, year in listed:
            if (venue.series or name in same) and (year is None or venue.year is None or year == venue.year):
                return True
        if base in _VENUES:
            return False
    # a journal we have no table entry for: its name written out in the entry
    want = " ".join(re.findall(r"\w+", fold(base)))
    have = " ".join(re.findall(r"\w+", fold(entry_venue)))
    return bool(want) and want in have


# Venue text that only says "not published yet": a fix may replace it whole.
_PLACEHOLDER = re.compile(r"(?:arxiv(?:\s+preprint)?|preprint)(?:,?\s*(?:19|20)\d\d)?", re.IGNORECASE)


def is_placeholder(entry_venue: str | None) -> bool:
    """Venue text that names no venue: "arXiv 2023.", "arxiv 2022", "Preprint"."""
    body = (entry_venue or "").strip().rstrip(".,;:").strip()
    return bool(body) and _PLACEHOLDER.fullmatch(body) is not None


def venue_fix(entry_venue: str | None, venue: Venue) -> tuple[str | None, str]:
    """The venue text a fix writes in place of ``entry_venue`` (``"arXiv 2023."`` ->
    ``"CVPR 2023."``), or None and why the finding needs a person instead.

    Only a placeholder ("arXiv 2023.", "preprint") or a submission to the very venue
    arXiv says accepted the paper ("CVPR 2023 submission.") is rewritten: any other
    text (a workshop, another venue, a note) is the maintainer's and is left to them.
    """
    if venue.series or venue.name.removesuffix(" Workshop") not in _VENUES:
        return None, f'diffsync has no short name for "{venue.name}" to write'
    if venue.year is None:
        return None, "arXiv gives no year for the venue"
    text = (entry_venue or "").strip()
    if not text:
        return None, "the entry has no venue text to rewrite"
    body = text.rstrip(".,;:")
    punctuation = text[len(body):]
    submitted = _HEDGE.search(fold(text)) is not None and mentions(text, venue, count_submissions=True)
    if not is_placeholder(text) and not submitted:
        return None, f'the entry\'s venue text "{text}" is not a placeholder such as "arXiv {venue.year}."'
    return f"{venue}{punctuation}", ""
