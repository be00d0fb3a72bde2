"""The lines of a list file, each with its byte range: spans stay byte offsets.

The file is decoded once with ``surrogateescape`` so every character maps back
to its bytes; a line ends at CRLF, a lone CR or LF, each kept as written.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..models import Span


class Line:
    """One line of the file: its number, byte range and decoded text."""

    __slots__ = ("number", "start", "end", "text", "ascii")

    def __init__(self, number: int, start: int, end: int, text: str, ascii: bool) -> None:
        self.number = number  # 1-based
        self.start = start  # byte offset of the line's first byte
        self.end = end  # byte offset after its newline (or end of data)
        self.text = text  # without the line ending, decoded with surrogateescape
        self.ascii = ascii

    def byte(self, i: int) -> int:
        """The byte offset of character ``i`` of this line."""
        if self.ascii:
            return self.start + i
        return self.start + len(self.text[:i].encode("utf-8", "surrogateescape"))

    def span(self, i: int, j: int) -> Span:
        if self.ascii:
            return Span(self.start + i, self.start + j)
        return Span(self.byte(i), self.byte(j))


# A line ends at CRLF, a lone CR (old Mac, or a list pasted across systems)
# or LF: each is kept as written, and every line is read.
_EOL = re.compile(r"(\r\n|\r|\n)")


def _line_breaks(decoded: str) -> Iterator[tuple[int, int]]:
    """Where each line end of ``decoded`` starts and stops; last, the end of the text."""
    if "\r" not in decoded:  # the usual case: str.find is much faster than a regex
        find = decoded.find
        i = find("\n")
        while i >= 0:
            yield i, i + 1
            i = find("\n", i + 1)
    else:
        for m in _EOL.finditer(decoded):
            yield m.span()
    yield len(decoded), len(decoded)


def iter_lines(data: bytes, start: int) -> Iterator[Line]:
    """The lines of ``data[start:]`` one at a time: a 50,000-entry list is never held
    as 200,000 line objects at once (that peak stayed in the process's memory)."""
    # Decoded in one go: surrogateescape maps each undecodable byte to one
    # character and never joins bytes across a line end, so lines split alike.
    decoded = data[start:].decode("utf-8", "surrogateescape")
    pos, at = start, 0
    for number, (brk, after) in enumerate(_line_breaks(decoded), start=1):
        text = decoded[at:brk]
        if brk == after and not text:
            return  # the file ends with a line end
        ascii = text.isascii()
        end = pos + (len(text) if ascii else len(text.encode("utf-8", "surrogateescape"))) + after - brk
        yield Line(number, pos, end, text, ascii)
        pos, at = end, after


def dominant_newline(data: bytes) -> bytes:
    """The file's line ending, for new lines written into it (the one rule: parse and export).

    CR-only when lone CRs outnumber every LF; else CRLF when at least as many lines end
    in CRLF as in a bare LF; else LF.
    """
    crlf = data.count(b"\r\n")
    if data.count(b"\r") - crlf > data.count(b"\n"):
        return b"\r"
    return b"\r\n" if crlf and crlf * 2 >= data.count(b"\n") else b"\n"


__all__ = ["Line", "dominant_newline", "iter_lines"]
