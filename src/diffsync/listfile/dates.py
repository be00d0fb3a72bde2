"""Dates as curated lists write them: find, parse and re-format them in kind.

Lists write the arXiv submission date by hand, in whatever style the
maintainer typed that day: ``19 Jun 2020``, ``7 April 2022``, ``30 Sept
2022``, ``6 DEc 2022``, ``[Submitted on 6 Feb 2023]``, ``arxiv [Submitted on
2 Nov 2022 (v1), last revised 17 Nov 2022 (this version, v4)]``.  We find
the (first, i.e. v1) date with its character span so a fix replaces exactly
those characters, and format a corrected date in the example's own style so
a fix never changes how the list looks.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from ..models import Entry

_FULL = [calendar.month_name[i].lower() for i in range(1, 13)]
_ABBR = [name[:3] for name in _FULL]
_MONTHS: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(zip(_FULL, _ABBR), start=1):
    _MONTHS[_full] = _i
    _MONTHS[_abbr] = _i
_MONTHS["sept"] = 9

# Longest names first so "June" is not read as "Jun" + "e".
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])(?P<ord>st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# "19 Jun 2020", "30 Sept 2022", "1st Mar. 2021", "6 DEc 2022"
_DMY = re.compile(
    rf"(?<![\w.]){_DAY}\.?\s+(?P<mon>{_MONTH_RE})(?P<dot>\.)?,?\s+{_YEAR}(?!\d)",
    re.IGNORECASE,
)
# "June 19, 2020", "Jun 19 2020"
_MDY = re.compile(
    rf"(?<![\w.])(?P<mon>{_MONTH_RE})(?P<dot>\.)?\s+{_DAY}(?P<comma>,)?\s+{_YEAR}(?!\d)",
    re.IGNORECASE,
)
# "2020-06-19"
_ISO = re.compile(r"(?<![\w.-])(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?![\w-])")


@dataclass(frozen=True)
class _Style:
    order: str  # "dmy" | "mdy" | "iso"
    month: str  # "full" | "abbr" | "sept"
    case: str  # "title" | "upper" | "lower"
    dot: bool  # "Mar." keeps its period
    pad: bool  # "06 Feb" keeps its zero
    ordinal: bool  # "1st"
    comma: bool  # "June 19, 2020"


def _search(text: str) -> tuple[re.Match[str], str] | None:
    """The earliest date match of any form, with its form name."""
    best: tuple[re.Match[str], str] | None = None
    for form, pattern in (("dmy", _DMY), ("mdy", _MDY), ("iso", _ISO)):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, form)
    return best


def _to_date(m: re.Match[str], form: str) -> datetime.date | None:
    try:
        if form == "iso":
            month = int(m["month"])
        else:
            month = _MONTHS[m["mon"].lower()]
        return datetime.date(int(m["year"]), month, int(m["day"]))
    except ValueError:
        return None  # "31 Feb 2022": looks like a date, is not one


def parse_date(text: str) -> tuple[datetime.date, int, int] | None:
    """The first real date in ``text`` and its character span ``text[start:end]``.

    For ``Submitted on 2 Nov 2022 (v1), last revised 17 Nov 2022 ...`` that
    is the v1 date, which is what a list means by a paper's date.
    Impossible dates (``31 Feb``) are skipped, not guessed at.
    """
    pos = 0
    while True:
        found = _search(text[pos:])
        if found is None:
            return None
        m, form = found
        parsed = _to_date(m, form)
        if parsed is not None:
            return parsed, pos + m.start(), pos + m.end()
        pos += m.end()


def _case_of(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper"
    if word.islower():
        return "lower"
    return "title"


def _style_of(example: str) -> _Style:
    found = _search(example)
    if found is None:
        return _Style("dmy", "abbr", "title", False, False, False, False)
    m, form = found
    if form == "iso":
        return _Style("iso", "abbr", "title", False, True, False, False)
    mon = m["mon"]
    low = mon.lower()
    if low == "sept":
        month = "sept"
    elif len(low) > 3 and low in _FULL:
        month = "full"
    else:
        month = "abbr"  # "May" is ambiguous; abbreviations are the common style
    return _Style(
        order=form,
        month=month,
        case=_case_of(mon),
        dot=bool(m["dot"]),
        pad=len(m["day"]) == 2 and m["day"].startswith("0"),
        ordinal=bool(m["ord"]),
        comma=form == "mdy" and bool(m["comma"]),
    )


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def format_date_like(example: str, new: datetime.date) -> str:
    """``new`` written the way the date in ``example`` is written.

    Only the date itself is returned (``7 April 2022`` -> ``9 May 2023``), so
    it can replace exactly the characters ``parse_date`` found.  Month names
    follow the example (full, three-letter, ``Sept``, a trailing period, upper
    or lower case); a zero-padded day stays padded, an ordinal stays ordinal.
    An example without a recognisable date gives ``9 May 2023`` style.
    """
    style = _style_of(example)
    if style.order == "iso":
        return new.isoformat()
    full = _FULL[new.month - 1]
    if style.month == "full":
        name = full
    elif style.month == "sept" and new.month == 9:
        name = "sept"
    else:
        name = full[:3]
    if style.case == "upper":
        name = name.upper()
    elif style.case == "title":
        name = name.capitalize()
    if style.dot and len(name) < len(full):
        name += "."  # "Mar." but never "May."
    day = f"{new.day:02d}" if style.pad else str(new.day)
    if style.ordinal:
        day += _ordinal(new.day)
    if style.order == "mdy":
        return f"{name} {day}{',' if style.comma else ''} {new.year}"
    return f"{day} {name} {new.year}"


_ANY_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def entry_year(entry: Entry) -> int | None:
    """The year an entry gives: its date's, else the first year in its venue text."""
    if entry.date is not None:
        return entry.date.year
    m = _ANY_YEAR.search(entry.venue or "")
    return int(m.group(1)) if m else None


__all__ = ["entry_year", "parse_date", "format_date_like"]
