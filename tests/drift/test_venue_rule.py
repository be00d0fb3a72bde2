from diffsync.models import Kind
from diffsync.drift.rules import compare
from diffsync.drift.venues import arxiv_venue, known_venues, mentions
from helpers.builders import entry, record

T = "Elucidating the Design Space of Diffusion-Based Generative Models"


def _venue_findings(venue, comment=None, journal_ref=None):
    e = entry(T, venue=venue)
    return [f for f in compare([e], {"2207.12598": record(T, comment=comment, journal_ref=journal_ref)})
            if f.kind is Kind.VENUE]


def test_accepted_comment_names_a_venue_the_entry_lacks():
    [f] = _venue_findings("arXiv 2022.", comment="Accepted to CVPR 2023. Project page: https://x.github.io/cvpr2023")
    assert f.arxiv == "CVPR 2023" and f.suggestion == "CVPR 2023." and f.listed == "arXiv 2022."
    assert "Accepted to CVPR 2023" in f.message


def test_bare_leading_venue_counts_as_acceptance():
    assert _venue_findings("arXiv 2022.", comment="NeurIPS 2022")
    assert _venue_findings("arXiv 2021.", comment="ICLR 2021 (Oral)")
    assert _venue_findings("arXiv 2021.", comment="12 pages. Oral presentation at ICLR 2021")
    assert _venue_findings("arXiv 2021.", comment="Extended version of our CVPR 2021 paper") == []


def test_submitted_or_under_review_is_not_acceptance():
    for comment in ("Submitted to CVPR 2023", "Under review at ICLR 2024", "CVPR 2023 submission",
                    "32 pages, 10 figures", "Code at https://github.com/a/cvpr2023-thing"):
        assert _venue_findings("arXiv 2022.", comment=comment) == [], comment


def test_entry_mentioning_the_venue_is_fine_in_any_spelling():
    for venue, comment in [("NeurIPS22.", "NeurIPS 2022"), ("NeurIPS 2022.", "Accepted at Neural Information "
                           "Processing Systems 2022"), ("NIPS 2022", "NeurIPS 2022"), ("CVPR2023, arXiv 2023.",
                           "CVPR 2023 highlight"), ("ICLR 2023 (notable top 25%)", "ICLR 2023"),
                           ("NeurIPS Workshop 2021.", "A short version appeared in the NeurIPS 2021 Workshop on DGMs")]:
        assert _venue_findings(venue, comment=comment) == [], (venue, comment)


def test_venue_named_only_as_a_submission_is_drift_once_arxiv_says_accepted():
    for venue, comment in [("CVPR2023 submission.", "CVPR 2023 highlight"),
                           ("ICLR 2023 Submission / preprint", "ICLR 2023"),
                           ("arXiv 2022. ICLR2023 submission", "Accepted at ICLR 2023"),
                           ("Submitted to ICLR2023.", "Published as a conference paper at ICLR 2023")]:
        [f] = _venue_findings(venue, comment=comment)
        assert f.arxiv in ("CVPR 2023", "ICLR 2023"), venue
        assert "the entry names it only as a submission" in f.message, venue
    # still submitted on arXiv's side too: nothing to catch up with
    assert _venue_findings("CVPR 2023 submission.", comment="Submitted to CVPR 2023") == []


def test_negated_acceptance_is_not_acceptance():
    assert _venue_findings("arXiv 2022.", comment="Not accepted to CVPR 2023") == []


def test_wrong_year_is_drift():
    [f] = _venue_findings("CVPR 2022.", comment="Accepted to CVPR 2023")
    assert f.arxiv == "CVPR 2023"


def test_journal_ref_is_compared():
    [f] = _venue_findings("arXiv 2022.", journal_ref="ACM Computing Surveys 56(4), 2023")
    assert f.arxiv == "CSUR 2023"
    assert _venue_findings("ACM Computing Surveys 2023.", journal_ref="ACM Computing Surveys 56(4), 2023") == []
    [f] = _venue_findings("arXiv 2022.", journal_ref="Phys. Rev. Lett. 120, 2018")
    assert f.arxiv == "Phys. Rev. Lett 2018"
    assert _venue_findings("Phys. Rev. Lett. 2018", journal_ref="Phys. Rev. Lett. 120, 2018") == []


def test_venue_helpers():
    assert known_venues("NeurIPS22, CVPR 2023 and ICCV") == [("NeurIPS", 2022), ("CVPR", 2023), ("ICCV", None)]
    assert arxiv_venue(None, None) is None
    v = arxiv_venue(None, "14 pages. To appear in ECCV 2022")
    assert v is not None and (v.name, v.year) == ("ECCV", 2022)
    assert not mentions(None, v)


def test_a_placeholder_venue_gets_a_fix_and_other_venue_text_stays_the_maintainers():
    fixed = {"arXiv 2022.": "CVPR 2023.", "arxiv 2022": "CVPR 2023", "Preprint": "CVPR 2023",
             "arXiv preprint, 2022.": "CVPR 2023.", "CVPR 2023 submission.": "CVPR 2023.",
             "Submitted to CVPR2023": "CVPR 2023"}
    for listed, suggestion in fixed.items():
        [f] = _venue_findings(listed, comment="Accepted to CVPR 2023")
        assert f.suggestion == suggestion and "review by hand" not in f.message, listed
    kept = {"NeurIPS 2022 Workshop.": "is not a placeholder", "ICCV 2023.": "is not a placeholder",
            "arXiv 2022. Code soon": "is not a placeholder", "Submitted to ICLR 2023.": "is not a placeholder",
            None: "no venue text"}
    for listed, why in kept.items():
        [f] = _venue_findings(listed, comment="Accepted to CVPR 2023")
        assert f.suggestion is None and "review by hand: " in f.message and why in f.message, listed


def test_a_venue_without_a_short_name_or_year_stays_review_only():
    [journal] = _venue_findings("arXiv 2022.", journal_ref="Physical Review E 105, 2022")
    [series] = _venue_findings("arXiv 2022.", journal_ref="PMLR 139:1-12, 2021")
    [no_year] = _venue_findings("arXiv 2022.", comment="Accepted to CVPR")
    assert "no short name" in journal.message and "no short name" in series.message
    assert "no year" in no_year.message
    assert journal.suggestion is series.suggestion is no_year.suggestion is None


def test_an_acceptance_with_the_year_apart_from_the_venue_still_has_a_year():
    [f] = _venue_findings("arXiv 2021.", comment="Accepted to NeurIPS Workshop 2021")
    assert f.arxiv == "NeurIPS Workshop 2021" and f.suggestion == "NeurIPS Workshop 2021."
    # without an acceptance word a year elsewhere in the clause says nothing
    assert _venue_findings("arXiv 2021.", comment="CVPR workshop paper, 8 pages, 2021") == []
