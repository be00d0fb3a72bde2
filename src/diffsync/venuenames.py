"""One home for venue names: short names, their aliases, and what means "no venue".

Every stage that reads or writes a venue asks this table: the arXiv venue
rule (drift/venues), the venue sources (venuesrc/) and venue findings
(venuecheck/).  A source's long name ("IEEE/CVF Conference on Computer
Vision and Pattern Recognition"), an OpenReview venue id
("ICLR.cc/2024/Conference") and a list's own spelling ("NIPS 2021.") all
come down to one short name ("CVPR", "ICLR", "NeurIPS").  A workshop is
never its main track: ``Named.workshop`` keeps them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .textnorm import fold

# canonical short name -> spellings (folded, spaces between words)
VENUES: dict[str, tuple[str, ...]] = {
    "NeurIPS": ("neurips", "nips", "neurlps", "neural information processing systems"),
    "ICML": ("icml", "international conference on machine learning"),
    "ICLR": ("iclr", "international conference on learning representations"),
    "CVPR": ("cvpr", "computer vision and pattern recognition"),
    "ICCV": ("iccv", "international conference on computer vision"),
    "ECCV": ("eccv", "european conference on computer vision"),
    "WACV": ("wacv", "winter conference on applications of computer vision"),
    "BMVC": ("bmvc", "british machine vision conference"),
    "AAAI": ("aaai", "aaai conference on artificial intelligence"),
    "IJCAI": ("ijcai", "international joint conference on artificial intelligence"),
    "UAI": ("uai", "uncertainty in artificial intelligence"),
    "AISTATS": ("aistats", "artificial intelligence and statistics"),
    "COLT": ("colt",),
    "ACL": ("acl", "association for computational linguistics"),
    "EMNLP": ("emnlp", "empirical methods in natural language processing"),
    "NAACL": ("naacl", "north american chapter of the association for computational linguistics"),
    "INTERSPEECH": ("interspeech",),
    "ICASSP": ("icassp", "international conference on acoustics speech and signal processing"),
    "MICCAI": ("miccai", "medical image computing and computer assisted intervention"),
    "SIGGRAPH Asia": ("siggraph asia",),
    "SIGGRAPH": ("siggraph",),
    "ACM MM": ("acm mm", "acm multimedia", "acmmm"),
    "KDD": ("kdd", "knowledge discovery and data mining"),
    "ICRA": ("icra", "international conference on robotics and automation"),
    "CoRL": ("corl", "conference on robot learning"),
    "3DV": ("3dv", "international conference on 3d vision"),
    "TPAMI": ("tpami", "pami", "transactions on pattern analysis and machine intelligence"),
    "IJCV": ("ijcv", "international journal of computer vision"),
    "TIP": ("tip", "transactions on image processing"),
    "TOG": ("tog", "transactions on graphics", "trans graph"),
    "TVCG": ("tvcg", "transactions on visualization and computer graphics"),
    "JMLR": ("jmlr", "journal of machine learning research"),
    "TMLR": ("tmlr", "transactions on machine learning research"),
    "CSUR": ("csur", "computing surveys"),
    "TKDE": ("tkde", "transactions on knowledge and data engineering"),
    "Nature Machine Intelligence": ("nature machine intelligence", "nat mach intell"),
}
# Published under another name: SIGGRAPH papers appear in ACM TOG.
SAME_VENUE: dict[str, frozenset[str]] = {
    "TOG": frozenset({"SIGGRAPH", "SIGGRAPH Asia"}),
    "SIGGRAPH": frozenset({"TOG"}),
    "SIGGRAPH Asia": frozenset({"TOG"}),
}
ALIASES: list[tuple[str, str]] = sorted(
    ((alias, name) for name, aliases in VENUES.items() for alias in aliases), key=lambda pair: -len(pair[0]))
ALIAS_NAME: dict[str, str] = dict(ALIASES)
# The alternation of every alias, longest first, spaces matching any run of spaces.
ALIAS_PATTERN = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a, _ in ALIASES)

# Semantic Scholar's preprint servers, by publicationVenue.id (names change; ids do not).
S2_PREPRINT_VENUE_IDS = frozenset({
    "1901e811-ee72-4b20-8f7e-de08cd395a10",  # arXiv.org
    "75d7a8c1-d871-42db-a8e4-7cf5146fdb62",  # SSRN
    "027ffd21-ebb0-4af8-baf5-911124292fd0",  # bioRxiv
    "d5e5b5e7-54b1-4f53-82fc-4853f3e71c58",  # medRxiv
})
# Venue text that names a preprint server or nothing: never a venue, whatever the source.
_NO_VENUE = re.compile(r"^(?:|arxiv(?: org)?|arxiv preprint|corr|preprint|ssrn|biorxiv|medrxiv"
                       r"|informal and other publications)$")

# OpenReview (API v2) venue ids of the venues whose accepted lists diffsync reads, with the
# first year on API v2 and the month decisions are final (a listing fetched after it is kept).
OPENREVIEW_VENUES: dict[str, tuple[str, int, int]] = {
    # short name: (venue id pattern, first year on API v2, month decisions are final)
    "ICLR": ("ICLR.cc/{year}/Conference", 2024, 2),
    "ICML": ("ICML.cc/{year}/Conference", 2023, 6),
    "NeurIPS": ("NeurIPS.cc/{year}/Conference", 2023, 10),
    "TMLR": ("TMLR", 0, 0),  # a journal: one listing, never final
}


@dataclass(frozen=True)
class Named:
    """A venue as the table knows it: short name, year if given, workshop or main track."""

    name: str
    year: int | None = None
    workshop: bool = False

    def __str__(self) -> str:
        label = f"{self.name} Workshop" if self.workshop else self.name
        return f"{label} {self.year}" if self.year else label


def words(text: str) -> str:
    """Folded text as space-separated words (the form aliases are written in)."""
    return " ".join(re.sub(r"[^\w']+", " ", fold(text)).split())


def is_no_venue(text: str | None) -> bool:
    """A preprint server or empty venue ("arXiv.org", "CoRR", "Informal and Other Publications")."""
    return _NO_VENUE.match(words(text or "").replace("'", "")) is not None


@lru_cache(maxsize=1)
def _alias_re() -> re.Pattern[str]:
    return re.compile(r"\b(" + ALIAS_PATTERN + r")\b")


def canonical(text: str | None, year: int | None = None) -> Named | None:
    """The table's venue for a source's venue text, or None when it names none the table knows.

    "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)" is CVPR 2016;
    "ICLR 2025 Poster" is ICLR 2025; "NeurIPS 2023 Workshop on Diffusion Models" is a
    NeurIPS workshop, never NeurIPS itself.
    """
    if not text or is_no_venue(text):
        return None
    folded = words(text)
    if folded.startswith("findings of"):
        return None  # "Findings of the ACL: EMNLP 2023" is neither ACL nor EMNLP's main track
    m = _alias_re().search(folded)
    if m is None:
        return None
    name = ALIAS_NAME[" ".join(m.group(1).split())]
    if name == "SIGGRAPH" and "siggraph asia" in folded:
        name = "SIGGRAPH Asia"
    found = re.findall(r"\b((?:19|20)\d\d)\b", folded)
    return Named(name, int(found[0]) if found else year, is_workshop(text))


def is_workshop(text: str | None) -> bool:
    """Whether venue text or an OpenReview venue id names a workshop ("…/Workshop/…", "Workshops")."""
    return re.search(r"workshop", text or "", re.IGNORECASE) is not None


def same_venue(a: str, b: str) -> bool:
    """Two short names for one venue (equal, or SIGGRAPH and TOG)."""
    return a == b or b in SAME_VENUE.get(a, frozenset())


def openreview_venue_id(name: str, year: int) -> str | None:
    """The OpenReview venue id of ``name``'s accepted papers in ``year``, if on API v2."""
    known = OPENREVIEW_VENUES.get(name)
    if known is None or year < known[1]:
        return None
    return known[0].format(year=year)


def openreview_final(venue_id: str, today_year: int, today_month: int) -> bool:
    """Whether a venue-year's decisions are final, so its accepted list is kept for good."""
    for name, (pattern, _, month) in OPENREVIEW_VENUES.items():
        if month and venue_id.startswith(pattern.split("{", 1)[0]):
            year = int(venue_id.split("/")[1])
            return (today_year, today_month) > (year, month)
    return False


# The "source has" value of a finding from the venue sources ends with who says it:
# export tells these from arXiv's own venue findings by it.
_SOURCE = "(?:Semantic Scholar|OpenReview|DBLP)"
_TAG = re.compile(rf" \(from {_SOURCE}(?:(?:, | and ){_SOURCE})*\)$")


def is_source_value(value: str | None) -> bool:
    """Whether a finding's source value came from the venue sources (not arXiv's own record)."""
    return bool(value) and _TAG.search(value or "") is not None
