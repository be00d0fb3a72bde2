"""Author lines seen in the real lists that split into the wrong names."""

from __future__ import annotations

from diffsync.listfile.parse import split_authors
from diffsync.models import Kind
from diffsync.drift.rules import compare
from helpers.builders import entry, record


def test_surname_first_author_line_pairs_up():
    text = "Chen, Haoxing, Xu, Zhuoer, Gu, Zhangxuan, Lan, Jun"
    assert split_authors(text) == ("Haoxing Chen", "Zhuoer Xu", "Zhangxuan Gu", "Jun Lan")
    assert split_authors("Ho, J., Salimans, T.") == ("J Ho", "T Salimans")


def test_lone_words_that_are_not_pairs_stay_as_written():
    assert split_authors("DeepFindr") == ("DeepFindr",)
    assert split_authors("Naoya Takahashi, Mayank Kumar, Singh, Yuki Mitsufuji") == (
        "Naoya Takahashi", "Mayank Kumar", "Singh", "Yuki Mitsufuji")
    assert split_authors("ozanciga, deforum, entmike") == ("ozanciga", "deforum", "entmike")


def test_surname_first_line_is_not_author_drift():
    names = ("Haoxing Chen", "Zhuoer Xu", "Zhangxuan Gu", "Jun Lan")
    text = "Chen, Haoxing, Xu, Zhuoer, Gu, Zhangxuan, Lan, Jun"
    e = entry("Some Paper", split_authors(text), authors_text=text)
    assert [f for f in compare([e], {"2207.12598": record("Some Paper", names)}) if f.kind is Kind.AUTHORS] == []
