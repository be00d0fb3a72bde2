"""Plain typed data passed between pipeline stages.

Every stage (listfile, arxivapi, store, drift, review,
writeback, daemon) takes and returns these values; none reaches into
another stage's internals.  They are frozen so a stage cannot change
what another stage handed it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


# --------------------------------------------------------------------------
# The list, as parsed (produced by listfile/, read by drift/, writeback/ and store/)
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


# The units an entry can be (``Entry.shape``, ``SectionShape.shape``):
SHAPES = ("paragraph", "item", "row", "heading")
# How an entry writes its arXiv ID (``Entry.id_form``).
ID_FORMS = ("link", "title-link", "badge", "html", "bare", "text")


@dataclass(frozen=True, slots=True)  # slots: tens of thousands per check
class Entry:
    """One paper entry of the list, every field with its byte span.

    An entry is one unit of the file that holds one paper (``shape``):

    - ``"paragraph"``: a bold title line and the metadata lines under it (the
      reference shape, read exactly as before);
    - ``"item"``: a list item (``-``, ``*``, ``+``, ``1.``) with its indented
      continuation lines;
    - ``"row"``: a Markdown table row ``|...|`` or an HTML ``<tr>...</tr>``;
    - ``"heading"``: a heading and the lines under it, up to the next heading.

    Contract for write-back: every ``*_span`` is a byte offset into the
    original file bytes (never into decoded text) and covers exactly the text
    the field's value was read from, so replacing those bytes changes that field
    and nothing else.  ``title_context`` says which markup surrounds
    ``title_span`` (outermost first), so a new title can be made safe for it: a
    ``]`` escaped inside link text, a ``|`` inside a cell.  A field an entry
    does not carry is ``None``/empty and gets no finding and no fix.
    """

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
    # --- which unit and notation (all optional: the reference shape's defaults) ---
    shape: str = "paragraph"  # one of SHAPES
    # Markup around title_span, outermost first: "cell" (a table cell), "heading",
    # "bold" (**...**), "link" (the text of [...](url)), "quote" ("..."). The
    # reference shape's ``**Title**`` is ("bold",).
    title_context: tuple[str, ...] = ("bold",)
    # How arxiv_id_span is written (one of ID_FORMS): "link" a [label](url) link whose
    # label is a link word (Paper, pdf, arXiv...), "title-link" the title's own link,
    # "badge" [![...](img)](url), "html" <a href="url">, "bare" a bare URL,
    # "text" an ``arXiv:ID`` mention. None when the entry has no ID.
    id_form: str | None = None
    authors_et_al: bool = False  # the authors end in "et al.": only those written are compared
    # True when ``venue`` was read from the section's heading (``### 2024 CVPR``):
    # it is read but never written, so ``venue_span`` is None.
    venue_in_heading: bool = False
    # A table row's cells, each the cell's text without its padding (an empty cell is an
    # empty span), and the header's name of each column ("" when the header has fewer).
    cells: tuple[Span, ...] = ()
    columns: tuple[str, ...] = ()
    # The optional fields this entry's section carries ("authors", "venue", "date"): a
    # field at least 5% of the section's entries write. Drift gives no finding about a
    # field the section does not carry; the reference shape carries all three.
    carried: tuple[str, ...] = ("authors", "venue", "date")

    @property
    def key(self) -> str:
        """Identity of the entry independent of its position in the file."""
        return entry_key(self.arxiv_id, self.title)


def entry_key(arxiv_id: str | None, title: str) -> str:
    """An entry's identity: its arXiv ID, else its title folded (case, runs of whitespace).

    Every key of an entry is built here, so a finding, a decision and an export
    name the same entry the same way."""
    return arxiv_id or "title:" + " ".join(title.lower().split())


@dataclass(frozen=True, slots=True)
class Heading:
    """A Markdown heading line: where ``add`` puts a new entry (``--under``)."""

    line: int  # 1-based
    level: int  # number of "#"
    text: str  # as ``Entry.section`` names it
    span: Span  # the whole line, incl. its newline


@dataclass(frozen=True, slots=True)
class SectionShape:
    """The entry shape read in one part of the file, and why.

    The shape is voted per section (a heading's lines up to the next heading of
    the same or a higher level); consecutive sections of one shape are merged.
    """

    line: int  # 1-based first line of the part (1 for the whole file)
    section: str | None  # its heading's text (None before the first heading)
    shape: str  # one of SHAPES
    source: str  # "vote", "config" ([list] shape) or "flag" (--shape)
    entries: int  # entries read there
    carried: tuple[str, ...] = ()  # as Entry.carried: the fields >= 5% of these entries write


@dataclass(frozen=True, slots=True)
class StrayLink:
    """An arXiv link (or arXiv:ID mention) that sits outside every entry."""

    line: int  # 1-based
    arxiv_id: str  # canonical, unversioned
    span: Span  # the URL (or mention) as written


@dataclass(frozen=True)
class Coverage:
    """How much of the file's arXiv material the entries hold: the honest count
    behind "N arXiv links in the file, M inside entries"."""

    links: int  # arXiv URLs and arXiv:ID mentions with a valid ID in the file
    links_in_entries: int  # of those, inside some entry's span
    ids: int  # distinct IDs among ``links``
    ids_in_entries: int  # distinct IDs of links inside entries
    stray: tuple[StrayLink, ...] = ()  # every link outside all entries, file order

    @property
    def summary(self) -> str:
        return f"{self.links} arXiv links in the file, {self.links_in_entries} inside entries"


@dataclass(frozen=True)
class ParsedList:
    path: str
    sha256: str  # of the raw bytes, so export can refuse a changed file
    entries: tuple[Entry, ...]
    newline: str  # "\n" or "\r\n", the file's dominant line ending
    problems: tuple[str, ...] = ()  # file-level problems (BOM, invalid UTF-8, ...)
    headings: tuple[Heading, ...] = ()  # outside code fences, in file order
    # The shape read in each part of the file, file order (empty: not inferred).
    sections: tuple[SectionShape, ...] = ()
    coverage: Coverage | None = None  # None: not measured

    @property
    def shape(self) -> str:
        """The shape most entries have ("paragraph" for an empty list)."""
        counts: dict[str, int] = {}
        for e in self.entries:
            counts[e.shape] = counts.get(e.shape, 0) + 1
        return max(counts, key=lambda s: counts[s]) if counts else "paragraph"


# --------------------------------------------------------------------------
# arXiv, as fetched (produced by arxivapi/, stored by store/, read by drift/)
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
# Findings (produced by drift/, kept by store/, decided in review/, applied by writeback/)
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
    fix_is_id: bool = False  # the suggestion is an arXiv ID: the entry's paper once fixed
    title_shown: bool = False  # the finding's values show the entry's title already
    explained: bool = False  # the list's and arXiv's values alone do not say what is wrong
    word_diff: bool = False  # the values are prose: worth marking the words that differ
    # How bad it is, as SARIF and GitHub annotations rank it: "error" the entry points at a
    # paper that is not there or not the one named; "note" the entry is right but could be
    # tidier (an older version, a venue to add, a link form); "warning" the rest.
    level: str = "warning"


# The one home of the kinds' facts, in the order they are shown: the ones that point at
# the wrong paper first.
KINDS: dict[Kind, KindFacts] = {
    Kind.WRONG_ID: KindFacts("Wrong arXiv ID", True,
                             "The linked arXiv paper is another paper than the entry names. Fix: the ID a "
                             "title search confirmed, when there is one.",
                             fix_is_id=True, title_shown=True, explained=True, level="error"),
    Kind.NOT_FOUND: KindFacts("Not found on arXiv", False,
                              "The linked arXiv ID does not exist on arXiv (asked twice). Review by hand.",
                              explained=True, level="error"),
    Kind.MISSING_ID: KindFacts("Missing arXiv ID", True,
                               "The entry has no arXiv link, but a title search confirmed a paper. Fix: a "
                               "[[Paper](https://arxiv.org/abs/ID)] link.", fix_is_id=True),
    Kind.WITHDRAWN: KindFacts("Withdrawn on arXiv", False, "arXiv says the paper was withdrawn. Review by hand.",
                              explained=True, level="error"),
    Kind.TITLE: KindFacts("Title", True,
                          "The listed title differs in words from arXiv's current title. Fix: arXiv's title.",
                          title_shown=True, word_diff=True),
    Kind.AUTHORS: KindFacts("Authors", True,
                            "Authors are missing, extra, misspelled or reordered compared with arXiv. "
                            "Fix: arXiv's author list, in the entry's own separators.",
                            word_diff=True),
    Kind.DATE: KindFacts("Date", True,
                         "The listed date is not arXiv's v1 submission date (UTC). Fix: the v1 date in the "
                         "entry's own format."),
    Kind.LINK: KindFacts("Links", True,
                         "An arXiv link does not render as Markdown, carries junk (?context=cs, a fragment) "
                         "or has an invalid ID. Fix: the repaired link.", explained=True, level="note"),
    Kind.NEW_VERSION: KindFacts("New arXiv version", False,
                                "The list pins an older version, or arXiv published a new one. Review by hand.",
                                level="note"),
    Kind.VENUE: KindFacts("Venue", True,
                          "arXiv names a venue (journal reference or acceptance) the entry does not mention. "
                          "Fix: the venue in place of a placeholder such as \"arXiv 2023.\"; other venue "
                          "text is reviewed by hand.", level="note"),
    Kind.DUPLICATE: KindFacts("Duplicates", False,
                              "One arXiv ID is listed under titles that differ beyond cosmetics. Review by hand.",
                              title_shown=True, explained=True),
}
assert set(KINDS) == set(Kind), "every kind has its facts"
FIXABLE_KINDS = tuple(k for k, facts in KINDS.items() if facts.fixable)
KIND_ORDER = tuple(k.value for k in KINDS)
KIND_TITLES = {k.value: facts.title for k, facts in KINDS.items()}


def finding_id(kind: Kind | str, entry_key: str, occurrence: int) -> str:
    """Stable id of a finding: kind + the entry's identity + which copy of it (0 = first).

    Not based on line numbers, so edits elsewhere in the list keep it.
    """
    kind_name = kind.value if isinstance(kind, Kind) else str(kind)
    return hashlib.sha1(f"{kind_name}\0{entry_key}\0{occurrence}".encode()).hexdigest()[:10]


class Status(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    IGNORED = "ignored"
    APPLIED = "applied"  # export wrote its fix; the next check resolves it
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Finding:
    """One disagreement between one entry and arXiv, of one kind."""

    id: str  # stable identity: see finding_id
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
    # The line export's (first) edit for it starts on, when that is not ``line``: shown
    # beside the finding's own line in every format (writeback.fixes), never stored.
    fix_line: int | None = None
