"""Authors written the way an entry writes them: its separators, its final
"and", the ``<sup>`` affiliation marks it puts after each person, and a
closing "et al." (then only as many names as the entry gives are written).

The one rule for joining names: the drift rules' suggestion and the export
planner's fix both come from ``join_authors_like``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from .text import split_authors
from .safetext import markdown_text

# Every regex here stays linear in the line: a match starts only where a blank
# run starts (the look-behinds), and ``_SUP`` only runs up to the line's last
# ``</sup>`` (``_sup_bounded``), so a ``<sup>`` without one is not rescanned.
_SUP = re.compile(r"(?:(?:(?<!\s)\s+)?<sup>.*?</sup>)+", re.IGNORECASE)
_AND = re.compile(r",?(?<!\s)\s+and\s+|(?:(?<!\s)\s+)?&\s*")
_PERSON_SEP = re.compile(r"[,;&]|(?<!\s)\s+and\s+")
_ET_AL = re.compile(r",?(?:(?<!\s)\s+)?\bet\.?\s*al\b\.?", re.IGNORECASE)


def _sup_end(text: str) -> int:
    """Where the last ``</sup>`` of ``text`` ends (0 if there is none): no ``_SUP`` match goes past it."""
    i = text.lower().rfind("</sup>")
    return i + len("</sup>") if i >= 0 else 0


def _without_sup(text: str) -> str:
    end = _sup_end(text)
    return _SUP.sub("", text[:end]) + text[end:]


def _first_sup(text: str) -> re.Match[str] | None:
    return _SUP.search(text, 0, _sup_end(text))


def _people(text: str) -> list[str]:
    r"""``text`` split at each person separator that is not inside a ``<sup>`` mark.

    Same as ``re.split(r"(?:[,;&]|\s+and\s+)(?![^<]*</sup>)", text)``,
    with the next ``<`` found once per stretch instead of once per separator.
    """
    pieces, last, lt = [], 0, None  # lt: the first "<" at or after the last separator asked about
    for m in _PERSON_SEP.finditer(text):
        if lt is None or (lt >= 0 and lt < m.end()):
            lt = text.find("<", m.end())
        if lt >= 0 and text.startswith("</sup>", lt):
            continue  # inside a mark: "<sup>1,2</sup>"
        pieces.append(text[last: m.start()])
        last = m.end()
    pieces.append(text[last:])
    return pieces


@dataclass(frozen=True)
class _AuthorStyle:
    sep: str  # ", " or "," or "; "
    last_sep: str | None  # " and ", ", and ", " & " before the last name, if the entry uses one
    marks: dict[str, str]  # normalised name / surname -> "<sup>1</sup>" written after it


def _name_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.lower()).split())


def _author_style(text: str) -> _AuthorStyle:
    bare = _without_sup(text)
    ands = list(_AND.finditer(bare))
    last_sep = ands[-1].group(0) if ands else None
    without_last = bare[: ands[-1].start()] if ands else bare
    sep = ", "
    for candidate in (", ", "; ", ",", ";"):
        if candidate in without_last:
            sep = candidate
            break
    if last_sep is not None and sep.strip() == ";":
        sep = "; "
    marks: dict[str, str] = {}
    for piece in _people(text):
        mark = _first_sup(piece)
        if mark:
            key = _name_key(_without_sup(piece))
            marks.setdefault(key, mark.group(0))
            if key:
                marks.setdefault("surname:" + key.split()[-1], mark.group(0))
    return _AuthorStyle(sep=sep, last_sep=last_sep, marks=marks)


def join_authors_like(example: str, names: Sequence[str], *, escape: bool = True) -> str:
    """``names`` joined the way ``example`` joins its authors; ``<sup>`` marks kept per person.

    An example ending "et al." gets as many names as it lists, then its own
    "et al." (as written).  With ``escape`` each name is Markdown-safe text.
    """
    tail = ""
    m = _ET_AL.search(example)
    if m:
        tail = example[m.start():].rstrip()
        example = example[:m.start()]
        names = list(names[:max(1, len(split_authors(example)))])
    style = _author_style(example)
    written = []
    for name in names:
        key = _name_key(name)
        mark = style.marks.get(key) or (style.marks.get("surname:" + key.split()[-1]) if key else None)
        written.append((markdown_text(name) if escape else name) + (mark or ""))
    if style.last_sep and len(written) > 1 and not tail:
        return style.sep.join(written[:-1]) + style.last_sep + written[-1]
    return style.sep.join(written) + tail
