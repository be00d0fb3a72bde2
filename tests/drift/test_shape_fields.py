"""Drift rules per field a list's shape carries (issue 22, item 5), on entries parsed from
small lists of other shapes."""

from __future__ import annotations

from datetime import datetime, timezone

from diffsync.drift import matching
from diffsync.drift.rules import compare, search_key
from diffsync.listfile.parse import parse_list
from diffsync.models import Kind, SearchMatch

from helpers.builders import record

WHEN = datetime(2023, 3, 1, 12, tzinfo=timezone.utc)


def _entries(text: str):
    return parse_list(text.encode()).entries


def _kinds(findings):
    return sorted(f.kind.value for f in findings)


def test_no_venue_finding_where_the_list_writes_no_venues():
    # The gan-zoo shape: a name, the title link, nothing else.
    items = "".join(f"* GAN{i} - [A Title of Paper Number {i}](https://arxiv.org/abs/2303.{i:05d})\n"
                    for i in range(1, 6))
    entries = _entries("# GANs\n\n" + items)
    assert {e.carried for e in entries} == {()}
    records = {e.arxiv_id: record(e.title, ("Ada Lovelace",), e.arxiv_id, published=WHEN,
                                  journal_ref="CVPR 2023") for e in entries}
    assert compare(entries, records) == []


def test_a_venue_finding_where_the_list_writes_venues():
    items = "".join(f"- [A Title of Paper Number {i}](https://arxiv.org/abs/2303.{i:05d}), Li et al., Arxiv 2023\n"
                    for i in range(1, 6))
    entries = _entries("# P\n\n" + items)
    records = {e.arxiv_id: record(e.title, ("Wei Li", "Ada Lovelace"), e.arxiv_id, published=WHEN,
                                  journal_ref="CVPR 2023") for e in entries}
    assert _kinds(compare(entries[:1], records)) == ["venue"]


def test_et_al_compares_only_the_authors_written():
    (e,) = _entries("# P\n\n- [A Title of Paper Number 1](https://arxiv.org/abs/2303.00001), Li et al., Arxiv 2023\n")
    assert e.authors == ("Li",) and e.authors_et_al
    same = record(e.title, ("Wei Li", "Ada Lovelace", "Alan Turing"), "2303.00001", published=WHEN)
    assert compare([e], {"2303.00001": same}) == []
    other = record(e.title, ("Ada Lovelace", "Wei Li"), "2303.00001", published=WHEN)
    assert _kinds(compare([e], {"2303.00001": other})) == ["authors"]


def test_a_missing_id_confirmed_without_authors_says_so():
    (e,) = _entries("# P\n\n| Title | Venue |\n|---|---|\n| Latent Diffusion Without Links | CVPR 2023 |\n")
    assert e.arxiv_id is None and e.authors == ()
    found = record("Latent Diffusion without Links", ("Robin Rombach",), "2303.00042", published=WHEN)
    match = matching.confirm_match(e.title, e.authors, 2023, [found])
    assert isinstance(match, SearchMatch) and match.shared_authors == ()
    (f,) = [f for f in compare([e], {}, searches={search_key(e): match}) if f.kind is Kind.MISSING_ID]
    assert f.arxiv == "2303.00042"
    assert "confirmed without authors" in f.message and "2023 consistent with the entry's 2023" in f.message
