"""Venue findings from evidence: fixable placeholders, review-only contradictions, never a workshop mix-up."""

from __future__ import annotations

import pytest

from diffsync.models import Kind
from diffsync.venuecheck.evidence import AMBIGUOUS, CONFIRMED, PREPRINT, UNCHECKED, Said, VenueEvidence
from diffsync.venuecheck.findings import venue_findings
from diffsync.venuenames import is_source_value
from diffsync.venuenames import Named
from diffsync.venuesrc.records import DBLP, SEMANTIC_SCHOLAR, SourceRecord
from helpers.builders import entry

ID = "2207.12598"


def said(source: str, venue: Named) -> Said:
    rec = SourceRecord(source, "k", f"https://{source}.example/k", "T", ("Jonathan Ho",), str(venue), venue.year)
    return Said(venue, rec)


def confirmed(venue: Named, *sources: str) -> dict[str, VenueEvidence]:
    return {ID: VenueEvidence(ID, CONFIRMED, venue, tuple(said(s, venue) for s in sources))}


def one(venue_text: str | None, evidence: dict[str, VenueEvidence]):
    found = venue_findings([entry("Classifier-Free Diffusion Guidance", venue=venue_text)], evidence)
    return found[0] if found else None


@pytest.mark.parametrize("listed, fix", [("arXiv 2022.", "ICLR 2023."), ("Preprint", "ICLR 2023"),
                                         ("arXiv preprint 2022,", "ICLR 2023,"),
                                         ("ICLR 2023 submission.", "ICLR 2023.")])
def test_a_placeholder_or_a_submission_is_fixable_in_the_lists_notation(listed, fix):
    f = one(listed, confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR))
    assert f.kind is Kind.VENUE and f.suggestion == fix and f.listed == listed
    assert "Semantic Scholar says ICLR 2023 (one source: Semantic Scholar (https://" in f.message
    assert is_source_value(f.arxiv)


def test_two_agreeing_sources_are_said_so():
    f = one("arXiv 2022.", confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR, DBLP))
    assert "two sources agree" in f.message and "semantic_scholar.example" in f.message and "dblp.example" in f.message


def test_the_right_venue_already_listed_is_no_finding():
    for listed in ("ICLR 2023.", "ICLR2023", "ICLR 2023 (Oral).", "In ICLR 2023"):
        assert one(listed, confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR, DBLP)) is None, listed


def test_a_listed_venue_one_source_contradicts_is_review_only():
    f = one("CVPR 2023.", confirmed(Named("ICCV", 2023), SEMANTIC_SCHOLAR))
    assert f.suggestion is None and "review by hand" in f.message


def test_a_listed_venue_two_sources_contradict_is_fixable():
    f = one("CVPR 2023.", confirmed(Named("ICCV", 2023), SEMANTIC_SCHOLAR, DBLP))
    assert f.suggestion == "ICCV 2023."


def test_workshop_and_main_track_are_never_confused():
    main = one("NeurIPS 2022 Workshop.", confirmed(Named("NeurIPS", 2022), SEMANTIC_SCHOLAR, DBLP))
    assert main.suggestion is None and "workshop" in main.message
    work = one("NeurIPS 2022.", confirmed(Named("NeurIPS", 2022, workshop=True), SEMANTIC_SCHOLAR, DBLP))
    assert work.suggestion is None and "workshop" in work.message
    fixed = one("arXiv 2022.", confirmed(Named("NeurIPS", 2022, workshop=True), DBLP))
    assert fixed.suggestion == "NeurIPS Workshop 2022."


def test_ambiguous_sources_name_both_and_fix_nothing():
    ev = {ID: VenueEvidence(ID, AMBIGUOUS, None, (said(SEMANTIC_SCHOLAR, Named("ECCV", 2022)),
                                                 said(DBLP, Named("ICCV", 2022))))}
    f = one("arXiv 2022.", ev)
    assert f.suggestion is None and "ambiguous" in f.message
    assert "Semantic Scholar" in f.message and "DBLP" in f.message and "ECCV 2022" in f.message
    assert one("ICCV 2022.", ev) is None  # the list names one of them: nothing to say


@pytest.mark.parametrize("state", [PREPRINT, UNCHECKED])
def test_a_preprint_or_an_unchecked_paper_is_never_a_finding(state):
    assert one("CVPR 2023.", {ID: VenueEvidence(ID, state)}) is None


def test_no_finding_for_an_entry_whose_shape_carries_no_venue():
    assert one(None, confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR)) is None


def test_arxivs_own_venue_finding_speaks_first():
    e = entry("Classifier-Free Diffusion Guidance", venue="arXiv 2022.")
    [f] = venue_findings([e], confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR))
    assert venue_findings([e], confirmed(Named("ICLR", 2023), SEMANTIC_SCHOLAR), {f.id}) == []


def test_a_venue_the_table_does_not_know_is_review_only():
    f = one("arXiv 2022.", confirmed(Named("Journal of Things", 2023), DBLP))
    assert f.suggestion is None and "no short name" in f.message
