"""The export's unified diff, built from the planned edits instead of a line-by-line comparison.

``difflib.unified_diff`` compares every line of the list with every line of
the result (3.8 s for 2,644 title fixes in a 3,000-entry list); the edits
already say which lines change.  This builds the same hunks from them, byte
for byte, in time linear in the edits and their context plus one C-speed
pass over the lines (splitting, counting).  It reproduces what difflib's
``SequenceMatcher`` does to such a pair: every unchanged run of lines
between two changes is matched, except a run made only of "popular" lines
(more than 1% + 1 of a file of 200 lines or more, e.g. blank lines), which
autojunk keeps from anchoring a match and so is shown as removed and added.
Where difflib could align differently (a changed line's text also appears
elsewhere with no longer unchanged run between the two, an edit adds or
removes a line break, unusual line separators) it falls back to difflib.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from typing import Callable, Iterator, Sequence

from .edits import Edit

# str.splitlines() breaks lines at these too; the byte line index only knows "\n".
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]|\r(?!\n)")
_Opcode = tuple[str, int, int, int, int]
_MAX_COPIES = 200  # beyond this many copies of changed lines, difflib decides


def unified_diff(old: bytes, new: bytes, path: str | os.PathLike[str], context: int = 3) -> str:
    """A ``diff -u`` style text of ``old`` -> ``new``; undecodable bytes shown as U+FFFD."""
    if old == new:
        return ""
    a = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    b = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    name = str(path)
    return "".join(_shown(line) for line in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}", n=context))


def diff_from_edits(old: bytes, new: bytes, edits: Sequence[Edit],
                    path: str | os.PathLike[str], context: int = 3) -> str:
    """``unified_diff(old, new, path, context)``, where ``new`` is ``old`` with ``edits`` applied."""
    if old == new:
        return ""
    a_text = old.decode("utf-8", errors="replace")
    b_text = new.decode("utf-8", errors="replace")
    if _OTHER_BREAKS.search(a_text) or _OTHER_BREAKS.search(b_text):
        return unified_diff(old, new, path, context)
    a, b = a_text.splitlines(keepends=True), b_text.splitlines(keepends=True)
    opcodes = _opcodes(old, edits, a, b)
    if opcodes is None:
        return unified_diff(old, new, path, context)
    name = str(path)
    lines = []
    for n, group in enumerate(_grouped(opcodes, len(a), context)):
        if n == 0:
            lines += [f"--- a/{name}\n", f"+++ b/{name}\n"]
        first, last = group[0], group[-1]
        lines.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [_shown(" " + line) for line in a[i1:i2]]
            else:
                lines += [_shown("-" + line) for line in a[i1:i2]]
                lines += [_shown("+" + line) for line in b[j1:j2]]
    return "".join(lines)


def _shown(line: str) -> str:
    """How a diff shows a line: LF endings, a missing final newline noted."""
    if line.endswith("\r\n"):
        line = line[:-2] + "\n"  # the diff is for reading; CRLF survives in the file
    if not line.endswith("\n"):
        line += "\n\\ No newline at end of file\n"
    return line


def _range(start: int, stop: int) -> str:
    """difflib's ``_format_range_unified``."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if not length else start + 1},{length}"


def _changed_lines(old: bytes, edits: Sequence[Edit], a: list[str], b: list[str]) -> list[int] | None:
    """Indices of the lines the edits change (same in old and new), or None if an edit moves lines."""
    touched: set[int] = set()
    line, pos = 0, 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        breaks = edit.old.count(b"\n")
        if breaks != edit.new.count(b"\n"):
            return None
        line += old.count(b"\n", pos, edit.span.start)
        pos = edit.span.start
        touched.update(range(line, line + breaks + 1))
    return sorted(i for i in touched if i < len(a) and a[i] != b[i])


def _opcodes(old: bytes, edits: Sequence[Edit], a: list[str], b: list[str]) -> list[_Opcode] | None:
    """difflib's opcodes for ``a`` -> ``b``; None where difflib might align otherwise."""
    if len(a) != len(b):
        return None
    changed = _changed_lines(old, edits, a, b)
    if changed is None:
        return None
    n = len(b)
    counts = Counter(b)
    limit = n // 100 + 1 if n >= 200 else None  # SequenceMatcher's autojunk

    def popular(text: str) -> bool:
        return limit is not None and counts[text] > limit

    if not _aligned_wins(changed, a, b, popular):
        return None

    def anchors(lo: int, hi: int) -> bool:
        """Whether unchanged lines ``lo:hi`` hold one that can anchor a match."""
        return any(not popular(b[k]) for k in range(lo, hi))

    regions: list[list[int]] = []
    for i in changed:
        if regions and not anchors(regions[-1][1], i):
            regions[-1][1] = i + 1
        else:
            regions.append([i, i + 1])
    if regions and not anchors(0, regions[0][0]):
        regions[0][0] = 0
    if regions and not anchors(regions[-1][1], n):
        regions[-1][1] = n
    codes: list[_Opcode] = []
    pos = 0
    for lo, hi in regions:
        if lo > pos:
            codes.append(("equal", pos, lo, pos, lo))
        codes.append(("replace", lo, hi, lo, hi))
        pos = hi
    if pos < n:
        codes.append(("equal", pos, n, pos, n))
    return codes


def _aligned_wins(changed: list[int], a: list[str], b: list[str], popular: Callable[[str], bool]) -> bool:
    """Whether difflib surely matches every line with itself rather than with a copy elsewhere.

    A changed line whose text is elsewhere on the other side (an entry listed
    twice, fixed once) could anchor a match there.  It cannot where a longer
    run of unchanged, non-popular lines lies between the two: every range
    difflib searches that holds both holds that run, whose match is longer
    (difflib compares matches by their non-popular core).
    """
    old_texts = {a[i] for i in changed if not popular(a[i])}
    new_texts = {b[i] for i in changed if not popular(b[i])}
    copies_in_b = [j for j, line in enumerate(b) if line in old_texts]
    copies_in_a = [j for j, line in enumerate(a) if line in new_texts]
    if not copies_in_b and not copies_in_a:
        return True
    if len(copies_in_b) + len(copies_in_a) > _MAX_COPIES:
        return False
    is_changed = set(changed)
    where_a: dict[str, list[int]] = {}
    for i in changed:
        where_a.setdefault(a[i], []).append(i)
    where_b: dict[str, list[int]] = {}
    for i in changed:
        where_b.setdefault(b[i], []).append(i)
    pairs = [(i, j) for j in copies_in_b for i in where_a.get(b[j], ()) if i != j]
    pairs += [(j, i) for j in copies_in_a for i in where_b.get(a[j], ()) if i != j]
    for i, j in pairs:
        size = _diagonal(a, b, i, j, popular)
        if not _longer_run(b, is_changed, popular, min(i, j), max(i, j) + 1, size):
            return False
    return True


def _diagonal(a: list[str], b: list[str], i: int, j: int, popular: Callable[[str], bool]) -> int:
    """Size of the match difflib could anchor at ``a[i] == b[j]``: equal non-popular lines in a row."""
    def same(x: int, y: int) -> bool:
        return 0 <= x < len(a) and 0 <= y < len(b) and a[x] == b[y] and not popular(b[y])

    lo = 0
    while same(i - lo - 1, j - lo - 1):
        lo += 1
    hi = 1
    while same(i + hi, j + hi):
        hi += 1
    return lo + hi


def _longer_run(b: list[str], changed: set[int], popular: Callable[[str], bool],
                lo: int, hi: int, size: int) -> bool:
    """Whether ``lo:hi`` holds more than ``size`` unchanged non-popular lines in a row."""
    run = 0
    for k in range(lo, hi):
        run = 0 if k in changed or popular(b[k]) else run + 1
        if run > size:
            return True
    return False


def _grouped(codes: list[_Opcode], n_lines: int, n: int) -> Iterator[list[_Opcode]]:
    """difflib's ``SequenceMatcher.get_grouped_opcodes``."""
    if not codes:
        codes = [("equal", 0, 1, 0, 1)]
    codes = list(codes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    group: list[_Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > n + n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group
