"""Text inside a list entry, for people: names, encodings, mojibake.

The parser keeps the bytes as written; these helpers only decide how the
text reads (author names without markup, U+FFFD for undecodable bytes) and
notice double-encoded text so a user is told rather than "fixed" silently.
"""

from __future__ import annotations

import re

from ..textnorm import undo_mojibake

_ANONYMOUS = re.compile(r"^(?:anonymous(?:[ \t]+authors?|[ \t]+author\(s\))?|none|n/?a|unknown)$", re.IGNORECASE)
# Markup in an author line: ``<sup>..</sup>`` and ``<sub>..</sub>`` with their
# content, any other ``<tag>``, ``\*``, ``*`` and ``_``.  Only the fixed tokens
# are found by the regex; where a tag ends is looked up in ``_strip_markup``,
# so text with many ``<`` and no ``>`` stays linear (a lazy ``.*?`` per ``<``
# rescans the rest of the line every time).
# A backslash-escaped "\<" is text (export writes arXiv's "<" that way), not a tag.
_MARKUP_TOKEN = re.compile(r"<su[pb]>|(?<!\\)<|\\\*|[*_]", re.IGNORECASE)
_CLOSE_SUP = re.compile(r"</su[pb]>", re.IGNORECASE)
# The look-behind starts a match only where a blank run starts: without it
# every blank of a long run would rescan the run.
_NAME_SPLIT = re.compile(r"(?:(?<![ \t])[ \t]+)?(?:,|;|&|\band\b)[ \t]*", re.IGNORECASE)
# "et al." anywhere, footnote marks only at a name's end ("¶", "§" are left
# alone: they occur inside mojibake such as "BjÃ¶rn").
_NAME_JUNK = re.compile(r"\bet[ \t]+al\.?|(?<=\w)[†‡∗#]+$", re.IGNORECASE)


def display(text: str) -> str:
    """Text for people: undecodable bytes become U+FFFD, never a crash."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def mojibake_fix(text: str) -> str | None:
    """What ``text`` was before it was double-encoded (UTF-8 read as cp1252), if it was."""
    if text.isascii():
        return None
    fixed = undo_mojibake(text)
    return fixed if fixed != text else None


class _NextMatch:
    """Where ``find`` next succeeds at or after a position, for positions that only grow.

    Remembering the last answer makes a scan of every ``<`` of a line
    linear: each stretch of text is searched once, however many ``<`` ask.
    """

    def __init__(self, find) -> None:  # find(pos) -> (start, end) or None
        self._find = find
        self._asked = -1
        self._found: tuple[int, int] | None = None

    def at_or_after(self, pos: int) -> tuple[int, int] | None:
        if self._asked < 0 or (self._found is not None and self._found[0] < pos):
            self._asked, self._found = pos, self._find(pos)
        return self._found


def _strip_markup(text: str) -> str:
    r"""``text`` without markup, as ``<su[pb]>.*?</su[pb]>|<[^>]+>|\\\*|[*_]`` would strip it."""
    if "<" not in text and "*" not in text and "_" not in text:
        return text

    def gt(pos: int) -> tuple[int, int] | None:
        i = text.find(">", pos)
        return (i, i + 1) if i >= 0 else None

    def close(pos: int) -> tuple[int, int] | None:
        m = _CLOSE_SUP.search(text, pos)
        return m.span() if m else None

    def nl(pos: int) -> tuple[int, int] | None:
        i = text.find("\n", pos)
        return (i, i + 1) if i >= 0 else None

    next_gt, next_close, next_newline = _NextMatch(gt), _NextMatch(close), _NextMatch(nl)
    out: list[str] = []
    done = 0  # text[:done] is handled
    for m in _MARKUP_TOKEN.finditer(text):
        start = m.start()
        if start < done:
            continue  # inside markup already removed
        token = m.group(0)
        end = None
        if token[0] != "<":
            end = m.end()
        else:
            if len(token) > 1:  # <sup> or <sub>: up to the first closing tag on the line
                found = next_close.at_or_after(m.end())
                newline = next_newline.at_or_after(m.end())
                if found and (newline is None or newline[0] > found[0]):
                    end = found[1]
            if end is None and start + 1 < len(text) and text[start + 1] != ">":
                found = next_gt.at_or_after(start + 2)
                end = found[1] if found else None
        if end is not None:
            out.append(text[done:start])
            done = end
    out.append(text[done:])
    return "".join(out)


def split_authors(text: str) -> tuple[str, ...]:
    """Author names from an author line: markup, ``<sup>`` marks, ``et al.`` dropped.

    "Anonymous authors" (and placeholders like "None") give no names.
    """
    plain = _strip_markup(text).strip()
    if _ANONYMOUS.match(plain):
        return ()
    names = []
    for part in _NAME_SPLIT.split(plain):
        name = " ".join(_NAME_JUNK.sub(" ", part).split()).strip(" .")
        if name and not _ANONYMOUS.match(name):
            names.append(name)
    return tuple(_surname_first_pairs(names))


def _surname_first_pairs(names: list[str]) -> list[str]:
    """ "Chen, Haoxing, Xu, Zhuoer" is two people written "Surname, Given": pair them up.

    Only when there are at least four parts, an even number, all single
    words: full names have spaces, and two lone words may be two handles.
    """
    if len(names) < 4 or len(names) % 2 or any(" " in n for n in names):
        return names
    return [f"{given} {family}" for family, given in zip(names[::2], names[1::2])]


__all__ = ["display", "mojibake_fix", "split_authors"]
