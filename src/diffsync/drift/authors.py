"""Comparing a listed author line with arXiv's authors, name by name.

A name is the same person when its folded words agree: surname equal and
given names equal or compatible as initials ("J. Doe" = "John Doe",
"Jun-Yan Zhu" = "Jun Yan Zhu" = "Junyan Zhu", "Diederik P. Kingma" =
"Diederik Kingma"), diacritics, mojibake and periods ignored.  What is
left is drift: names missing (e.g. added in a later version), extra,
misspelled, or in another order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz

from ..textnorm import collapse, words

# Two names scoring at least this (rapidfuzz ratio, 0-100, on folded names)
# are one person misspelled rather than two people: it allows one or two
# wrong letters in a typical 10-16 letter name ("Jonathon Ho" 91,
# "Maneesh Agarwala" 94), while different people with a shared surname
# ("Yu Wu" / "Yi Wu" is 80 but has a different given name, which is still
# reported, only described as a misspelling) stay drift either way.
MISSPELLING = 80.0

_ET_AL = re.compile(r"\bet\.?\s*al\b", re.IGNORECASE)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# "Jonathan Ho (Google)": an affiliation in parentheses is never part of the name.
_PARENTHESIS = re.compile(r"\([^()]*\)")


def _name_words(name: str) -> list[str]:
    """Folded words of a name without affiliations in parentheses, generational
    suffixes ("Jr.", "III") or the "The" of a collaboration's name."""
    parts = words(_PARENTHESIS.sub(" ", name)) or words(name)
    while len(parts) > 1 and parts[-1] in _SUFFIXES:
        parts.pop()
    if len(parts) > 2 and parts[0] == "the":  # "The LIGO Scientific Collaboration"
        parts.pop(0)
    return parts


def surname(name: str) -> str:
    parts = _name_words(name)
    return parts[-1] if parts else ""


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Given names agree up to initials and dropped middle names."""
    if not a or not b or "".join(a) == "".join(b):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    i = 0
    for tok in short:
        while i < len(long_):
            other = long_[i]
            i += 1
            if tok == other or (len(tok) == 1 and other.startswith(tok)) or (
                len(other) == 1 and tok.startswith(other)
            ):
                break
        else:
            return False
    # the first given name must be one of the aligned ones: "Jun Zhu" is not "Yan Zhu"
    first_a, first_b = a[0], b[0]
    return first_a[0] == first_b[0]


def same_person(listed: str, arxiv: str) -> bool:
    """True when two spellings of a name differ only cosmetically."""
    x, y = _name_words(listed), _name_words(arxiv)
    if not x or not y:
        return False
    if x == y or sorted(x) == sorted(y):  # family-name-first order ("Zhu Jun-Yan")
        return True
    if "".join(x) == "".join(y):
        return True
    return x[-1] == y[-1] and _given_compatible(x[:-1], y[:-1])


def _similar(listed: str, arxiv: str) -> float:
    return fuzz.ratio(" ".join(_name_words(listed)), " ".join(_name_words(arxiv)))


def truncated(authors_text: str | None) -> bool:
    """The listed author line ends with "et al.": only a prefix of the authors is given."""
    return bool(authors_text and _ET_AL.search(authors_text))


@dataclass
class AuthorDiff:
    missing: list[str] = field(default_factory=list)  # on arXiv, not in the list
    extra: list[str] = field(default_factory=list)  # in the list, not on arXiv
    misspelled: list[tuple[str, str]] = field(default_factory=list)  # (listed, arXiv)
    reordered: bool = False
    cosmetic: list[tuple[str, str]] = field(default_factory=list)  # same person, spelled differently

    @property
    def drift(self) -> bool:
        return bool(self.missing or self.extra or self.misspelled or self.reordered)

    def explain(self) -> str:
        parts = []
        if self.missing:
            parts.append("missing " + ", ".join(self.missing))
        if self.extra:
            parts.append("not on arXiv " + ", ".join(self.extra))
        if self.misspelled:
            parts.append("misspelled " + ", ".join(f"{a} (arXiv: {b})" for a, b in self.misspelled))
        if self.reordered:
            parts.append("order differs")
        if not parts and self.cosmetic:
            parts.append("spelled differently " + ", ".join(f"{a} (arXiv: {b})" for a, b in self.cosmetic))
        return "; ".join(parts)


def diff_authors(listed: Sequence[str], arxiv: Sequence[str], *, is_truncated: bool = False) -> AuthorDiff:
    """Name-by-name difference; a truncated ("et al.") list is compared as a prefix."""
    if tuple(listed) == tuple(arxiv) and all(_name_words(name) for name in listed):
        # Most entries copy arXiv's names exactly: each is its own match, in order.
        return AuthorDiff()
    result = AuthorDiff()
    taken: dict[int, int] = {}  # listed index -> arXiv index
    free = set(range(len(arxiv)))
    for i, name in enumerate(listed):
        for j in sorted(free):
            if same_person(name, arxiv[j]):
                taken[i] = j
                free.discard(j)
                if collapse(name) != collapse(arxiv[j]):
                    result.cosmetic.append((name, arxiv[j]))
                break
    for i, name in enumerate(listed):
        if i in taken:
            continue
        best = max(free, key=lambda j: (_similar(name, arxiv[j]), -j), default=None)
        if best is not None and _similar(name, arxiv[best]) >= MISSPELLING:
            taken[i] = best
            free.discard(best)
            result.misspelled.append((name, arxiv[best]))
        else:
            result.extra.append(name)
    order = [taken[i] for i in sorted(taken)]
    result.reordered = order != sorted(order)
    if is_truncated:
        # only names inside the listed prefix can be "missing"
        result.missing = [arxiv[j] for j in sorted(free) if j < len(listed)]
    else:
        result.missing = [arxiv[j] for j in sorted(free)]
    return result
