"""One line per finding that fits two rows of an 80-column terminal.

``list.md:20: open title 4707a1acfc: … Space of [-Diffusion-] {+Diffusion-Based Generative+} Models``

The status comes first (an accepted finding reads as accepted at a glance),
then the kind and id, then what differs, the values elided with ``…`` to fit
``width`` cells.  ``whole=True`` (``-v``) writes every value whole, as the
JSON does.
"""

from __future__ import annotations

from rich.cells import cell_len

from ..models import KINDS, Finding
from ..venuenames import is_source_value
from .worddiff import word_changes

ROW = 80
WIDTH = 2 * ROW  # a finding takes at most two rows at 80 columns
CONTEXT = 2  # equal words kept beside a change
_MARKS = {"equal": "{}", "gone": "[-{}-]", "new": "{{+{}+}}"}


def elide(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells at a word boundary where one is near, ending in ``…``."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    cut = out.rstrip()
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space].rstrip(" ,;:")
    return cut + "…"


def fitted_word_diff(listed: str, arxiv: str, width: int) -> str:
    """The word diff in ``width`` cells: whole when it fits, else with long runs of equal
    words shortened to fewer and fewer words beside each change, then cut."""
    for context in (None, 4, 3, CONTEXT, 1):
        text = elided_word_diff(listed, arxiv, context)
        if cell_len(text) <= width:
            return text
    return elide(text, width)


def elided_word_diff(listed: str, arxiv: str, context: int | None = CONTEXT) -> str:
    """The word diff with long runs of equal words shortened to their ``context`` words
    beside a change (None: whole)."""
    changes = word_changes(listed, arxiv)
    if context is None:
        return " ".join(_MARKS[c.kind].format(c.text) for c in changes)
    parts = []
    for i, c in enumerate(changes):
        if c.kind != "equal":
            parts.append(_MARKS[c.kind].format(c.text))
            continue
        words = c.text.split()
        keep_head = context if i + 1 < len(changes) else 0  # words before the next change
        keep_tail = context if i > 0 else 0  # words after the previous change
        if len(words) <= keep_head + keep_tail + 1:
            parts.append(c.text)
            continue
        tail = words[:keep_tail]
        head = words[len(words) - keep_head:] if keep_head else []
        parts.append(" ".join(tail + ["…"] + head))
    return " ".join(parts)


def _quoted(text: str | None, width: int) -> str:
    return f'"{elide(text or "", max(width - 2, 1))}"'


def _shared_prefix(listed: str, arxiv: str) -> tuple[str, str, str]:
    """``2105.05233: A`` and ``2105.05233: B`` -> ``A``, ``B`` and ``2105.05233: `` said once
    (a wrong ID's values both start with the ID): the room goes to the titles."""
    head, sep, rest = listed.partition(": ")
    if sep and len(head) <= 24 and arxiv.startswith(head + sep):
        return rest, arxiv[len(head) + len(sep):], head + sep
    return listed, arxiv, ""


def body(f: Finding, fix: str | None, width: int) -> str:
    """What differs, in at most ``width`` cells."""
    kind = f.kind.value
    if KINDS[f.kind].word_diff and f.listed and f.arxiv and f.listed != f.arxiv:
        return fitted_word_diff(f.listed, f.arxiv, width)
    if f.listed is not None and f.arxiv is not None and kind not in ("withdrawn", "duplicate", "link"):
        extra = f" → {elide(fix, max(width // 3, 12))}" if fix and fix != f.arxiv else ""
        listed_text, arxiv_text, lead = _shared_prefix(f.listed, f.arxiv)
        room = max(width - cell_len(extra) - cell_len(lead) - len('list  arXiv ""'), 20)
        listed, arxiv = _quoted(listed_text, room // 2), _quoted(arxiv_text, room - room // 2)
        theirs = "sources" if is_source_value(f.arxiv) else "arXiv"  # a venue from venuecheck
        return elide(f"{lead}list {listed} {theirs} {arxiv}{extra}", width)
    message = f.message.split(": ", 1)[1] if ": " in f.message[:24] else f.message
    extra = f" → {elide(fix, max(width // 3, 12))}" if fix else ""
    return elide(message, width - cell_len(extra)) + extra


def line(f: Finding, path: str, status: str, fix: str | None, fix_line: int | None,
         width: int = WIDTH) -> str:
    """``path:line: status kind id: what differs[ (fix on line N)]``, at most ``width`` cells."""
    where = f" (fix on line {fix_line})" if fix_line and fix_line != f.line else ""
    if f.reason:  # why it was decided so, kept short: -v shows it whole
        where += f" (why: {elide(f.reason, 32)})"
    head = f"{path}:{f.line}: {status} {f.kind.value} {f.id}: "
    room = width - cell_len(head) - cell_len(where)
    return head + body(f, fix, max(room, 16)) + where


def whole_line(f: Finding, path: str, status: str, fix: str | None, fix_line: int | None,
               words: str | None) -> str:
    """``-v``: the message and every value whole (the line may take many rows)."""
    text = f"{path}:{f.line}: {status} {f.kind.value} {f.id}: {' '.join(f.message.split())}"
    if words:
        text += f" [words: {words}]"
    if fix:
        text += f" [fix: {' '.join(fix.split())}]"
    if fix_line and fix_line != f.line:
        text += f" (fix on line {fix_line})"
    return text
