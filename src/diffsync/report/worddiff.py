"""Which words differ between what the list has and what arXiv has.

The one home of the word diff: every place that marks changed words (the
review screen, the table's fix column, the concise lines, the Markdown
report) asks ``word_changes`` and only chooses how to mark them.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from typing import Callable, Literal


@dataclass(frozen=True)
class WordChange:
    """One run of words: ``kind`` is ``equal``, ``gone`` (only in the list) or ``new`` (only on arXiv)."""
    kind: Literal["equal", "gone", "new"]
    text: str


def word_changes(listed: str, arxiv: str) -> tuple[WordChange, ...]:
    """``listed`` -> ``arxiv`` as runs of equal, gone and new words (split on whitespace)."""
    a, b = listed.split(), arxiv.split()
    out: list[WordChange] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(WordChange("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(WordChange("gone", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(WordChange("new", " ".join(b[j1:j2])))
    return tuple(out)


def _marked(listed: str, arxiv: str, mark: Callable[[WordChange], str]) -> str:
    return " ".join(mark(c) for c in word_changes(listed, arxiv))


def word_diff(listed: str, arxiv: str) -> str:
    """Plain-text marks, as ``git diff --word-diff``: ``[-gone-]`` and ``{+new+}``."""
    brackets = {"equal": "{}", "gone": "[-{}-]", "new": "{{+{}+}}"}
    return _marked(listed, arxiv, lambda c: brackets[c.kind].format(c.text))


def html_word_diff(listed: str, arxiv: str, escape: Callable[[str], str] | None = None) -> str:
    """HTML marks for the Markdown report: ``<del>gone</del>`` and ``<ins>new</ins>``, text
    escaped (by ``escape`` when given: the report escapes for a Markdown table cell)."""
    tags = {"equal": "{}", "gone": "<del>{}</del>", "new": "<ins>{}</ins>"}
    esc = escape or (lambda text: html.escape(text, quote=False))
    return _marked(listed, arxiv, lambda c: tags[c.kind].format(esc(c.text)))
