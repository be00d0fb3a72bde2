"""The per-field drift rules: title, authors, date and venue of one entry against one record.

Each rule returns ``(listed, arxiv, message, suggestion)`` when the field
drifted, else None; ``rules.compare`` runs them over every entry and turns
the results into findings.  Cosmetic differences count only when ``strict``.
"""

from __future__ import annotations

import re
from datetime import date, timezone
from functools import lru_cache

from . import authors, venues
from ..models import Entry, Kind, PaperRecord
from ..listfile.authorstyle import join_authors_like
from ..textnorm import citation_leftover, collapse, title_key, without_leftover

FieldDrift = tuple[str, str, str, str | None]  # (listed, arxiv, message, suggestion)

_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)


def _version(record: PaperRecord) -> str:
    return f"v{record.version}"


def listed_value(kind: Kind, entry: Entry) -> str | None:
    """What a finding of ``kind`` says the entry lists: export applies a fix only where
    the entry still holds exactly this (see writeback.planning)."""
    if kind is Kind.TITLE:
        return collapse(entry.title)
    if kind is Kind.AUTHORS:
        return ", ".join(entry.authors) + (" et al." if authors.truncated(entry.authors_text) else "")
    if kind is Kind.DATE:
        return entry.date_text or (entry.date.isoformat() if entry.date else None)
    if kind is Kind.WRONG_ID:
        return f"{entry.arxiv_id}: {collapse(entry.title)}"
    if kind is Kind.VENUE:
        return (entry.venue or "").strip()
    return None


def title_rule(entry: Entry, record: PaperRecord, strict: bool, source: str = "arXiv") -> FieldDrift | None:
    """The title differs in its words (or, when ``strict``, in anything but whitespace)."""
    if entry.title == record.title:
        return None  # the common case, and no drift even when strict
    listed, theirs = listed_value(Kind.TITLE, entry) or "", collapse(record.title)
    if title_key(listed) == title_key(theirs):
        if not strict or listed == theirs:
            return None
        why = "differs only in case, punctuation, TeX or Unicode form (reported because strict)"
    else:
        leftover = citation_leftover(listed)
        if leftover and title_key(without_leftover(listed)) == title_key(theirs):
            why = f'the list title carries a pasted citation "{leftover}"'
        elif leftover:
            why = f'the words differ, and the list title carries a pasted citation "{leftover}"'
        else:
            why = "the words differ"
    message = f'title differs from {source} ({_version(record)}): list has "{listed}", arXiv has "{theirs}"; {why}'
    return listed, theirs, message, theirs


def authors_rule(entry: Entry, record: PaperRecord, strict: bool, source: str = "arXiv") -> FieldDrift | None:
    """Names missing, extra, misspelled or reordered; an "et al." line is compared as a prefix."""
    if not entry.authors or not record.authors:
        return None  # "Anonymous authors" or no author line: nothing to compare
    truncated = authors.truncated(entry.authors_text)
    diff = authors.diff_authors(entry.authors, record.authors, is_truncated=truncated)
    sup = bool(entry.authors_text and "<sup" in entry.authors_text.lower())
    if not diff.drift:
        if not strict or not (diff.cosmetic or sup):
            return None
        why = diff.explain() or "<sup> marks in the author line"
        why += " (reported because strict)"
    else:
        why = diff.explain()
    listed = listed_value(Kind.AUTHORS, entry)
    theirs = ", ".join(record.authors)
    # The export planner's rule, so the suggestion is the text export writes.
    suggestion = join_authors_like(entry.authors_text or ", ".join(entry.authors), record.authors)
    note = " (the list gives only the first authors, \"et al.\")" if truncated else ""
    message = (
        f"authors differ from {source} ({_version(record)}){note}: list has \"{listed}\", "
        f"arXiv has \"{theirs}\"; {why}"
    )
    return listed, theirs, message, suggestion


@lru_cache(maxsize=1 << 14)  # lists repeat date styles and days: a few regexes saved per entry
def _date_precision(text: str | None) -> str:
    """How much of a date the list wrote: "day", "month" or "year"."""
    if not text:
        return "day"
    if re.search(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return "day"
    without_years = re.sub(r"\b(19|20)\d\d\b", " ", text)
    if _MONTH.search(text) or re.search(r"\d{4}[-/.]\d{1,2}\b", text):
        return "day" if re.search(r"\b\d{1,2}\b", without_years) else "month"
    return "year"


def _same(a: date, b: date, precision: str) -> bool:
    if precision == "year":
        return a.year == b.year
    if precision == "month":
        return (a.year, a.month) == (b.year, b.month)
    return a == b


def date_rule(entry: Entry, record: PaperRecord, source: str = "arXiv") -> FieldDrift | None:
    """The listed date is not the v1 submission date, to the precision the list wrote."""
    if entry.date is None:
        return None  # nothing listed to be wrong; adding dates is not drift
    v1 = record.published.astimezone(timezone.utc).date()
    latest = record.updated.astimezone(timezone.utc).date()
    precision = _date_precision(entry.date_text)
    if _same(entry.date, v1, precision):
        return None
    listed = listed_value(Kind.DATE, entry) or entry.date.isoformat()
    if record.version > 1 and _same(entry.date, latest, precision):
        why = f"the list has the date of the latest version ({_version(record)}, {latest.isoformat()}), not of v1"
    else:
        gap = abs((entry.date - v1).days)
        why = f"off by {gap} day{'s' if gap != 1 else ''}"
    message = (
        f'date differs from {source}\'s v1 submission date: list has "{listed}" '
        f"({entry.date.isoformat()}), arXiv v1 was submitted {v1.isoformat()}; {why}"
    )
    return listed, v1.isoformat(), message, v1.isoformat()


# arXiv comments ("12 pages, 5 figures") and list venues ("arXiv 2022.") repeat a lot.
@lru_cache(maxsize=1 << 14)
def _arxiv_venue(journal_ref: str | None, comment: str | None) -> venues.Venue | None:
    return venues.arxiv_venue(journal_ref, comment)


@lru_cache(maxsize=1 << 14)
def _mentions(entry_venue: str | None, venue: venues.Venue, count_submissions: bool = False) -> bool:
    return venues.mentions(entry_venue, venue, count_submissions=count_submissions)


def venue_rule(entry: Entry, record: PaperRecord) -> FieldDrift | None:
    """arXiv says where the paper appeared (journal-ref or comment) and the entry does not mention it."""
    if "venue" not in entry.carried:
        return None  # the list does not write venues per entry: nothing to be missing
    venue = _arxiv_venue(record.journal_ref, record.comment)
    if venue is None or _mentions(entry.venue, venue):
        return None
    listed = (entry.venue or "").strip()
    where = "journal reference" if venue.source == "journal_ref" else "comment"
    why = ("the entry names it only as a submission" if _mentions(entry.venue, venue, True)
           else "the entry does not mention it")
    suggestion, not_fixable = venues.venue_fix(entry.venue, venue)
    message = (
        f'venue not in the list: list has "{listed or "(no venue)"}", arXiv\'s {where} says '
        f'"{venue.text}" ({venue}); {why}'
        + ("" if suggestion else f"; review by hand: {not_fixable}")
    )
    return listed, str(venue), message, suggestion
