"""A token index of the fake's papers, so a search costs the size of its answer, not of the catalogue.

Without it every title search scanned every paper held (50,000 in the
scale bench), and the bench measured the fake instead of diffsync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from ..models import PaperRecord

# Fields as the query language names them (arXiv's prefixes); "all" is their union.
TEXT_FIELDS = ("ti", "au", "abs", "co", "jr", "rn")
_WORD = re.compile(r"[^\W_]+")
_TEX = re.compile(r"\$[^$]*\$|\\[a-zA-Z]+|\\.")


def tokens(text: str) -> list[str]:
    """Lower-cased words; TeX maths and commands dropped, as a title query drops them."""
    return _WORD.findall(_TEX.sub(" ", text).lower())


@dataclass(frozen=True, slots=True)
class _Doc:
    record: PaperRecord
    fields: Mapping[str, tuple[tuple[str, ...], ...]]  # field -> token runs (one per author for "au")


def _doc(rec: PaperRecord) -> _Doc:
    runs = {
        "ti": (tuple(tokens(rec.title)),),
        "au": tuple(tuple(tokens(a)) for a in rec.authors),
        "abs": (),  # the fake holds no abstracts
        "co": (tuple(tokens(rec.comment or "")),),
        "jr": (tuple(tokens(rec.journal_ref or "")),),
        "rn": (),
    }
    return _Doc(rec, runs)


def _has_run(runs: Iterable[tuple[str, ...]], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    for run in runs:
        for i in range(len(run) - n + 1):
            if run[i : i + n] == phrase:
                return True
    return False


class PaperIndex:
    """Papers by ID plus postings ``(field, token) -> IDs``; updated in place as papers change."""

    def __init__(self, papers: Iterable[PaperRecord] = ()) -> None:
        self.papers: dict[str, PaperRecord] = {}
        self._docs: dict[str, _Doc] = {}
        self._postings: dict[tuple[str, str], set[str]] = {}
        self._order: dict[str, int] = {}  # insertion order: the tie-break of relevance
        for rec in papers:
            self.add(rec)

    def add(self, rec: PaperRecord) -> None:
        self.remove(rec.arxiv_id)
        doc = _doc(rec)
        self.papers[rec.arxiv_id] = rec
        self._docs[rec.arxiv_id] = doc
        self._order.setdefault(rec.arxiv_id, len(self._order))
        for name, runs in doc.fields.items():
            for run in runs:
                for tok in run:
                    self._postings.setdefault((name, tok), set()).add(rec.arxiv_id)

    def remove(self, arxiv_id: str) -> None:
        doc = self._docs.pop(arxiv_id, None)
        if doc is None:
            return
        del self.papers[arxiv_id]
        for name, runs in doc.fields.items():
            for run in runs:
                for tok in run:
                    self._postings.get((name, tok), set()).discard(arxiv_id)

    def order(self, arxiv_id: str) -> int:
        return self._order[arxiv_id]

    def words(self, field: str, words: tuple[str, ...], *, phrase: bool, prefix: bool = False) -> set[str]:
        """IDs whose ``field`` holds ``words`` (in a row when ``phrase``); ``prefix``: last word is a stem."""
        if field == "all":
            found: set[str] = set()
            for name in TEXT_FIELDS:
                found |= self.words(name, words, phrase=phrase, prefix=prefix)
            return found
        if not words:
            return set()
        if prefix:
            stem = words[-1]
            stems = [t for (f, t) in self._postings if f == field and t.startswith(stem)]
            found = set()
            for t in stems:
                found |= self.words(field, words[:-1] + (t,), phrase=phrase)
            return found
        postings = sorted((self._postings.get((field, w), set()) for w in set(words)), key=len)
        if not postings[0]:
            return set()
        hits = set.intersection(*postings)
        if phrase and len(words) > 1:
            hits = {i for i in hits if _has_run(self._docs[i].fields[field], words)}
        return hits

    def coverage(self, arxiv_id: str, field: str, words: tuple[str, ...]) -> float:
        """How much of the paper's ``field`` the words cover: 1.0 for an exact title."""
        names = TEXT_FIELDS if field == "all" else (field,)
        best = 0.0
        for name in names:
            for run in self._docs[arxiv_id].fields.get(name, ()):
                if run and set(words) <= set(run):
                    best = max(best, len(words) / len(run))
        return best

    def categories(self, term: str) -> set[str]:
        term = term.lower()
        star = term.endswith("*")
        stem = term.rstrip("*")
        return {i for i, r in self.papers.items()
                if any(c.lower() == term or (star and c.lower().startswith(stem)) for c in r.categories)}

    def ids(self, term: str) -> set[str]:
        m = re.match(r"^(.+?)(?:v(\d+))?$", term)
        base, version = (m.group(1), m.group(2)) if m else (term, None)
        rec = self.papers.get(base)
        if rec is None or (version is not None and int(version) != rec.version):
            return set()
        return {base}

    def submitted(self, low: datetime, high: datetime) -> set[str]:
        return {i for i, r in self.papers.items() if low <= r.published <= high}
