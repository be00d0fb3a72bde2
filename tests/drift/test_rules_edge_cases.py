"""Rules cases found by checking the real lists against a stand-in arXiv.

Each test is a constructed case of a defect seen there; names and titles
are real papers' public metadata, used as facts.
"""

from __future__ import annotations

from diffsync.models import Kind, SearchMatch
from diffsync.drift.rules import compare, needs_search, search_key
from helpers.builders import entry, record

CONTROLNET = record("Adding Conditional Control to Text-to-Image Diffusion Models",
                    ("Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"), "2302.05543")


def test_missing_id_names_shared_authors_of_a_match_read_back_from_storage():
    # The pipeline reloads stored matches without their shared authors.
    e = entry("Adding Conditional Control to Text-to-Image Diffusion Models",
              ("Lvmin Zhang", "Maneesh Agrawala"), None)
    stored = SearchMatch(record=CONTROLNET, score=100.0)
    found = compare([e], {}, searches={search_key(e): stored})
    missing = [f for f in found if f.kind is Kind.MISSING_ID]
    assert len(missing) == 1
    assert "shared authors: Lvmin Zhang, Maneesh Agrawala)" in missing[0].message


NCSN = record("Generative Modeling by Estimating Gradients of the Data Distribution",
              ("Yang Song", "Stefano Ermon"), "1907.05600")
NCSNV2 = record("Improved Techniques for Training Score-Based Generative Models",
                ("Yang Song", "Stefano Ermon"), "2006.09011")


def test_link_to_the_same_authors_other_paper_is_wrong_id_once_search_confirms_it():
    e = entry("Improved Techniques for Training Score-Based Generative Models",
              ("Yang Song", "Stefano Ermon"), "1907.05600")
    assert needs_search(e, NCSN)  # the title is not the linked paper's
    found = compare([e], {"1907.05600": NCSN}, searches={search_key(e): SearchMatch(NCSNV2, 100.0)})
    assert [(f.kind, f.suggestion) for f in found] == [(Kind.WRONG_ID, "2006.09011")]
    assert "only the authors match" in found[0].message
    # before any search it stays a title difference (a renamed paper looks the same)
    assert [f.kind for f in compare([e], {"1907.05600": NCSN})] == [Kind.TITLE]


def test_renamed_paper_found_again_under_its_old_title_is_not_wrong_id():
    old = entry("Boundary Guided Mixing Trajectory for Semantic Control with Diffusion Models",
                ("Ye Zhu", "Yu Wu", "Zhiwei Deng", "Olga Russakovsky", "Yan Yan"), "2302.08357")
    renamed = record("Boundary Guided Learning-Free Semantic Control with Diffusion Models", old.authors,
                     "2302.08357")
    assert needs_search(old, renamed)
    found = compare([old], {"2302.08357": renamed}, searches={search_key(old): SearchMatch(renamed, 85.0)})
    assert [f.kind for f in found] == [Kind.TITLE]


# ------------------------------------------------------------------ venue


def _venue(listed_venue, comment=None, journal_ref=None):
    t = "Classifier-Free Diffusion Guidance"
    found = compare([entry(t, venue=listed_venue)], {"2207.12598": record(t, comment=comment, journal_ref=journal_ref)})
    return [f for f in found if f.kind is Kind.VENUE]


def test_tog_journal_ref_is_the_siggraph_paper_the_entry_names():
    for ref in ("ACM Trans. Graph. 42, 4, Article 1 (2023)", "ACM Transactions on Graphics (TOG) 42 (4), 2023"):
        assert _venue("SIGGRAPH 2023.", journal_ref=ref) == [], ref
        [f] = _venue("arXiv 2023.", journal_ref=ref)
        assert f.arxiv == "TOG 2023"


def test_proceedings_series_is_the_venue_the_entry_names_that_year():
    assert _venue("ICML 2021.", journal_ref="PMLR 139:8162-8171, 2021") == []
    assert _venue("MICCAI 2022.", journal_ref="LNCS 13436, 2022") == []
    # nothing named that year: still reported, as arXiv writes it
    [f] = _venue("arXiv 2021.", journal_ref="PMLR 139:8162-8171, 2021")
    assert f.arxiv == "PMLR 2021"
    assert _venue("ICML 2020.", journal_ref="PMLR 139:8162-8171, 2021") != []


def test_short_journal_name_in_the_entry_counts():
    assert _venue("IEEE TIP 2023.", comment="Accepted to IEEE Transactions on Image Processing") == []
    assert _venue("arXiv 2023.", comment="Tips and tricks. NeurIPS 2023 submission") == []


def test_venue_message_quotes_the_comment_clause_without_cut_urls():
    comment = ("Project page: https://sirwyver.github.io/DiffRF/ Video: https://youtu.be/qETBcLu8SUk "
               "- CVPR 2023 Highlight - updated references")
    [f] = _venue("arXiv 2022.", comment=comment)
    assert f.arxiv == "CVPR 2023"
    assert "comment says \"CVPR 2023 Highlight\"" in f.message
