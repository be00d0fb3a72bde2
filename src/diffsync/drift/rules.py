"""Drift rules: compare list entries with arXiv's records and say what differs.

``compare`` is a pure function: entries + records (+ what was not found,
title-search results and versions seen before) in, findings out; one
finding per entry and kind.  Cosmetic differences (case, whitespace,
punctuation, TeX, Unicode form, diacritics, mojibake, initials, ``<sup>``
marks) are not drift unless ``strict``; every real difference is.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timezone
from typing import AbstractSet, Mapping, Sequence

from rapidfuzz import fuzz

from . import authors, links, matching
from .. import arxivid
from ..listfile.dates import entry_year
from .fields import FieldDrift, authors_rule, date_rule, listed_value, title_rule, venue_rule
from ..models import Entry, Finding, Kind, PaperRecord, SearchMatch, finding_id
from ..textnorm import collapse, title_key, title_text, without_leftover

# wrong_id: the linked record is another paper when NEITHER the title NOR the
# authors match.  Title: token_sort_ratio >= 85 on folded titles (citation
# leftovers removed) keeps real renames ("SDEdit: Guided ..." 97,
# "FP-Diffusion: " prefix added 94, DiffusionCLIP's new subtitle 88), while
# different papers of the same field stay below it even sharing "diffusion
# models" (Boundary Guided... vs SmartBrush 61, "Video Diffusion Models" vs
# "Variational Diffusion Models" 80).  token_set_ratio >= 90 also accepts a
# title that is a long (>= 4 words) part of the other.
TITLE_SAME_PAPER = 85.0
TITLE_SUBSET_SAME_PAPER = 90.0
# Authors: at least half of the listed surnames appear on arXiv.  One shared
# common surname (Zhang, Wang) between different papers is frequent; half of
# a list rarely is.
AUTHORS_SAME_PAPER = 0.5

def search_key(entry: Entry) -> str:
    """Key of the title search for ``entry``: folded title, first-author surname, year."""
    first = authors.surname(entry.authors[0]) if entry.authors else ""
    year = entry_year(entry)
    return f"{title_key(without_leftover(entry.title))}|{first}|{year or ''}"


def _title_matches(listed: str, arxiv: str) -> bool:
    a, b = title_text(without_leftover(listed)), title_text(arxiv)
    if a == b or fuzz.token_sort_ratio(a, b) >= TITLE_SAME_PAPER:
        return True
    shorter = min(len(a.split()), len(b.split()))
    return shorter >= 4 and fuzz.token_set_ratio(a, b) >= TITLE_SUBSET_SAME_PAPER


def _authors_match(listed: Sequence[str], arxiv: Sequence[str]) -> bool | None:
    """None when the list names nobody (e.g. "Anonymous authors")."""
    if not listed:
        return None
    theirs = {authors.surname(a) for a in arxiv}
    shared = sum(1 for name in listed if authors.surname(name) in theirs)
    return shared >= max(1, AUTHORS_SAME_PAPER * len(listed))


def is_different_paper(entry: Entry, record: PaperRecord) -> bool:
    """The ``wrong_id`` test: neither the title nor the authors match."""
    if _title_matches(entry.title, record.title):
        return False
    return not _authors_match(entry.authors, record.authors)


def needs_search(entry: Entry, record: PaperRecord | None) -> bool:
    """Whether the pipeline should title-search arXiv for this entry.

    Entries without an arXiv ID, and entries whose title is not the linked
    paper's: a different paper, or the same authors' other paper (which
    only a search under the listed title can tell from a renamed one).
    An entry whose section carries no authors is searched only when it links no paper
    and states a year: its match must then be the same title word for word, the only
    paper with it, in that year (matching.confirm_without_authors); never on a title
    alone.  One that hides them in a section that carries them ("Anonymous authors")
    is not searched.
    """
    if not entry.authors:
        return "authors" not in entry.carried and entry.arxiv_id is None and entry_year(entry) is not None
    if entry.arxiv_id is None:
        return True
    return record is not None and not _title_matches(entry.title, record.title)


def is_authors_other_paper(entry: Entry, record: PaperRecord, match: SearchMatch | None) -> bool:
    """The authors match but the listed title is another paper of theirs, which title search confirmed.

    A renamed paper is found again under its old title as the same ID, so
    only a different confirmed ID whose title matches the listed one counts.
    """
    return (
        match is not None
        and match.record.arxiv_id != record.arxiv_id
        and not _title_matches(entry.title, record.title)
        and _title_matches(entry.title, match.record.title)
    )


# --------------------------------------------------------------------------
# compare: every rule over every entry
# --------------------------------------------------------------------------


class _Collector:
    """Builds findings for one entry, at most one per kind."""

    def __init__(self, entry: Entry, occurrence: int, arxiv_id: str | None) -> None:
        self.entry, self.occurrence, self.arxiv_id = entry, occurrence, arxiv_id
        self.findings: dict[Kind, Finding] = {}

    def add(self, kind: Kind, listed: str | None, arxiv: str | None, message: str,
            suggestion: str | None = None) -> None:
        if kind in self.findings:
            return
        self.findings[kind] = Finding(
            id=finding_id(kind, self.entry.key, self.occurrence),
            kind=kind,
            line=self.entry.line,
            entry_key=self.entry.key,
            arxiv_id=self.arxiv_id,
            listed=listed,
            arxiv=arxiv,
            message=message,
            suggestion=suggestion,
        )

    def add_rule(self, kind: Kind, result: FieldDrift | None) -> None:
        if result is not None:
            listed, theirs, message, suggestion = result
            self.add(kind, listed, theirs, message, suggestion)


def _metadata_rules(out: _Collector, entry: Entry, record: PaperRecord, strict: bool, linked: bool = True) -> None:
    """Title, authors and date; an unlinked entry is compared with its confirmed match,
    which the messages name (the findings' ``arxiv_id`` stays the entry's own: none)."""
    source = "arXiv" if linked else f"arXiv {record.arxiv_id} (the confirmed match)"
    out.add_rule(Kind.TITLE, title_rule(entry, record, strict, source))
    out.add_rule(Kind.AUTHORS, authors_rule(entry, record, strict, source))
    out.add_rule(Kind.DATE, date_rule(entry, record, source))


def _version_rule(out: _Collector, entry: Entry, record: PaperRecord, last_seen: int | None) -> None:
    linked = entry.arxiv_version
    if linked is not None and record.version > linked:
        out.add(
            Kind.NEW_VERSION, f"v{linked}", f"v{record.version}",
            f"new version: the list links {record.arxiv_id}v{linked}, arXiv has v{record.version} "
            f"(submitted {record.updated.astimezone(timezone.utc).date().isoformat()})",
            f"{record.arxiv_id}v{record.version}",
        )
    elif last_seen is not None and record.version > last_seen:
        out.add(
            Kind.NEW_VERSION, f"v{last_seen}", f"v{record.version}",
            f"new version: v{last_seen} was the latest when last checked, arXiv now has "
            f"v{record.version} (submitted {record.updated.astimezone(timezone.utc).date().isoformat()})",
        )


def _linked_entry(out: _Collector, entry: Entry, record: PaperRecord, match: SearchMatch | None,
                  last_seen: int | None, strict: bool) -> bool:
    """Rules for an entry whose linked record was fetched; False when it is the wrong paper."""
    if record.withdrawn:
        out.add(Kind.WITHDRAWN, "listed", "withdrawn",
                f"withdrawn: the list links {record.arxiv_id}, which its authors withdrew on arXiv "
                f"(v{record.version}: \"{record.comment or 'withdrawn'}\")")
    _version_rule(out, entry, record, last_seen)
    different = is_different_paper(entry, record)
    if different or is_authors_other_paper(entry, record, match):
        right = match.record.arxiv_id if match and match.record.arxiv_id != record.arxiv_id else None
        found = f"; title search found {right}: \"{match.record.title}\"" if right and match else ""
        why = "neither title nor authors match" if different else "only the authors match: the title is their other paper's"
        out.add(
            # Show what each side calls the paper: the IDs alone say nothing to a reviewer.
            Kind.WRONG_ID, listed_value(Kind.WRONG_ID, entry),
            f"{record.arxiv_id}: {record.title}",
            f"wrong paper: the list links {record.arxiv_id} for \"{collapse(entry.title)}\" "
            f"({', '.join(entry.authors) or 'no authors'}), but {record.arxiv_id} is \"{record.title}\" by "
            f"{', '.join(record.authors[:3])}{' et al.' if len(record.authors) > 3 else ''}; "
            f"{why}{found}",
            right,
        )
        # No title/authors/date against the confirmed paper here: the entry's key is the wrong
        # ID, which export shares with that ID's own entries, so such a fix would rewrite them
        # too.  Once the ID is fixed, the next check compares the entry with the right paper.
        return False
    _metadata_rules(out, entry, record, strict)
    out.add_rule(Kind.VENUE, venue_rule(entry, record))
    return True


def _duplicates(groups: dict[str, list[tuple[Entry, _Collector]]], records: Mapping[str, PaperRecord]) -> None:
    """One ID under titles that differ beyond cosmetics and pasted citations."""
    for arxiv_id, members in groups.items():
        keys = {title_key(without_leftover(e.title)) for e, _ in members}
        if len(keys) < 2:
            continue
        record = records.get(arxiv_id)
        reference = title_key(record.title) if record else title_key(without_leftover(members[0][0].title))
        titles = "; ".join(f'line {e.line}: "{collapse(e.title)}"' for e, _ in members)
        for entry, out in members:
            if title_key(without_leftover(entry.title)) == reference:
                continue
            others = [e.line for e, _ in members if e is not entry]
            out.add(
                Kind.DUPLICATE, collapse(entry.title), record.title if record else None,
                f"duplicate: {arxiv_id} is listed {len(members)} times under different titles ({titles}); "
                f"this entry's title differs from the one at line{'s' if len(others) > 1 else ''} "
                f"{', '.join(map(str, others))}",
            )


def compare(
    entries: Sequence[Entry],
    records: Mapping[str, PaperRecord],
    *,
    not_found: AbstractSet[str] = frozenset(),
    searches: Mapping[str, SearchMatch | None] = {},
    last_seen_versions: Mapping[str, int] = {},
    strict: bool = False,
    search_keys: Sequence[str] | None = None,
) -> list[Finding]:
    """Every drift finding for ``entries``, in list order, one per entry and kind.

    ``records`` maps canonical IDs to arXiv's metadata; an ID absent from it
    and from ``not_found`` was not checked and yields nothing.  ``searches``
    maps ``search_key(entry)`` to a confirmed title-search match (None:
    searched, nothing confirmed).  ``last_seen_versions`` holds the version
    each paper had when it was last checked.  ``search_keys``, when given, are
    the entries' ``search_key`` in order, computed once by the caller.
    """
    seen: dict[str, int] = defaultdict(int)
    collectors: list[_Collector] = []
    groups: dict[str, list[tuple[Entry, _Collector]]] = defaultdict(list)
    for n, entry in enumerate(entries):
        occurrence = seen[entry.key]
        seen[entry.key] += 1
        out = _Collector(entry, occurrence, entry.arxiv_id)
        collectors.append(out)
        key = (search_keys[n] if search_keys is not None else search_key(entry)) if searches else None
        match = searches.get(key) if key is not None else None
        problem = links.check_links(entry, strict=strict)
        if problem is not None:
            out.add(
                Kind.LINK, problem.link.url, links.canonical_url(problem.link.url),
                f"link: the list has \"{problem.link.url}\" in a {problem.link.label} link with "
                f"{'; '.join(problem.reasons)}; it should read {problem.repaired}",
                problem.repaired,
            )
        if entry.arxiv_id is None:
            invalid = links.invalid_arxiv_link(entry)
            if invalid is not None and Kind.LINK not in out.findings:
                # Repair the link in place rather than adding a second one beside it.
                right = match.record.arxiv_id if match else None
                out.add(
                    Kind.LINK, invalid.url, arxivid.abs_url(right) if right else None,
                    f"link: the list has \"{invalid.url}\" in a {invalid.label} link, which is not a "
                    "valid arXiv ID; " + (f"title search confirms {right} \"{match.record.title}\""
                                          if match else "title search confirmed no paper"),
                    f"[[{invalid.label}]({arxivid.abs_url(right)})]" if right else None,
                )
            if match is not None:
                found = match.record
                # A match read back from storage carries no shared authors: name them again.
                shared = match.shared_authors or matching.shared_authors(entry.authors, found)
                if invalid is None:
                    out.add(
                        Kind.MISSING_ID, None, found.arxiv_id,
                        f"missing arXiv link: the list has no arXiv ID, arXiv has {found.arxiv_id} "
                        f"\"{found.title}\" " + (
                            f"(title {match.score:.0f}% similar, shared authors: {', '.join(shared)})"
                            if entry.authors else
                            "(confirmed without authors: the entry names none; the same title word for "
                            f"word, the only paper with it, and {found.published.year} consistent with "
                            f"the entry's {entry_year(entry)})"),
                        found.arxiv_id,
                    )
                _metadata_rules(out, entry, found, strict, linked=False)
            continue
        if entry.arxiv_id in not_found:
            right = match.record.arxiv_id if match else None
            out.add(
                Kind.NOT_FOUND, entry.arxiv_id, None,
                f"not found: the list links {entry.arxiv_id}, arXiv has no such paper (confirmed by asking again)"
                + (f"; title search found {right}" if right else ""),
                right,
            )
            continue
        record = records.get(entry.arxiv_id)
        if record is None:
            continue  # not checked this time: no verdict
        if _linked_entry(out, entry, record, match, last_seen_versions.get(entry.arxiv_id), strict):
            groups[entry.arxiv_id].append((entry, out))
    _duplicates(groups, records)
    return [f for out in collectors for f in out.findings.values()]
