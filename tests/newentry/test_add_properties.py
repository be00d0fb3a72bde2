"""Properties of `add`'s write: whatever arXiv serves, the list keeps its structure.

For hostile titles and names (Markdown and HTML metacharacters, line breaks, bidi
marks, very long text) on three lists (CRLF with a Latin-1 byte; the example;
the reference list), adding one paper inserts bytes at one place and changes no
other byte, every old entry reads back the same, and the new entry is exactly
one entry with that title, those authors and that date.  A maintainer's summary
may be hostile too: then add either writes it safely or refuses, never corrupts.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, strategies as st

from diffsync.fake_arxiv.example import EXAMPLE_LIST
from diffsync.listfile.parse import parse_list
from diffsync.listfile.safetext import markdown_text
from diffsync.models import PaperRecord
from diffsync.newentry import UnsafeAdditionError, plan_additions
from helpers import paths
from helpers.export import LIST

REAL_LIST = paths.SHARED_LISTS / "one-sentence-diffusion-summary.md"
LISTS = {"crlf-latin1": (LIST, "Foundations"), "example": (EXAMPLE_LIST.read_bytes(), "Odds and ends")}
if REAL_LIST.is_file():
    LISTS["reference"] = (REAL_LIST.read_bytes(), "10 Mar. 2023")

_CHARS = st.sampled_from(list("*_[]()<>`~\\!&#;$^{}|=\"'/:.-,") + ["\n", "\t", " ", "\u200e", "\u202e",
                         "\u00e9", "\u4e2d"] + list("abcXYZ019"))
HOSTILE = st.one_of(
    st.text(_CHARS, min_size=1, max_size=60),
    st.sampled_from(["**", "**Title** \\", "# Heading", "<details>", "[[x](http://evil.example)]",
                     "](javascript:alert(1))", "<!--", "\\", " and ", "et al."]),
    st.builds(lambda c, n: c * n, st.sampled_from(["*", "a ", "[", "<b>"]), st.integers(200, 2000)),
)


def _collapsed(text: str) -> str:
    return " ".join(text.split())  # as the Atom reader hands titles and names on


def _record(title: str, names: list[str], day: date) -> PaperRecord:
    when = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return PaperRecord("2312.99999", 1, title, tuple(names), when, when)


def _fields(e) -> tuple:
    return e.title, e.authors, e.date, e.venue, [(ln.label, ln.url, ln.broken) for ln in e.links]


def _inserted_once(old: bytes, new: bytes) -> bool:
    """``new`` is ``old`` with one run of bytes inserted at one place."""
    head = 0
    while head < len(old) and old[head] == new[head]:
        head += 1
    return new[head + len(new) - len(old):] == old[head:]


@pytest.mark.parametrize("name", sorted(LISTS))
@given(title=HOSTILE, names=st.lists(HOSTILE, min_size=1, max_size=4),
       day=st.dates(date(1995, 1, 1), date(2030, 12, 31)))
def test_arxiv_text_never_changes_the_lists_structure(name, title, names, day):
    data, under = LISTS[name]
    title, names = _collapsed(title), [n for n in map(_collapsed, names) if n]
    old = parse_list(data)
    if not title.strip() or not names:
        return  # arXiv has no paper without a title or authors
    try:
        plan = plan_additions(data, old, [_record(title, names, day)], under=under, today=day)
    except UnsafeAdditionError:
        # Refused, nothing written: names the author line cannot hold as written ("a, b" or
        # ";" reads as two people, "<b>" alone is markup, "c, c" reads as a surname and an
        # initial).  Real names are always added (the test below).
        return
    assert _inserted_once(data, plan.new)
    new = parse_list(plan.new)
    mine = [e for e in new.entries if e.arxiv_id == "2312.99999"]
    assert len(mine) == 1 and len(new.entries) == len(old.entries) + 1
    assert len(new.headings) == len(old.headings)
    assert [_fields(e) for e in new.entries if e.arxiv_id != "2312.99999"] == [_fields(e) for e in old.entries]
    assert mine[0].title == markdown_text(title) and mine[0].date == day
    assert len(mine[0].authors) == len(names)


# a name's words are never the author line's own words ("And", "Et al.")
PLAIN_NAME = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z]\.)?( [A-Z][a-z]{1,10}){1,2}", fullmatch=True).filter(
    lambda n: not {"and", "et", "al"} & set(n.lower().split()))


@pytest.mark.parametrize("name", sorted(LISTS))
@given(title=HOSTILE, names=st.lists(PLAIN_NAME, min_size=1, max_size=30))
def test_a_hostile_title_with_real_names_is_always_added(name, title, names):
    data, under = LISTS[name]
    title = _collapsed(title)
    if not any(c.isalnum() for c in title):
        return  # a title of punctuation or bidi marks alone is no paper's
    plan = plan_additions(data, parse_list(data), [_record(title, names, date(2024, 1, 2))], under=under,
                          today=date(2024, 1, 3))
    mine = [e for e in parse_list(plan.new).entries if e.arxiv_id == "2312.99999"]
    assert mine[0].title == markdown_text(title) and list(mine[0].authors) == names


@pytest.mark.parametrize("name", sorted(LISTS))
@given(summary=HOSTILE)
def test_a_hostile_summary_is_written_safely_or_refused(name, summary):
    data, under = LISTS[name]
    old = parse_list(data)
    record = _record("A Paper", ["Ann Author", "Bo Author"], date(2023, 3, 1))
    try:
        plan = plan_additions(data, old, [record], under=under, today=date(2023, 3, 2), summary=summary)
    except UnsafeAdditionError:
        return  # refused: nothing to write
    new = parse_list(plan.new)
    assert _inserted_once(data, plan.new)
    assert [(e.title, e.authors, e.date) for e in new.entries if e.arxiv_id != "2312.99999"] == \
        [(e.title, e.authors, e.date) for e in old.entries]
