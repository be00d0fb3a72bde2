"""Rules cases found by checking the real lists against a stand-in arXiv.

Each test is a constructed case of a defect seen there; names and titles
are real papers' public metadata, used as facts.
"""

from __future__ import annotations

from datetime import date

from diffsync.models import Kind, SearchMatch
from diffsync.rules import compare, needs_search, search_key
from test_rules_helpers import entry, record

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
