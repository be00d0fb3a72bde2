"""Read a curated Markdown list into entries, every field with its byte span.

Entries come in the list's own shape (``models.SHAPES``): bold-title
paragraphs (``paragraphs``, the reference shape), list items (``items``),
table rows (``rows``) and a heading per paper (``headingblocks``); ``vote``
picks the shape per section and counts the arXiv links outside entries.

The file's bytes are never changed or normalised: text is decoded with
``surrogateescape`` so every character maps back to its bytes, and every
span is a byte offset into the original data.  Export relies on this to
replace exactly the bytes of one field.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any, Mapping

from . import vote
from .comments import html_comments, masked, unclosed
from ..errors import ListReadError, os_error_line, shown_name
from .lines import dominant_newline, iter_lines as _iter_lines
from .paragraphs import read_paragraphs
from .text import split_authors
from ..models import ParsedList

_BOM = b"\xef\xbb\xbf"


def _file_problems(data: bytes, body: int) -> list[str]:
    problems = []
    if body:
        problems.append("file starts with a UTF-8 byte-order mark (kept as is)")
    endings = {"CRLF": data.count(b"\r\n")}
    endings["CR"] = data.count(b"\r") - endings["CRLF"]
    endings["LF"] = data.count(b"\n") - endings["CRLF"]
    if sum(1 for n in endings.values() if n) > 1:
        mixed = ", ".join(f"{n} {name}" for name, n in endings.items() if n)
        problems.append(f"mixed line endings ({mixed}); every line is read and each ending kept as is")
    try:
        data[body:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = body + exc.start
        lines = list(_iter_lines(data, body))  # rare: only to name the line
        line = next((ln.number for ln in lines if ln.start <= at < ln.end), len(lines))
        problems.append(
            f"not valid UTF-8 (first bad byte on line {line}); shown with U+FFFD, bytes kept as is"
        )
    return problems


def _comment_lines(data: bytes, view: bytes, body: int) -> frozenset[int]:
    """Numbers of the lines that hold nothing but an HTML comment (blank in ``view`` only)."""
    return frozenset(a.number for a, b in zip(_iter_lines(view, body), _iter_lines(data, body))
                     if not a.text.strip() and b.text.strip())


# The shape the settings ask for (``--shape`` / ``[list] shape``), for every parse of
# this process that names none: the check, the export and its read-back then agree.
# ``lists``: a list's own shape ([[lists]] shape) by its resolved path, over the default.
_ASKED: dict[str, Any] = {"shape": None, "source": "config", "lists": {}}


def use_shape(shape: str | None, source: str = "config",
              per_list: Mapping[str, str] | None = None) -> None:
    """Read every list of this process in ``shape`` (None: infer it per section), and the
    lists keyed (by resolved path) in ``per_list`` in their own shape."""
    _ASKED.update(shape=shape, source=source, lists=dict(per_list or {}))


def asked_shape(path: str) -> tuple[str | None, str]:
    """The shape ``use_shape`` asks for the list at ``path``, and who asked."""
    own = _ASKED["lists"]
    if own and not path.startswith("<"):
        shape = own.get(str(Path(path).expanduser().resolve()))
        if shape:
            return shape, _ASKED["source"] or "config"
    return _ASKED["shape"], _ASKED["source"] or "config"


def parse_list(data: bytes, path: str = "<list>", shape: str | None = None,
               shape_source: str = "flag") -> ParsedList:
    """Every entry of the list in ``data``; ``data`` is only read, never changed.

    ``shape`` (one of ``models.SHAPES``) reads every section in that shape
    instead of voting; ``shape_source`` says who asked ("flag" or "config").
    Without ``shape``, the one ``use_shape`` set for ``path``, if any.
    """
    asked, asked_source = asked_shape(path)
    if shape is None and asked is not None:
        shape, shape_source = asked, asked_source
    elif shape is not None and shape == asked:
        shape_source = asked_source or shape_source
    body = len(_BOM) if data.startswith(_BOM) else 0
    newline = dominant_newline(data).decode()
    # Nothing inside an HTML comment is an entry: the list is read with each comment
    # blanked out, at the same byte offsets, so every span still points into ``data``.
    comments = html_comments(data)
    view = masked(data, comments)
    hidden = _comment_lines(data, view, body) if comments else frozenset()
    paragraphs, headings = read_paragraphs(view, body, hidden)
    entries, sections, coverage = vote.read_entries(view, body, paragraphs, headings, shape, shape_source,
                                                    hidden)
    problems = _file_problems(data, body)
    hidden_from = unclosed(data, comments)
    if hidden_from is not None:
        at = data.count(b"\n", 0, hidden_from) + 1
        problems.append(f"an HTML comment opened on line {at} is never closed: nothing after it "
                        "is read (GitHub shows nothing after it either)")
    if not entries:
        problems.append("no entries found (an entry is a **bold title** paragraph, a list item, a table row "
                        "or a heading with a paper link)")
    return ParsedList(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        entries=tuple(entries),
        newline=newline,
        problems=tuple(problems),
        headings=tuple(headings),
        sections=tuple(sections),
        coverage=coverage,
    )


def _refuse_non_text(data: bytes, path: Path) -> None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ListReadError(f"{path}: is UTF-16 encoded; save it as UTF-8")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ListReadError(f"{path}: is a binary file (contains NUL bytes), not a Markdown list")
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if control > len(sample) // 20:
        raise ListReadError(f"{path}: is a binary file (mostly control bytes), not a Markdown list")


DEFAULT_MAX_MB = 64.0  # [list] max_mb: far above any real list (the largest known is ~1 MB)


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Opened non-blocking and checked on the open descriptor: a FIFO would
    block a plain open until a writer came, and /dev/zero never ends.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ListReadError(f"{shown_name(path)}: no such file") from None
    except PermissionError:
        raise ListReadError(f"{shown_name(path)}: permission denied") from None
    except IsADirectoryError:
        raise ListReadError(f"{path}: is a directory, not a list file") from None
    except OSError as exc:  # a name too long, a loop of symlinks...
        raise ListReadError(f"cannot read the list: {os_error_line(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ListReadError(f"{path}: is a directory, not a list file")
        if not stat.S_ISREG(mode):
            kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                    else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
            raise ListReadError(f"{path}: is {kind}, not a list file; give a regular file")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # checked while reading: the file may grow after fstat
                raise ListReadError(
                    f"{path}: is larger than [list] max_mb ({max_bytes / 1e6:g} MB); "
                    "raise it if this really is the list")
        return b"".join(chunks)
    except IsADirectoryError:
        raise ListReadError(f"{path}: is a directory, not a list file") from None
    except OSError as exc:
        raise ListReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_list(path: Path, max_mb: float = DEFAULT_MAX_MB, shape: str | None = None
              ) -> tuple[bytes, ParsedList]:
    """The list file's bytes and its entries; ``ListReadError`` if it cannot be a paper list.

    Refused: a missing, unreadable or non-regular file, one over ``max_mb``,
    an empty or binary one, and one in which no entry is found (a success
    exit on 0 entries would let CI pass on the wrong file).
    """
    path = Path(path)
    data = _read_regular(path, int(max_mb * 1_000_000))
    if not data.strip(_BOM + b" \t\r\n"):
        raise ListReadError(f"{path}: is empty")
    _refuse_non_text(data, path)
    parsed = parse_list(data, str(path), shape=shape, shape_source="config")
    if not parsed.entries:
        links = parsed.coverage.links if parsed.coverage else 0
        raise ListReadError(
            f"no paper entries found in {path} (is this a paper list?); "
            + (f"it has {links} arXiv links, but no bold-title paragraph, list item, table row or "
               "heading around them reads as a paper: --shape item, row, heading or paragraph picks one"
               if links else "an entry is a **bold title** paragraph, a list item, a table row or a "
               "heading with a paper link"))
    return data, parsed


__all__ = ["parse_list", "read_list", "split_authors", "use_shape"]
