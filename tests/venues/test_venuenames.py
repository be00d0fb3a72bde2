"""The venue-name table: aliases, workshops, preprint servers, OpenReview venue ids."""

from __future__ import annotations

import pytest

from diffsync.venuenames import Named, canonical, is_no_venue, openreview_final, openreview_venue_id


@pytest.mark.parametrize("text, want", [
    ("Computer Vision and Pattern Recognition", Named("CVPR")),
    ("IEEE/CVF Conference on Computer Vision and Pattern Recognition", Named("CVPR")),
    ("2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)", Named("CVPR", 2016)),
    ("CVPR", Named("CVPR")),
    ("Neural Information Processing Systems", Named("NeurIPS")),
    ("NIPS", Named("NeurIPS")),
    ("NeurIPS 2023 Workshop on Diffusion Models", Named("NeurIPS", 2023, workshop=True)),
    ("ICLR 2025 Poster", Named("ICLR", 2025)),
    ("CVPR Workshops", Named("CVPR", workshop=True)),
    ("ACM Transactions on Graphics", Named("TOG")),
    ("SIGGRAPH Asia 2023", Named("SIGGRAPH Asia", 2023)),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", Named("TPAMI")),
    ("International Journal of Computer Vision", Named("IJCV")),
    ("Transactions on Machine Learning Research", Named("TMLR")),
    ("Journal of Machine Learning Research", Named("JMLR")),
    ("Nature Machine Intelligence", Named("Nature Machine Intelligence")),
    ("Nat. Mach. Intell.", Named("Nature Machine Intelligence")),
    ("European Conference on Computer Vision", Named("ECCV")),
    ("IEEE International Conference on Computer Vision", Named("ICCV")),
])
def test_long_names_and_aliases_come_down_to_one_short_name(text, want):
    assert canonical(text) == want


@pytest.mark.parametrize("text", ["arXiv.org", "ArXiv", "CoRR", "", "Informal and Other Publications",
                                  "arXiv preprint", "bioRxiv", "Preprint"])
def test_preprint_servers_and_corr_are_no_venue(text):
    assert is_no_venue(text)
    assert canonical(text) is None


def test_a_journal_the_table_does_not_know_is_none():
    assert canonical("Journal of Irreproducible Results") is None
    # a Findings paper is not the main track of either venue its name mentions
    assert canonical("Findings of the Association for Computational Linguistics: EMNLP 2023") is None


def test_workshop_and_main_track_stay_apart():
    assert canonical("NeurIPS 2022") != canonical("NeurIPS 2022 Workshop")
    assert str(Named("NeurIPS", 2022, workshop=True)) == "NeurIPS Workshop 2022"


def test_openreview_venue_ids_exist_only_from_api_v2_on():
    assert openreview_venue_id("ICLR", 2024) == "ICLR.cc/2024/Conference"
    assert openreview_venue_id("ICLR", 2022) is None  # API v1
    assert openreview_venue_id("CVPR", 2024) is None  # not on OpenReview
    assert openreview_venue_id("TMLR", 2024) == "TMLR"


def test_a_listing_is_final_once_decisions_are():
    assert openreview_final("ICLR.cc/2024/Conference", 2024, 3)
    assert not openreview_final("ICLR.cc/2025/Conference", 2024, 12)
    assert not openreview_final("NeurIPS.cc/2025/Conference", 2025, 9)
    assert not openreview_final("TMLR", 2030, 1)  # a journal keeps accepting
