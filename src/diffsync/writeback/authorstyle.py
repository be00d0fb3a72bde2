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

from ..listfile.text import split_authors
from .safetext import markdown_text

_SUP = re.compile(r"(?:\s*<sup>.*?</sup>)+", re.IGNORECASE)
_AND = re.compile(r",?\s+and\s+|\s*&\s*")
_ET_AL = re.compile(r",?\s*\bet\.?\s*al\b\.?", re.IGNORECASE)


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
    bare = _SUP.sub("", text)
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
    for piece in re.split(r"(?:[,;&]|\s+and\s+)(?![^<]*</sup>)", text):
        mark = _SUP.search(piece)
        if mark:
            key = _name_key(_SUP.sub("", piece))
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
