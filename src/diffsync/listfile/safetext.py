"""arXiv text made safe to write into Markdown: it renders as the plain text it is.

A title or name from arXiv goes inside an entry's ``**title**`` or
``*authors*`` span, and into the daemon's Markdown report.  Markdown and
HTML metacharacters in it would open or close emphasis, links, code or tags
there and change the entry's structure, so each is backslash-escaped (which
CommonMark renders as the character itself, and which the drift rules fold
away like any punctuation).  Line breaks become spaces; bidirectional
controls, zero-width characters and every other invisible format character
(Unicode category Cf) are dropped, so nothing a reader cannot see is written.  TeX math (``$^2$``) stays as
arXiv has it, unless it holds a character that could break the entry.
"""

from __future__ import annotations

import re

from ..textnorm import without_format_chars

# Characters that open or close emphasis, code, links or HTML tags.
_META = frozenset("\\`*_[]<>~")
_ANY_META = re.compile("[" + re.escape("".join(sorted(_META))) + "]")
# Inside ``$...$`` only these could still change the entry (a ``**`` ends a title).
_MATH_UNSAFE = re.compile(r"[*`\[\]<>\n\r]")
_MATH = re.compile(r"\$[^$\n]+\$")
# "&lt;" or "&#42;" would be read as an HTML character reference.
_ENTITY = re.compile(r"&(?=#?\w+;)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def _escape_plain(text: str) -> str:
    if not _ANY_META.search(text):  # most titles: no character to escape, no per-character loop
        return _ENTITY.sub(r"\\&", text)
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            # A lone backslash is literal; one before a metacharacter or at the
            # end (before the closing ``*``) would escape it.
            out.append("\\\\" if nxt == "" or nxt in _META else "\\")
        elif ch in _META:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _ENTITY.sub(r"\\&", "".join(out))


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as that text, on one line, and opens or closes nothing."""
    # Bidi controls reorder what a reader sees; zero-width ones hide in what looks equal.
    text = without_format_chars(text)
    text = " ".join(_CONTROL.sub(" ", text).split())
    out: list[str] = []
    pos = 0
    for m in _MATH.finditer(text):
        out.append(_escape_plain(text[pos:m.start()]))
        math = m.group(0)
        out.append(_escape_plain(math) if _MATH_UNSAFE.search(math) else math)
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def markdown_cell(text: str) -> str:
    """``markdown_text`` for a table cell: a ``|`` would end the cell."""
    return markdown_text(text).replace("|", "\\|")
