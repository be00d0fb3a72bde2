"""Issue 25, item 4-5: an answer arXiv garbled costs the papers it garbled, and nothing invisible or misdecoded reaches the list.

Served by the hostile server: an empty ``<published>``, an illegal XML
character in one record, two disagreeing records for one ID, a Latin-1
declaration over UTF-8 bytes, zero-width characters in a title.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diffsync.arxivapi.atom import FeedError, parse_feed
from diffsync.check.pipeline import run_check
from diffsync.errors import ApiError
from diffsync.listfile.safetext import markdown_text
from diffsync.store.store import Store
from helpers.hostile_cases import PAPERS, check_settings, entry, feed, write_list
from helpers.hostile_http import HostileServer, ok

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

BAD = "2206.00364"
GOOD = ["2006.11239", "2010.02502"]
INVISIBLE = "\u200b\u200d\u2060\u00ad\ufeff\u2063"


def _check(tmp_path: Path, database_url: str, body: bytes, ids: list[str] | None = None):
    lst = write_list(tmp_path / "list.md", ids)
    with HostileServer(ok(body)) as srv:
        return run_check(check_settings(srv.url, database_url, tmp_path), lst, search=False)


def _with_bad_record(marker: bytes) -> bytes:
    body = feed(entry(GOOD[0]), entry(BAD), entry(GOOD[1]))
    title = PAPERS[BAD][0].encode()
    return body.replace(title, title[:10] + marker + title[10:])


def test_an_empty_published_is_unchecked_with_a_warning_not_not_found(tmp_path, database_url):
    body = feed(entry(GOOD[0]), entry(BAD), entry(GOOD[1])).replace(
        f"<published>{PAPERS[BAD][2]}</published>".encode(), b"<published></published>")
    result = _check(tmp_path, database_url, body)
    assert result.summary.unchecked == 1 and result.summary.fetched == 2
    assert [p for p in result.problems if BAD in p and "no <published> date" in p]
    assert not [f for f in result.findings if f.kind.value == "not_found"]
    with Store.open(database_url) as store:
        assert BAD not in store.not_found_ids()


@pytest.mark.parametrize("marker", [b"&#1;", b"\x01", b"&#xFFFE;"], ids=["ref-1", "raw-0x01", "ref-fffe"])
def test_one_illegal_character_costs_that_record_not_the_answer(marker):
    parsed = parse_feed(_with_bad_record(marker))
    assert sorted(r.arxiv_id for r in parsed.records) == GOOD
    assert list(parsed.unreadable) == [BAD] and "not well-formed" in parsed.unreadable[BAD]


def test_a_check_keeps_the_other_records_of_an_answer_with_an_illegal_character(tmp_path, database_url):
    result = _check(tmp_path, database_url, _with_bad_record(b"&#1;"))
    assert result.summary.fetched == 2 and result.summary.unchecked == 1
    assert len([p for p in result.problems if BAD in p]) == 1
    with Store.open(database_url) as store:
        assert sorted(store.load_records()) == GOOD


def test_a_broken_record_naming_no_paper_still_fails_the_answer():
    body = _with_bad_record(b"&#1;").replace(f"arxiv.org/abs/{BAD}".encode(), b"example.org/x")
    with pytest.raises(FeedError):
        parse_feed(body)


def test_two_different_records_for_one_id_make_it_unchecked(tmp_path, database_url):
    other = dict(entry(BAD), title="A Completely Different Title")
    body = feed(entry(GOOD[0]), entry(BAD), other, entry(GOOD[1]))
    parsed = parse_feed(body)
    assert sorted(r.arxiv_id for r in parsed.records) == GOOD
    assert "two different records" in parsed.unreadable[BAD]
    result = _check(tmp_path, database_url, body)
    assert result.summary.unchecked == 1 and [p for p in result.problems if "two different records" in p]
    assert not [f for f in result.findings if f.arxiv_id == BAD or BAD in (f.entry_key or "")]


def test_the_same_record_twice_is_one_record():
    parsed = parse_feed(feed(entry(GOOD[0]), entry(GOOD[0])))
    assert [r.arxiv_id for r in parsed.records] == GOOD[:1] and not parsed.unreadable


def test_a_latin1_declaration_over_utf8_bytes_never_becomes_mojibake(tmp_path, database_url):
    body = feed(dict(entry(GOOD[0]), title="Café Diffusion Models")).replace(
        b"encoding='UTF-8'", b"encoding='ISO-8859-1'").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    assert b"ISO-8859-1" in body
    with pytest.raises(FeedError, match="mojibake"):
        parse_feed(body)
    # Retried like any unusable answer; arXiv never answered usably, so the check cannot complete.
    with pytest.raises(ApiError, match="mojibake"):
        _check(tmp_path, database_url, body, [GOOD[0]])
    with Store.open(database_url) as store:
        assert not store.load_records()


def test_a_latin1_declaration_over_latin1_bytes_is_read_as_declared():
    body = feed(entry(GOOD[0])).replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'").replace(
        b'encoding="UTF-8"', b'encoding="ISO-8859-1"').replace(b"Jonathan Ho", "Jonathan Hö".encode("latin-1"))
    (record,) = parse_feed(body).records
    assert "Hö" in " ".join(record.authors)


def test_zero_width_and_other_format_characters_never_reach_the_list():
    text = f"Dif{INVISIBLE}fusion\u200e Models\u202e"
    assert markdown_text(text) == "Diffusion Models"
    assert markdown_text("\U0001F469\u200d\U0001F52C x") == "\U0001F469\U0001F52C x"


def test_arxiv_records_carry_no_format_characters():
    body = feed(dict(entry(GOOD[0]), title=f"Denoising{INVISIBLE} Diffusion Probabilistic Models",
                     authors=["Jonathan\u200b Ho", "Ajay Jain", "Pieter Abbeel"]))
    (record,) = parse_feed(body).records
    assert record.title == PAPERS[GOOD[0]][0]
    assert record.authors[0] == "Jonathan Ho"
