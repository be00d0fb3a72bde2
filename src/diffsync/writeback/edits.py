"""Byte edits of the list, and applying them.

The list is the maintainer's own file, so a fix replaces exactly the bytes
of the field it corrects and nothing else: line endings, trailing
whitespace, undecodable bytes and mojibake elsewhere stay as they are.
``planning`` decides the edits, ``diff`` shows them, ``atomicfile`` writes
the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from ..errors import DiffsyncError
from ..models import Kind, Span


@dataclass(frozen=True)
class Edit:
    """Replace ``data[span.start:span.end]`` (== ``old``) by ``new``; an empty span inserts."""

    span: Span
    old: bytes
    new: bytes
    finding_id: str  # several ids joined by "+" when two fixes were merged into one edit
    line: int  # 1-based line of the first byte touched


@dataclass(frozen=True)
class Skipped:
    finding_id: str
    kind: Kind
    line: int
    reason: str
    review_only: bool = False  # the fix needs a person on this entry (see _ReviewOnly)


@dataclass(frozen=True)
class ExportPlan:
    edits: tuple[Edit, ...]
    skipped: tuple[Skipped, ...]  # accepted findings that cannot be applied, and why
    applied: tuple[str, ...]  # ids of findings with at least one edit
    unchanged: tuple[str, ...]  # ids whose fix is already in the list
    review_only: tuple[str, ...] = ()  # ids of accepted review-only findings: nothing to write


def file_encoding(data: bytes) -> str:
    """UTF-8 unless the file has high bytes and not one valid UTF-8 sequence (then Latin-1)."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    has_real_utf8 = any(ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in text)
    return "utf-8" if has_real_utf8 else "latin-1"


def encode_text(text: str, encoding: str) -> bytes:
    # A Latin-1 file cannot hold every name; an HTML character reference renders
    # the same in Markdown and keeps the file in one encoding.
    return text.encode(encoding, errors="xmlcharrefreplace")


def resolve_overlaps(edits: list[Edit]) -> tuple[list[Edit], list[tuple[Edit, str]]]:
    """Sorted, non-overlapping edits; identical duplicates merged; real conflicts returned."""
    ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end - e.span.start))
    out: list[Edit] = []
    conflicts: list[tuple[Edit, str]] = []
    for edit in ordered:
        prev = out[-1] if out else None
        if prev is None or edit.span.start >= prev.span.end and not (
            edit.span == prev.span and edit.span.start == edit.span.end
        ):
            out.append(edit)
            continue
        if edit.span == prev.span and edit.new == prev.new:
            continue  # the same fix reached twice (two findings for one paper)
        merged = _merge_nested(prev, edit) or _merge_nested(edit, prev)
        if merged is not None:
            out[-1] = merged
        else:
            conflicts.append((edit, prev.finding_id))
    return out, conflicts


def _merge_nested(outer: Edit, inner: Edit) -> Edit | None:
    """A wrong_id fix inside a link being repaired: both go into one edit."""
    if not (outer.span.start <= inner.span.start and inner.span.end <= outer.span.end):
        return None
    if inner.span.start == inner.span.end or outer.new.count(inner.old) != 1:
        return None
    return replace(outer, new=outer.new.replace(inner.old, inner.new),
                   finding_id=f"{outer.finding_id}+{inner.finding_id}")


def apply_edits(data: bytes, edits: Sequence[Edit]) -> bytes:
    """``data`` with ``edits`` applied; the bytes between edits are copied untouched."""
    out: list[bytes] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if edit.span.start < pos or data[edit.span.start:edit.span.end] != edit.old:
            raise DiffsyncError(f"internal: edit for finding {edit.finding_id} does not fit the list")
        out.append(data[pos:edit.span.start])
        out.append(edit.new)
        pos = edit.span.end
    out.append(data[pos:])
    return b"".join(out)
