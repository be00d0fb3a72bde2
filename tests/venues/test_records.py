"""Each source's recorded answer read as the source means it (tests/fixtures/venues/)."""

from __future__ import annotations

import json

from diffsync.venuesrc.dblp import hit_record
from diffsync.venuesrc.openreview import note_record
from diffsync.venuesrc.semanticscholar import record
from helpers import paths

FIXTURES = paths.REPO / "tests" / "fixtures" / "venues"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_semantic_scholars_batch_is_positional_with_null_for_unknown():
    answers = load("s2-paper-batch-null-for-unknown.json")[:2]
    assert answers[0] is None
    rec = record("x", answers[1])
    assert rec.title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert rec.venue_text == "Experimental & Empirical Studies eJournal"  # from journal.name: venue is ""
    assert rec.authors[1] == "E. Duflo"


def test_semantic_scholars_arxiv_org_venue_is_no_venue_by_its_id():
    data = load("s2-arxiv-only-venue-record.json")["data"][0]
    assert not record("2307.13854", data).published
    renamed = {**data, "publicationVenue": {**data["publicationVenue"], "name": "Some Renamed Server"}}
    assert not record("2307.13854", renamed).published  # the id says arXiv, whatever the name


def test_a_dblp_corr_record_is_never_a_venue():
    info = load("dblp-corr-hit-shape.json")["result"]["hits"]["hit"][0]["info"]
    rec = hit_record(info)
    assert not rec.published and rec.arxiv_id == "2510.19315" and rec.title == "Transformers are Inherently Succinct"


def test_dblp_names_lose_their_disambiguation_number_and_one_author_is_an_object():
    rec = hit_record({"title": "T.", "venue": "CVPR", "year": "2023", "type": "Conference and Workshop Papers",
                      "key": "conf/cvpr/X23", "authors": {"author": {"@pid": "1", "text": "Wei Wang 0012"}}})
    assert rec.published and rec.authors == ("Wei Wang",) and rec.year == 2023


def _note(venueid: str, venue: str, domain: str = "ICLR.cc/2024/Conference"):
    return {"id": "f", "forum": "f", "domain": domain, "content": {
        "title": {"value": "T"}, "authors": {"value": ["A B"]}, "venue": {"value": venue},
        "venueid": {"value": venueid}}}


def test_openreview_submissions_rejections_and_withdrawals_are_never_a_venue():
    site = "https://openreview.net"
    assert note_record(_note("ICLR.cc/2024/Conference", "ICLR 2024 poster"), site).published
    for venueid, venue in [("ICLR.cc/2024/Conference/Rejected_Submission", "Submitted to ICLR 2024"),
                           ("ICLR.cc/2024/Conference/Withdrawn_Submission", "ICLR 2024 Conference Withdrawn Submission"),
                           ("ICLR.cc/2024/Conference/Desk_Rejected_Submission", "ICLR 2024 Desk Rejected"),
                           ("ICLR.cc/2025/Conference/Submission", "Under review for ICLR 2025")]:
        assert not note_record(_note(venueid, venue), site).published, venueid
    assert not note_record(_note("ICLR.cc/2024/Conference", "ICLR 2024", domain="DBLP.org"), site).published
