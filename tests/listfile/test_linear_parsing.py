"""Regexes over list text and arXiv text stay linear (issue 12, item 4).

Each rewritten expression is checked against the expression it replaced on
small random inputs (same answer), and the pathological inputs that took
tens of seconds before are parsed at a size where quadratic time would
show, asserting what is read, never how long it took.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from diffsync import arxivid
from diffsync.drift import venues
from diffsync.listfile import paragraphs, text
from diffsync.listfile.parse import parse_list
from diffsync.textnorm import citation_leftover, without_leftover
from diffsync.listfile import authorstyle

# The expressions as they were: the reference for what the linear versions must answer.
OLD_MARKUP = re.compile(r"<su[pb]>.*?</su[pb]>|(?<!\\)<[^>]+>|\\\*|[*_]", re.IGNORECASE)
OLD_NAME_SPLIT = re.compile(r"[ \t]*(?:,|;|&|\band\b)[ \t]*", re.IGNORECASE)
OLD_SUP = re.compile(r"(?:\s*<sup>.*?</sup>)+", re.IGNORECASE)
OLD_AND = re.compile(r",?\s+and\s+|\s*&\s*")
OLD_PEOPLE = r"(?:[,;&]|\s+and\s+)(?![^<]*</sup>)"
OLD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
OLD_URL = re.compile(r"\S+://\S+|\bwww\.\S+|\S+\.(?:com|org|io|net|html?)\S*")

PIECES = ["<", ">", "<sup>", "</sup>", "<SUB>", "</sub>", "\\*", "*", "_", "a", "Bo", " ", "  ", "\t",
          "\n", ",", ";", "&", "and", " and ", "1", "#", "://", "www.", ".com", "et al", "(", ")"]
snippets = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(snippets)
def test_author_markup_and_name_splits_match_the_old_expressions(s):
    assert text._strip_markup(s) == OLD_MARKUP.sub("", s)
    assert text._NAME_SPLIT.split(s) == OLD_NAME_SPLIT.split(s)


@settings(max_examples=400, deadline=None)
@given(snippets)
def test_author_style_expressions_match_the_old_ones(s):
    assert authorstyle._without_sup(s) == OLD_SUP.sub("", s)
    old, new = OLD_SUP.search(s), authorstyle._first_sup(s)
    assert (old and old.group(0)) == (new and new.group(0))
    assert [m.group(0) for m in authorstyle._AND.finditer(s)] == [m.group(0) for m in OLD_AND.finditer(s)]
    assert authorstyle._people(s) == re.split(OLD_PEOPLE, s)


@settings(max_examples=400, deadline=None)
@given(snippets)
def test_drift_expressions_match_the_old_ones(s):
    assert venues._URL.sub(" ", s) == OLD_URL.sub(" ", s)
    old = re.search(r",?\s*\bet\.?\s*al\b\.?", s, re.IGNORECASE)
    new = authorstyle._ET_AL.search(s)
    assert (old and (old.start(), old.group(0))) == (new and (new.start(), new.group(0)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["#", "##", " ", "\t", "a", " #", "b c"]), max_size=9).map("".join))
def test_heading_text_matches_the_old_expression(s):
    old, new = OLD_HEADING.match(s), paragraphs._HEADING.match(s)
    assert bool(old) == bool(new)
    if old:
        assert paragraphs._heading_text(s, new) == old["text"]


# Big enough that the old quadratic expressions took seconds to minutes;
# linear ones take milliseconds.  Only results are asserted.
N = 40_000


def _one_entry(author_line: str) -> bytes:
    return f"**A paper**\n*{author_line}*\n[[Paper](https://arxiv.org/abs/2201.00001)]\n".encode()


def test_many_sup_without_closing_tags_read_as_one_author():
    parsed = parse_list(_one_entry("Ada Lovelace" + "<sup>" * N))
    assert [e.arxiv_id for e in parsed.entries] == ["2201.00001"]
    assert parsed.entries[0].authors == ("Ada Lovelace",)


def test_many_lone_angle_brackets_are_kept_as_text():
    parsed = parse_list(_one_entry("Ada" + "<" * N))
    assert parsed.entries[0].authors == ("Ada" + "<" * N,)


def test_long_blank_runs_split_names_right():
    parsed = parse_list(_one_entry("Ada Lovelace" + " " * N + ", Alan Turing"))
    assert parsed.entries[0].authors == ("Ada Lovelace", "Alan Turing")


def test_author_style_of_a_hostile_line_keeps_marks():
    line = "Ada<sup>1</sup>, Alan" + " <sup>" * N
    assert authorstyle.join_authors_like(line, ["Ada", "Grace"]) == "Ada<sup>1</sup>, Grace"
    assert authorstyle.join_authors_like("A" + " and x" * N + ",", ["A", "B"]) == "A and B"


def test_heading_with_a_long_blank_run_names_the_section():
    data = ("# Diffusion" + " " * N + "x ##\n\n").encode() + _one_entry("Ada")
    assert parse_list(data).entries[0].section == "Diffusion" + " " * N + "x"


def test_many_arxiv_mentions_find_the_real_one():
    line = "arXiv: " * N + "arXiv:2301.00002"
    assert arxivid.find_in_text(line) == (arxivid.ArxivId("2301.00002", None), len(line) - 10, len(line))


def test_hostile_titles_and_comments():
    long_word = "a" * N
    assert citation_leftover(long_word + " et al") is None
    title = "Real Title" + " x et al" * N + ", Lee et al., 2022"
    assert citation_leftover(title) == ", Lee et al., 2022"
    assert without_leftover(title).startswith("Real Title x et al")
    comment = "Accepted to CVPR 2023. " + "a" * N
    assert venues.arxiv_venue(None, comment) is not None


@pytest.mark.parametrize("unit", ["<sup>", "<", "‹", " ", "[[", "](", "*", "Jan "])
def test_bench_patterns_parse_to_one_entry(unit):
    data = ("**A paper**\n*Ada" + unit * 5000 + "*\n").encode()
    assert len(parse_list(data).entries) == 1
