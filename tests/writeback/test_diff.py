"""The export diff built from edit spans is byte-identical to difflib's unified diff."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings, strategies as st

from diffsync.models import Kind, Span
from diffsync.writeback.diff import _opcodes, diff_from_edits
from diffsync.writeback.diff import unified_diff
from diffsync.writeback.edits import Edit, apply_edits
from diffsync.writeback.planning import plan_export
from helpers.export import DDPM, LIST, finding, parsed

# Few distinct lines, so duplicates and autojunk's "popular" lines (blank lines above all) are common.
LINE = st.sampled_from(["", "", "", "**A Title** \\", "*Ann Author, Bo Writer* \\", "arXiv 2021. [[Paper](x)]",
                        "---", "## Section", "\\", "Café", "x"]) | st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
                           blacklist_categories=("Cs",)), max_size=12)
NEW_TEXT = st.text(alphabet="abcdeAB \u00e9*\\[]()", max_size=8)


@st.composite
def file_and_edits(draw):
    lines = draw(st.lists(LINE, min_size=1, max_size=draw(st.sampled_from([12, 60, 250]))))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from([ending, ""]))
    old = text.encode()
    if draw(st.booleans()):
        old = old.replace(b"\xc3\xa9", b"\xe9")  # an undecodable Latin-1 byte
    starts, pos = [], 0
    for line in old.split(b"\n"):
        starts.append((pos, pos + len(line.rstrip(b"\r"))))
        pos += len(line) + 1
    picked = draw(st.lists(st.integers(0, len(starts) - 1), unique=True, max_size=25))
    edits = []
    for k in sorted(picked):
        lo, hi = starts[k]
        a = draw(st.integers(lo, hi))
        b = draw(st.integers(a, hi))
        new = draw(NEW_TEXT).encode()
        if old[a:b] != new:
            edits.append(Edit(Span(a, b), old[a:b], new, f"f{k}", k + 1))
    return old, edits


@settings(max_examples=int(os.environ.get("DIFFSYNC_DIFF_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_and_edits(), st.sampled_from([0, 1, 3]))
def test_diff_from_edits_is_difflibs_unified_diff(case, context):
    old, edits = case
    new = apply_edits(old, edits)
    assert diff_from_edits(old, new, edits, "list.md", context) == unified_diff(old, new, "list.md", context)


def test_the_write_back_tests_cases_give_difflibs_diff():
    data = LIST
    cases = [
        [finding(Kind.TITLE, 4, DDPM.title)],
        [finding(Kind.DATE, 4, "2020-06-19")],
        [finding(Kind.AUTHORS, 4, "Jonathan Ho, Ajay Jain, Pieter Abbeel")],
        [finding(Kind.TITLE, 4, DDPM.title), finding(Kind.DATE, 4, "2020-06-19")],
    ]
    shown = 0
    for accepted in cases:
        edits = list(plan_export(data, parsed(data), accepted, {DDPM.arxiv_id: DDPM}).edits)
        new = apply_edits(data, edits)
        expected = unified_diff(data, new, "papers.md")
        assert diff_from_edits(data, new, edits, "papers.md") == expected
        shown += bool(expected)
    assert shown == len(cases)


def _assert_retitled_like_difflib(old: bytes, numbers: range) -> None:
    """" Models" added to the title of Paper N for each N in ``numbers``, in order: the diff
    built from those edits is difflib's, byte for byte."""
    edits, pos = [], 0
    for n in numbers:
        title = f"Paper {n} on Diffusion".encode()
        at = old.index(title, pos)
        edits.append(Edit(Span(at, at + len(title)), title, title + b" Models", f"f{n}", 1))
        pos = at + len(title)
    new = apply_edits(old, edits)
    lines = [t.decode().splitlines(keepends=True) for t in (old, new)]
    assert _opcodes(old, edits, *lines) is not None  # built from the edits, not by difflib
    assert diff_from_edits(old, new, edits, "l.md") == unified_diff(old, new, "l.md")

def test_hundreds_of_fixes_in_a_long_list_match_difflib():
    entry = "**Paper {n} on Diffusion** \\\n*Ann Author{n}, Bo Writer* \\\narXiv 2021. [[Paper](https://arxiv.org/abs/2101.{n:05d})]\n\n"
    old = "".join(entry.format(n=n) for n in range(600)).encode()
    _assert_retitled_like_difflib(old, range(0, 600, 2))


def test_an_entry_listed_twice_and_fixed_once_is_shown_as_difflib_shows_it():
    entry = "**Paper {n} on Diffusion** \\\n*Ann Author{n}, Bo Writer* \\\n[[Paper](https://arxiv.org/abs/2101.{n:05d})]\n\n"
    twice = "**Paper 6 on Diffusion** \\\n*Ann Author6, Bo Writer* \\\n[[Paper]()]\n\n"
    old = ("".join(entry.format(n=n) for n in range(300)) + twice).encode()
    _assert_retitled_like_difflib(old, range(0, 300, 3))
