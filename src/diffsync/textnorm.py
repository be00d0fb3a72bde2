"""Normalising titles and names so only real differences count as drift.

Lists and arXiv write the same title or name in many cosmetic forms:
case, whitespace, punctuation and dashes, TeX (``$\\alpha$``,
``\\textit{x}``, ``{GAN}``), Unicode forms (NFC/NFD, full-width),
diacritics (``Müller``/``Muller``) and mojibake (``MÃ¼ller``, UTF-8 read
as cp1252).  Everything here maps those forms to one comparison key, so
two texts with the same key differ only cosmetically.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# TeX commands that stand for letters; the rest are dropped with their braces kept.
_TEX_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
).split()
_GREEK_LETTERS = "αβγδεεζηθθικλμνξοππρρσςτυφφχψω"
_GREEK_NAME = {ch: name.removeprefix("var") for ch, name in zip(_GREEK_LETTERS, _TEX_GREEK)}
_GREEK_NAME.update({ch.upper(): n for ch, n in _GREEK_NAME.items() if ch.upper() != ch})
_GREEK_TABLE = str.maketrans(_GREEK_NAME)
_TEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHckr]\s*\{?\s*([A-Za-z])\}?")  # \"{u} -> u
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
_TEX_SYMBOL = {"ss": "ss", "o": "o", "O": "O", "ae": "ae", "AE": "AE", "l": "l", "L": "L", "i": "i"}

# Letters NFKD does not split into base + mark.
_LETTER_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "ð": "d"}
)

# Characters that only appear in text when UTF-8 was decoded as cp1252/latin-1.
_MOJIBAKE_HINT = re.compile("[ÃÂâÅÄÆÐÑØÙÚÛÜÝÞßàáãäåæçèéêëìíîïðñòóôõöùúûüýþÿ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


def without_format_chars(text: str) -> str:
    """``text`` without invisible format characters (Unicode category Cf).

    Bidi controls (U+202E), zero-width spaces and joiners (U+200B, U+200D),
    word joiners (U+2060), soft hyphens and BOMs render as nothing or reorder
    what a reader sees: they are never part of what a title or name says.
    """
    if text.isascii():  # nearly every title: no per-character look-up
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def fix_mojibake(text: str) -> str:
    """``text`` as it was before UTF-8 was read as cp1252 (or latin-1), else unchanged.

    Only undone when the round trip decodes as valid UTF-8, so real
    accented text ("Björn") is never touched.
    """
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    return undo_mojibake(text) or text


def undo_mojibake(text: str) -> str | None:
    """``text`` re-encoded as cp1252 (latin-1 where cp1252 has a hole) and decoded as UTF-8,
    or None when that is not valid UTF-8 (so the text was not double-encoded)."""
    raw = bytearray()
    try:
        for ch in text:
            # cp1252 for its 0x80-0x9f punctuation; latin-1 covers the bytes cp1252 leaves undefined
            raw += ch.encode("cp1252") if ord(ch) > 0xFF else bytes([ord(ch)])
        return raw.decode("utf-8")
    except (UnicodeError, ValueError):
        return None


def strip_tex(text: str) -> str:
    """Plain text of TeX markup: ``$\\mathcal{O}(n)$`` -> ``O(n)``, ``\\alpha`` -> ``alpha``."""
    text = _TEX_ACCENT.sub(r"\1", text)

    def command(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.removeprefix("var") in _TEX_GREEK or name.lower() in _TEX_GREEK:
            return name.lower().removeprefix("var") + " "
        return _TEX_SYMBOL.get(name, "") + (" " if name in _TEX_SYMBOL else "")

    text = _TEX_COMMAND.sub(command, text)
    return text.replace("$", "").replace("{", "").replace("}", "").replace("\\", " ")


# A check folds each title and name many times (rules, matching, keys): cache them.
# 16k texts cover one entry's rules and the names lists repeat; 128k made a
# 50,000-entry check hold ~35 MB more for ~5% less compare time.
@lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """Lower-case ASCII-ish letters: mojibake undone, TeX stripped, NFKC, no diacritics."""
    if text.isascii():  # NFKC/NFKD, Greek and diacritics change nothing in ASCII
        return strip_tex(text).casefold()
    text = strip_tex(fix_mojibake(text))
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_GREEK_TABLE)
    text = unicodedata.normalize("NFKD", text.translate(_LETTER_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


_WORD = re.compile(r"[^\W_]+")
# "&" is the word "and" ("Sampling \& Guidance" = "Sampling and Guidance"), not punctuation.
_AMPERSAND = re.compile(r"&")


def words(text: str) -> list[str]:
    """The alphanumeric words of ``text`` after folding (punctuation and dashes split words)."""
    return list(_words(text))


@lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_AMPERSAND.sub(" and ", fold(text))))


def title_key(title: str) -> str:
    """Comparison key for a title: equal keys differ only cosmetically.

    Words are joined with nothing, so "Zero-shot", "Zero shot" and
    "Zeroshot" compare equal, as do "Text-to-Image" and "Text to Image".
    """
    return "".join(words(title))


def title_text(title: str) -> str:
    """Folded title with single spaces, for fuzzy scoring."""
    return " ".join(words(title))


def collapse(text: str) -> str:
    """Whitespace collapsed, nothing else: the strict-mode comparison."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# A trailing citation pasted into a title: ", Sangyun Lee et al., 2022" / " (Lee et al. 2022)".
_LEFTOVER = re.compile(
    r"\s*[,(\[]?\s*(?:[^\W\d_][\w.'-]*\s+){0,3}[^\W\d_][\w'-]*\s+et\s*al\.?,?\s*(?:\(?\s*(?:19|20)\d\d\s*\)?)?[)\]]?\s*$"
)


# _LEFTOVER backtracks at every word of a title; this cheap test rules most titles out first.
_ET_AL = re.compile(r"\set\s*al")


# A pasted citation is a few words at the end: _LEFTOVER is tried only on the
# title's last _LEFTOVER_WINDOW characters (from a word start), which keeps a
# hostile title of thousands of words linear.
_LEFTOVER_WINDOW = 300


def _leftover(title: str) -> re.Match[str] | None:
    if not _ET_AL.search(title):
        return None
    end = len(title.rstrip())
    start = max(0, end - _LEFTOVER_WINDOW)
    if start:
        blank = re.search(r"\s", title[start:end])
        start = start + blank.start() if blank else end
    m = _LEFTOVER.search(title, start, end)
    return m


def citation_leftover(title: str) -> str | None:
    """The trailing "Author et al., YEAR" pasted into a title, if there is one."""
    m = _leftover(title)
    return m.group(0).strip() if m and m.start() > 0 else None


def without_leftover(title: str) -> str:
    m = _leftover(title)
    return title[: m.start()].rstrip(" ,;") if m and m.start() > 0 else title
