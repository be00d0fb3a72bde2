from datetime import datetime, timezone

from diffsync.drift.matching import confirm_match
from helpers.builders import record

CONTROLNET = "Adding Conditional Control to Text-to-Image Diffusion Models"


def _rec(title, authors, arxiv_id, year=2023):
    return record(title, authors, arxiv_id, published=datetime(year, 2, 10, tzinfo=timezone.utc))


def test_typo_title_with_shared_author_is_confirmed():
    right = _rec(CONTROLNET, ["Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"], "2302.05543")
    m = confirm_match("Adding Conditional Control to Text-to-Image Difusion Models",
                      ["Lvmin Zhang", "Maneesh Agrawala"], 2023, [right])
    assert m is not None and m.record.arxiv_id == "2302.05543"
    assert m.shared_authors == ("Lvmin Zhang", "Maneesh Agrawala") and m.score >= 90


def test_same_title_different_authors_is_not_confirmed():
    other = _rec(CONTROLNET, ["Someone Else"], "2399.00001")
    assert confirm_match(CONTROLNET, ["Lvmin Zhang"], 2023, [other]) is None


def test_similar_field_title_is_not_confirmed():
    near = _rec("Adding Conditional Control to Text-to-Video Diffusion Models", ["Lvmin Zhang"], "2399.00002")
    assert confirm_match("Diffusion Models Beat GANs on Image Synthesis", ["Lvmin Zhang"], 2023, [near]) is None


def test_year_must_be_plausible():
    old = _rec(CONTROLNET, ["Lvmin Zhang"], "1901.00001", year=2019)
    assert confirm_match(CONTROLNET, ["Lvmin Zhang"], 2023, [old]) is None
    assert confirm_match(CONTROLNET, ["Lvmin Zhang"], None, [old]) is not None


def test_an_entry_without_authors_is_confirmed_only_by_the_stricter_rule():
    # Issue 22: exact folded title, the only such candidate, a year the entry states and
    # arXiv's agrees with; never a similar title, never a title alone.
    r = _rec(CONTROLNET, ["Lvmin Zhang"], "2302.05543")
    found = confirm_match(CONTROLNET.upper() + ".", [], 2023, [r])
    assert found is not None and found.record is r and found.shared_authors == ()
    assert confirm_match(CONTROLNET, [], None, [r]) is None  # no year stated: that is a title alone
    assert confirm_match(CONTROLNET.replace("Adding", "Add"), [], 2023, [r]) is None  # similar is not enough
    assert confirm_match(CONTROLNET, [], 2019, [r]) is None  # the entry's year contradicts it
    twin = _rec(CONTROLNET, ["Someone Else"], "2302.99999")
    assert confirm_match(CONTROLNET, [], 2023, [r, twin]) is None  # two papers with that title


def test_renamed_paper_needs_several_shared_authors():
    renamed = _rec("DiffusionCLIP: Text-Guided Diffusion Models for Robust Image Manipulation",
                   ["Gwanghyun Kim", "Taesung Kwon", "Jong Chul Ye"], "2110.02711", year=2021)
    listed = "DiffusionCLIP: Text-guided Image Manipulation Using Diffusion Models"
    assert confirm_match(listed, ["Gwanghyun Kim", "Jong Chul Ye"], 2021, [renamed]) is not None
    assert confirm_match(listed, ["Gwanghyun Kim", "Nobody Else", "Ada Lovelace"], 2021, [renamed]) is None


def test_best_candidate_wins_and_leftovers_are_ignored():
    a = _rec("Soft Diffusion: Score Matching for General Corruptions", ["Giannis Daras", "Peyman Milanfar"], "2209.05442")
    b = _rec("Soft Diffusion: Score Matching for General Corruptions", ["Giannis Daras"], "2399.00003")
    m = confirm_match("Soft Diffusion: Score Matching for General Corruptions, Giannis Daras et al., 2022",
                      ["Giannis Daras", "Peyman Milanfar"], 2022, [b, a])
    assert m is not None and m.record.arxiv_id == "2209.05442"
