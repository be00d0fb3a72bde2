"""arXiv identifiers: recognise, validate and canonicalise them locally.

One malformed ID makes arXiv reject a whole batch (HTTP 400), and an ID in
a non-canonical form silently matches nothing, so every ID is checked and
put in canonical form here before it reaches the client.  The list reader,
the rules and the writers use the same syntax; it lives on the ground floor
so none of them imports the HTTP client for it.

Canonical forms: ``YYMM.NNNN`` (0704-1412), ``YYMM.NNNNN`` (1501 on), and
old-style ``archive/YYMMNNN`` with the subject class dropped
(``math.GT/0309136`` -> ``math/0309136``).  Versions are kept apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_NEW = re.compile(r"(?<![\w.])(\d{4})\.(\d{4,5})(?:v(\d+))?(?![\w])")
_OLD = re.compile(
    r"(?<![\w.-])([a-zA-Z][a-zA-Z-]*)(?:\.[A-Za-z]{2})?/(\d{7})(?:v(\d+))?(?!\w)"
)
_MENTION = re.compile(r"arxiv\s*:\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*arxiv\s*:\s*", re.IGNORECASE)
_ARXIV_HOSTS = ("arxiv.org", "export.arxiv.org", "www.arxiv.org")
_PATH = re.compile(r"^/(?:abs|pdf|html|format|ps)/(.+?)(?:\.pdf)?/?$")

# Archives that had old-style identifiers (before April 2007).
OLD_ARCHIVES = frozenset(
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg "
    "comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph "
    "mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio quant-ph solv-int "
    "supr-con".split()
)


@dataclass(frozen=True)
class ArxivId:
    id: str  # canonical, unversioned
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _valid_version(version: str | None) -> bool:
    """arXiv numbers versions from 1; a many-digit one is a typo (and overflows a database integer)."""
    return version is None or (len(version) <= 3 and int(version) >= 1)


def _new_style(yymm: str, number: str, version: str | None) -> ArxivId | None:
    if not _valid_version(version):
        return None
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12:
        return None
    if (year, month) < (7, 4):
        return None  # new-style IDs start in April 2007
    if year <= 14 and len(number) != 4:
        return None
    if year >= 15 and len(number) != 5:
        return None
    return ArxivId(f"{yymm}.{number}", int(version) if version else None)


def _old_style(archive: str, number: str, version: str | None) -> ArxivId | None:
    archive = archive.lower()
    if archive not in OLD_ARCHIVES or not _valid_version(version):
        return None
    month = int(number[2:4])
    if not 1 <= month <= 12:
        return None
    return ArxivId(f"{archive}/{number}", int(version) if version else None)


def parse_id(text: str) -> ArxivId | None:
    """The ID if ``text`` is exactly one arXiv ID (``arXiv:`` prefix allowed)."""
    s = _PREFIX.sub("", text.strip())
    m = _NEW.fullmatch(s)
    if m:
        return _new_style(*m.groups())
    m = _OLD.fullmatch(s)
    if m:
        return _old_style(*m.groups())
    return None


# The form nearly every list link has, read without urlsplit: same answer, a fraction of the time.
_PLAIN_ABS_URL = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(\d{4})\.(\d{4,5})(?:v(\d+))?(?:\.pdf)?/?")


def from_url(url: str) -> ArxivId | None:
    """The ID an arxiv.org URL points at: /abs/, /pdf/ (with or without .pdf),
    versioned, with query strings (``?context=cs``) or fragments."""
    plain = _PLAIN_ABS_URL.fullmatch(url)
    if plain:
        return _new_style(*plain.groups())
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.hostname not in _ARXIV_HOSTS:
        return None
    m = _PATH.match(parts.path)
    return parse_id(m.group(1)) if m else None


def find_in_text(text: str) -> tuple[ArxivId, int, int] | None:
    """The first ``arXiv:ID`` mention in free text, with its character span."""
    # Matched in place (not on a copy of the rest of the text per mention),
    # so a line of thousands of "arXiv:" stays linear.
    m = _MENTION.search(text)
    while m:
        for pattern, make in ((_NEW, _new_style), (_OLD, _old_style)):
            n = pattern.match(text, m.end())
            if n:
                found = make(*n.groups())
                if found:
                    return found, n.start(), n.end()
        m = _MENTION.search(text, m.end())
    return None


def abs_url(arxiv_id: str, version: int | None = None) -> str:
    """The paper's abstract page: the one form of an arXiv link diffsync writes and shows."""
    return f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")
