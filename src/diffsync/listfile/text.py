"""Text inside a list entry, for people: names, encodings, mojibake.

The parser keeps the bytes as written; these helpers only decide how the
text reads (author names without markup, U+FFFD for undecodable bytes) and
notice double-encoded text so a user is told rather than "fixed" silently.
"""

from __future__ import annotations

import re

from ..textnorm import undo_mojibake

_ANONYMOUS = re.compile(r"^(?:anonymous(?:[ \t]+authors?|[ \t]+author\(s\))?|none|n/?a|unknown)$", re.IGNORECASE)
# A backslash-escaped "\<" is text (export writes arXiv's "<" that way), not a tag.
_MARKUP = re.compile(r"<su[pb]>.*?</su[pb]>|(?<!\\)<[^>]+>|\\\*|[*_]", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"[ \t]*(?:,|;|&|\band\b)[ \t]*", re.IGNORECASE)
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


def split_authors(text: str) -> tuple[str, ...]:
    """Author names from an author line: markup, ``<sup>`` marks, ``et al.`` dropped.

    "Anonymous authors" (and placeholders like "None") give no names.
    """
    plain = _MARKUP.sub("", text).strip()
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
