"""Where a list's HTML comments ``<!-- … -->`` are: nothing inside one is an entry.

A maintainer comments out an entry to hide it from readers; GitHub renders
nothing of it, so diffsync must neither read it (check it, report it) nor
write into it (fix it).  ``html_comments`` finds each comment's byte range
as CommonMark does: not inside a fenced code block nor an inline code span;
``<!-->`` and ``<!--->`` are complete (empty) comments; a comment opened at
the start of a line and never closed runs to the end of the file (an HTML
block), one opened mid-line and never closed is just text.  ``masked`` blanks
those ranges, so a parser reads the list without them at the same byte
offsets, and spans into the masked bytes are spans into the file.
"""

from __future__ import annotations

import re

from ..models import Span

_OPEN = b"<!--"
_CLOSE = b"-->"
_FENCE = re.compile(rb" {0,3}(`{3,}|~{3,})")  # match() at a line start
_LINE_END = re.compile(rb"\r\n|\r|\n")
_NOT_LINE_END = re.compile(rb"[^\r\n]")
_BACKTICKS = re.compile(rb"`+")
_BLOCK_START = re.compile(rb" {0,3}<!--")  # match() at a line start


def html_comments(data: bytes) -> tuple[Span, ...]:
    """The byte ranges of ``data``'s HTML comments, ``<!--`` to ``-->`` inclusive, in order."""
    if _OPEN not in data:  # most lists: nothing to scan
        return ()
    spans: list[Span] = []
    fence: bytes | None = None  # the open fence's run, e.g. b"```"
    pos, n = 0, len(data)
    mid_line = False  # resuming after a comment: no fence can open here
    while pos < n:
        brk = _LINE_END.search(data, pos)
        line_end, next_line = (brk.start(), brk.end()) if brk else (n, n)
        if not mid_line:
            run = _FENCE.match(data, pos, line_end)
            if fence is not None:
                if run and run.group(1)[:1] == fence[:1] and len(run.group(1)) >= len(fence) \
                        and not data[run.end():line_end].strip():
                    fence = None
                pos = next_line
                continue
            if run and not (run.group(1)[:1] == b"`" and b"`" in data[run.end():line_end]):
                fence = run.group(1)
                pos = next_line
                continue
        at = _open_outside_code(data, pos, line_end)
        if at < 0:
            pos, mid_line = next_line, False
            continue
        after = at + len(_OPEN)
        block = not mid_line and (m := _BLOCK_START.match(data, pos)) is not None and m.end() == after
        if data.startswith(b">", after):
            end = after + 1
        elif data.startswith(b"->", after):
            end = after + 2
        elif (close := data.find(_CLOSE, after)) >= 0:
            end = close + len(_CLOSE)
        elif block:
            end = n  # an HTML block never closed: the rest of the file
        else:
            pos, mid_line = after, True  # never closed, mid-line: literal text
            continue
        spans.append(Span(at, end))
        pos, mid_line = end, True
    return tuple(spans)


def _open_outside_code(data: bytes, pos: int, line_end: int) -> int:
    """The first ``<!--`` in ``data[pos:line_end]`` not inside an inline code span; -1 if none."""
    i = pos
    while True:
        at = data.find(_OPEN, i, line_end)
        if at < 0:
            return -1
        tick = _BACKTICKS.search(data, i, at)
        if tick is None:
            return at
        # A code span closes at the next run of exactly as many backticks.
        closing = re.compile(rb"(?<!`)" + tick.group(0) + rb"(?!`)").search(data, tick.end(), line_end)
        i = tick.end() if closing is None else closing.end()  # unmatched: literal backticks


def masked(data: bytes, spans: tuple[Span, ...]) -> bytes:
    """``data`` with every byte of ``spans`` but line ends turned into a space: same offsets."""
    if not spans:
        return data
    out = bytearray(data)
    for span in spans:
        out[span.start:span.end] = _NOT_LINE_END.sub(b" ", data[span.start:span.end])
    return bytes(out)


def unclosed(data: bytes, spans: tuple[Span, ...]) -> int | None:
    """The byte offset of a comment never closed (it hides the rest of the file), else None."""
    if spans and spans[-1].end == len(data) and not data.endswith(_CLOSE):
        return spans[-1].start
    return None
