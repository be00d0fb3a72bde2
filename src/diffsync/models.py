"""Plain typed data passed between pipeline stages.

Every stage (list parsing, arXiv client, storage, drift rules, review,
export, scheduling) takes and returns these values; none reaches into
another stage's internals.  They are frozen so a stage cannot change
what another stage handed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


# --------------------------------------------------------------------------
# The list, as parsed (produced by listparse, read by rules/export/storage)
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # slots: tens of thousands per check
class Span:
    """Byte offsets into the list file, end exclusive: ``data[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)  # slots: tens of thousands per check
class Link:
    label: str  # "Paper", "Github", ... as written
    url: str
    span: Span  # the whole link as written, e.g. ``[[Paper](https://...)]``
    url_span: Span  # just the URL
    broken: bool = False  # e.g. ``[[Paper] (url)]``: Markdown does not render it


@dataclass(frozen=True, slots=True)  # slots: tens of thousands per check
class Entry:
    """One paper entry of the list, every field with its byte span."""

    line: int  # 1-based line number of the title line
    section: str | None  # nearest heading text above the entry
    span: Span  # the whole entry, title line to last line (incl. its newline)
    title: str
    title_span: Span
    authors: tuple[str, ...] = ()  # names, <sup> marks and emphasis stripped
    authors_text: str | None = None  # the author line as written (inside emphasis)
    authors_span: Span | None = None
    venue: str | None = None  # e.g. "arXiv 2022.", "CVPR 2023."
    venue_span: Span | None = None
    links: tuple[Link, ...] = ()
    arxiv_id: str | None = None  # canonical, unversioned (e.g. "2206.00364", "hep-th/9901001")
    arxiv_version: int | None = None  # N of a linked "vN", else None
    arxiv_id_span: Span | None = None  # the ID as written inside the link/text (incl. vN)
    date: date | None = None
    date_text: str | None = None  # the date as written, e.g. "[Submitted on 6 Feb 2023]"
    date_span: Span | None = None  # span of the date itself inside the date line
    problems: tuple[str, ...] = ()  # human-readable parse problems

    @property
    def key(self) -> str:
        """Identity of the entry independent of its position in the file."""
        return self.arxiv_id or "title:" + " ".join(self.title.lower().split())


@dataclass(frozen=True, slots=True)
class Heading:
    """A Markdown heading line: where ``add`` puts a new entry (``--under``)."""

    line: int  # 1-based
    level: int  # number of "#"
    text: str  # as ``Entry.section`` names it
    span: Span  # the whole line, incl. its newline


@dataclass(frozen=True)
class ParsedList:
    path: str
    sha256: str  # of the raw bytes, so export can refuse a changed file
    entries: tuple[Entry, ...]
    newline: str  # "\n" or "\r\n", the file's dominant line ending
    problems: tuple[str, ...] = ()  # file-level problems (BOM, invalid UTF-8, ...)
    headings: tuple[Heading, ...] = ()  # outside code fences, in file order


# --------------------------------------------------------------------------
# arXiv, as fetched (produced by client, stored by storage, read by rules)
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # slots: tens of thousands per check
class PaperRecord:
    """arXiv's canonical metadata for one paper, normalised across API dialects."""

    arxiv_id: str  # canonical, unversioned
    version: int  # latest version returned
    title: str  # whitespace collapsed
    authors: tuple[str, ...]
    published: datetime  # v1 submission, UTC
    updated: datetime  # returned version's submission, UTC
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    categories: tuple[str, ...] = ()
    withdrawn: bool = False  # inferred from the comment


@dataclass(frozen=True)
class FetchResult:
    """What one fetch of many IDs produced, per requested canonical ID."""

    records: dict[str, PaperRecord] = field(default_factory=dict)
    not_found: frozenset[str] = frozenset()
    unchecked: dict[str, str] = field(default_factory=dict)  # id -> reason
    invalid: dict[str, str] = field(default_factory=dict)  # as given -> reason
    requests: int = 0
    # Answered with a record that cannot be read (a date out of range...): id -> reason.
    unreadable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchMatch:
    """A title-search candidate confirmed by authors and year."""

    record: PaperRecord
    score: float  # 0..100 title similarity
    shared_authors: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# Findings (produced by rules, kept by storage, decided in review, applied by export)
# --------------------------------------------------------------------------


class Kind(str, Enum):
    TITLE = "title"
    AUTHORS = "authors"
    DATE = "date"
    WRONG_ID = "wrong_id"
    MISSING_ID = "missing_id"
    NOT_FOUND = "not_found"
    LINK = "link"
    WITHDRAWN = "withdrawn"
    NEW_VERSION = "new_version"
    VENUE = "venue"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class KindFacts:
    """What every command says about one kind of finding."""

    title: str  # heading in reports and `status`
    fixable: bool  # export writes a fix; the others are review-only (accepting marks them handled)
    help: str  # one line: what it means and what export does (SARIF rule help, annotations)


# The one home of the kinds' facts, in the order they are shown: the ones that point at
# the wrong paper first.
KINDS: dict[Kind, KindFacts] = {
    Kind.WRONG_ID: KindFacts("Wrong arXiv ID", True,
                             "The linked arXiv paper is another paper than the entry names. Fix: the ID a "
                             "title search confirmed, when there is one."),
    Kind.NOT_FOUND: KindFacts("Not found on arXiv", False,
                              "The linked arXiv ID does not exist on arXiv (asked twice). Review by hand."),
    Kind.MISSING_ID: KindFacts("Missing arXiv ID", True,
                               "The entry has no arXiv link, but a title search confirmed a paper. Fix: a "
                               "[[Paper](https://arxiv.org/abs/ID)] link."),
    Kind.WITHDRAWN: KindFacts("Withdrawn on arXiv", False, "arXiv says the paper was withdrawn. Review by hand."),
    Kind.TITLE: KindFacts("Title", True,
                          "The listed title differs in words from arXiv's current title. Fix: arXiv's title."),
    Kind.AUTHORS: KindFacts("Authors", True,
                            "Authors are missing, extra, misspelled or reordered compared with arXiv. "
                            "Fix: arXiv's author list, in the entry's own separators."),
    Kind.DATE: KindFacts("Date", True,
                         "The listed date is not arXiv's v1 submission date (UTC). Fix: the v1 date in the "
                         "entry's own format."),
    Kind.LINK: KindFacts("Links", True,
                         "An arXiv link does not render as Markdown, carries junk (?context=cs, a fragment) "
                         "or has an invalid ID. Fix: the repaired link."),
    Kind.NEW_VERSION: KindFacts("New arXiv version", False,
                                "The list pins an older version, or arXiv published a new one. Review by hand."),
    Kind.VENUE: KindFacts("Venue", True,
                          "arXiv names a venue (journal reference or acceptance) the entry does not mention. "
                          "Fix: the venue in place of a placeholder such as \"arXiv 2023.\"; other venue "
                          "text is reviewed by hand."),
    Kind.DUPLICATE: KindFacts("Duplicates", False,
                              "One arXiv ID is listed under titles that differ beyond cosmetics. Review by hand."),
}
assert set(KINDS) == set(Kind), "every kind has its facts"
FIXABLE_KINDS = tuple(k for k, facts in KINDS.items() if facts.fixable)
KIND_ORDER = tuple(k.value for k in KINDS)
KIND_TITLES = {k.value: facts.title for k, facts in KINDS.items()}


class Status(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    IGNORED = "ignored"
    APPLIED = "applied"  # export wrote its fix; the next check resolves it
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Finding:
    """One disagreement between one entry and arXiv, of one kind."""

    id: str  # stable identity: see rules.finding_id
    kind: Kind
    line: int  # the entry's title line, 1-based
    entry_key: str
    arxiv_id: str | None
    listed: str | None  # what the list has
    arxiv: str | None  # what arXiv has
    message: str  # says what the list has, what arXiv has and why it was flagged
    suggestion: str | None = None  # the replacement text/ID where there is one
    status: Status = Status.OPEN
    # The exact text export writes for it (writeback.fixes): shown, never stored.
    fix: str | None = None
    reason: str | None = None  # why it was decided so (``ignore --reason``), when given
