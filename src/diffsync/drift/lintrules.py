"""The lint's rules by short id, which of them run, and inline suppressions.

Each rule has an id (``M001``) and a name, as ruff's do; ``--select`` and
``--ignore`` (and ``[lint] select`` / ``ignore``) take ids, prefixes (``A``)
or ``ALL``.  The default set is every structural rule; the missing-field
rules (``F``) are opt-in, since an entry without a date is not a defect of
the list's structure.  A suppression in the list itself silences rules on
one entry (docs/lint.md):

    <!-- diffsync: ignore A003 -->        the entry this comment is in, or the one just below
    <!-- diffsync: ignore -->             every rule there
    <!-- diffsync: ignore-file F002 -->   the whole file
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..errors import UsageError
from ..models import Entry


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    message: str
    rule: str  # a rule id of lintrules.RULES: "M001", "A003", "F002", ...

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.rule} {self.message}"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    summary: str
    default: bool  # in the default rule set
    level: str  # SARIF level: error, warning or note


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("M001", "unrendered-link", "a link Markdown does not render: a space between ] and (, "
         "a missing ] or ), a link without a URL", True, "error"),
    Rule("A001", "arxiv-url", "junk in an arXiv URL (?context=cs, a fragment, doubled slashes; "
         "with --strict also /pdf/, http:// and mirror hosts)", True, "warning"),
    Rule("A002", "invalid-arxiv-id", "an arXiv link whose ID is not a valid arXiv ID", True, "error"),
    Rule("A003", "duplicate-id", "one arXiv ID listed under titles that differ beyond cosmetics",
         True, "warning"),
    Rule("A004", "stray-arxiv-link", "an arXiv link outside every entry: no check sees it",
         True, "warning"),
    Rule("T001", "text", "text the parser leaves as written but doubts, such as names "
         "double-encoded (UTF-8 read as cp1252)", True, "warning"),
    Rule("T002", "file", "the file itself: a byte-order mark, bytes that are not UTF-8", True, "warning"),
    Rule("F001", "no-authors", "an entry without authors, in a list whose entries carry them "
         "(5% or more)", False, "note"),
    Rule("F002", "no-date", "an entry without a date, in a list whose entries carry dates "
         "(5% or more)", False, "note"),
)}


def _expand(codes: Iterable[str], where: str) -> set[str]:
    out: set[str] = set()
    for code in codes:
        code = code.strip().upper()
        if not code:
            continue
        matched = set(RULES) if code == "ALL" else {r for r in RULES if r.startswith(code)}
        if not matched:
            raise UsageError(f"{where}: unknown lint rule {code!r}; rules are ALL, "
                             f"{', '.join(RULES)} or a prefix (see diffsync lint --help)")
        out |= matched
    return out


def selected(select: Sequence[str] = (), ignore: Sequence[str] = (), *,
             extend: Sequence[str] = ()) -> frozenset[str]:
    """The rule ids that run: ``select`` (default: the default set) plus ``extend``,
    minus ``ignore``.  An unknown id or prefix is a usage error."""
    base = _expand(select, "--select") if select else {r.id for r in RULES.values() if r.default}
    return frozenset((base | _expand(extend, "--select")) - _expand(ignore, "--ignore"))


_SUPPRESS = re.compile(rb"<!--\s*diffsync:\s*(ignore-file|ignore)\b([^>]*?)-->", re.I)
_CODES = re.compile(r"[A-Za-z]+\d*")


@dataclass(frozen=True)
class Suppressions:
    file: frozenset[str]  # rule ids silenced in the whole file ("*": every rule)
    lines: dict[int, frozenset[str]]  # 1-based line -> rule ids silenced there

    def hides(self, line: int, rule: str) -> bool:
        here = self.lines.get(line, frozenset())
        return bool({"*", rule} & self.file) or bool({"*", rule} & here)


def suppressions(data: bytes, entries: Sequence[Entry], line_of) -> Suppressions:
    """Every ``<!-- diffsync: ignore … -->`` in ``data``: an entry's lines when the comment
    is inside the entry or on the line just above it, else that line and the next."""
    file_wide: set[str] = set()
    lines: dict[int, set[str]] = {}
    if b"diffsync" not in data:
        return Suppressions(frozenset(), {})
    starts = [e.span.start for e in entries]
    for m in _SUPPRESS.finditer(data):
        words = m.group(2).decode("utf-8", "replace").replace(",", " ").split()
        codes = {w.upper() for w in words if _CODES.fullmatch(w)} or {"*"}
        if m.group(1).lower() == b"ignore-file":
            file_wide |= codes
            continue
        line = line_of(m.start())
        target = _entry_at(entries, starts, m.start(), line, line_of)
        first, last = (line, line + 1) if target is None else (
            target.line, line_of(max(target.span.start, target.span.end - 1)))
        for n in range(min(first, line), last + 1):
            lines.setdefault(n, set()).update(codes)
    return Suppressions(frozenset(file_wide), {k: frozenset(v) for k, v in lines.items()})


def _entry_at(entries: Sequence[Entry], starts: list[int], offset: int, line: int, line_of) -> Entry | None:
    """The entry holding ``offset``, else the entry that starts on the next line."""
    i = bisect_right(starts, offset) - 1
    if i >= 0 and entries[i].span.start <= offset < entries[i].span.end:
        return entries[i]
    following = entries[i + 1] if i + 1 < len(entries) else None
    if following is not None and line_of(following.span.start) <= line + 1:
        return following
    return None
