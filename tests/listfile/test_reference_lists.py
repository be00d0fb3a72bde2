"""The two real lists: the reference user's 93 entries and a 2,975-entry list.

Both live beside the project in ``../shared/lists`` (or ``$DIFFSYNC_SHARED_LISTS``);
the tests skip, saying why, when they are not there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diffsync.listfile.parse import read_list

from helpers.spans import assert_spans_exact, text_at
from helpers import paths

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

LISTS = paths.SHARED_LISTS
REFERENCE = LISTS / "one-sentence-diffusion-summary.md"
LARGE = LISTS / "diff-usion-awesome-diffusion-models.md"


def _load(path: Path):
    if not path.is_file():
        pytest.skip(f"real list not found: {path} (set DIFFSYNC_SHARED_LISTS to its folder)")
    return read_list(path)


@pytest.fixture(scope="module")
def reference():
    return _load(REFERENCE)


@pytest.fixture(scope="module")
def large():
    return _load(LARGE)


D = dt.date
# line: (title, first author, number of authors, arxiv_id, date, date_text) -- read off the file.
SAMPLE = {
    19: ("On Calibrating Diffusion Probabilistic Models", "Tianyu Pang", 6, "2302.10688",
         D(2023, 2, 21), "[Submitted on 21 Feb 2023]"),
    25: ("Improving Score-based Diffusion Models by Enforcing the Underlying Score Fokker-Planck Equation",
         "Chieh-Hsin Lai", 6, "2210.04296", D(2022, 10, 9), "Submitted on 9 Oct 2022 (v1)"),
    59: ("Zero-shot Image-to-Image Translation", "Gaurav Parmar", 6, "2302.03027",
         D(2022, 2, 6), "6 Feb 2022"),  # the list's year is wrong; the parser reports what is written
    75: ("Adding Conditional Control to Text-to-Image Difusion Models", "Lvmin Zhang", 2, None, None, None),
    82: ("Minimizing Trajectory Curvature of ODE-based Generative Models", "Sangyun Lee", 3, "2301.12003",
         D(2023, 1, 27), "arxiv 27 Jan 2023"),
    146: ("What are Diffusion Models?", None, 0, None, D(2021, 7, 11), "11 Jul 2021"),
    196: ("Denoising Diffusion Probabilistic Models", "Jonathan Ho", 3, "2006.11239",
          D(2020, 6, 19), "19 Jun 2020"),
    202: ("Improved Denoising Diffusion Probabilistic Models", "Alex Nichol", 2, "2102.09672",
          D(2021, 2, 18), "18 Feb 2021"),
    296: ("Multi-Concept Customization of Text-to-Image Diffusion", "Nupur Kumari", 5, "2212.04488",
          D(2022, 12, 8), "arxiv Submitted on 8 Dec 2022"),
    317: ("eDiff-I: Text-to-Image Diffusion Models with an Ensemble of Expert Denoisers", "Yogesh Balaji",
          12, None, D(2022, 11, 2),
          "arxiv [Submitted on 2 Nov 2022 (v1), last revised 17 Nov 2022 (this version, v4)]"),
    346: ("Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis, Sangyun Lee et al., 2022",
          "Sangyun Lee", 4, "2207.11192", D(2022, 7, 16), "16 Jul 2022"),
    394: ("High-Resolution Image Synthesis with Latent Diffusion Models", "Robin Rombach", 5, "2112.10752",
          D(2021, 12, 20), "20 Dec 2021"),
    507: ("TEXT-GUIDED DIFFUSION IMAGE STYLE TRANSFER WITH CONTRASTIVE LOSS FINE-TUNING", None, 0, None,
          D(2022, 9, 30), "30 Sept 2022"),
    573: ("Minimizing Trajectory Curvature of ODE-based Generative Models", "Sangyun Lee", 3, "2301.12003",
          D(2023, 1, 27), "arxiv 27 Jan 2023"),
    578: ("Learning Fast Samplers for Diffusion Models by Differentiating Through Sample Quality",
          "Daniel Watson", 4, None, D(2022, 2, 11), "11 Feb 2022"),
    585: ("Pseudo Numerical Methods for Diffusion Models on Manifolds", "Luping Liu", 4, "2202.09778",
          D(2022, 2, 20), "Submitted on 20 Feb 2022"),
    600: ("Video Diffusion Models", "Jonathan Ho", 6, "2204.03458", D(2022, 4, 7), "7 April 2022"),
    620: ("DiffRF: Rendering-Guided 3D Radiance Field Diffusion", "Norman MÃ¼ller", 6, "2212.01206",
          D(2022, 12, 2), "2 Dec 2022"),
    656: ("Soft Diffusion: Score Matching for General Corruptions", "Giannis Daras", 5, "2209.05442",
          D(2022, 9, 12), "12 Sep 2022"),
}


def test_reference_list_has_all_93_entries(reference):
    data, parsed = reference
    assert len(parsed.entries) == 93
    assert parsed.problems == ()
    assert sum(1 for e in parsed.entries if e.arxiv_id) == 86
    assert sum(1 for e in parsed.entries if e.date) == 80


@pytest.mark.parametrize("line", sorted(SAMPLE))
def test_reference_sample_entry(reference, line):
    _, parsed = reference
    e = {x.line: x for x in parsed.entries}[line]
    title, first_author, n_authors, arxiv_id, date, date_text = SAMPLE[line]
    assert e.title == title
    assert (e.authors[0] if e.authors else None) == first_author
    assert len(e.authors) == n_authors
    assert e.arxiv_id == arxiv_id
    assert e.date == date
    assert e.date_text == date_text


def test_reference_problems_are_the_real_ones(reference):
    _, parsed = reference
    with_problems = {e.line: e.problems for e in parsed.entries if e.problems}
    assert sorted(with_problems) == [394, 573, 620]
    assert "space between" in with_problems[573][0]
    assert '"BjÃ¶rn" is probably "Björn"' in with_problems[394][0]


def test_reference_sections_and_mojibake_kept_as_written(reference):
    data, parsed = reference
    by_line = {e.line: e for e in parsed.entries}
    assert by_line[19].section == "10 Mar. 2023"
    assert by_line[196].section == "Must-read papers"
    assert by_line[628].section == "ìˆ˜í•™ê¸°ë°˜í–¥ìƒ"
    assert "BjÃ¶rn Ommer" in by_line[394].authors
    assert text_at(data, by_line[346].arxiv_id_span) == "2207.11192"


def test_reference_spans_are_byte_exact(reference):
    data, parsed = reference
    assert assert_spans_exact(data, parsed) > 500


def test_large_list_gives_2975_entries_with_exact_spans(large):
    data, parsed = large
    assert len(parsed.entries) == 2975
    assert len({e.arxiv_id for e in parsed.entries if e.arxiv_id}) == 2628
    assert sum(1 for e in parsed.entries if e.date) == 2958
    assert assert_spans_exact(data, parsed) > 20000


def test_large_list_real_defects_are_reported(large):
    _, parsed = large
    by_line = {e.line: e for e in parsed.entries}
    assert by_line[15095].arxiv_id == "2303.16852"  # "[[Paper(https://...)]"
    assert by_line[15095].date == D(2023, 3, 29)
    assert any("missing the ']'" in p for p in by_line[15095].problems)
    assert any("missing its closing" in p for p in by_line[1661].problems)
    assert any("no URL" in p for p in by_line[10208].problems)
    assert by_line[2906].date == D(2022, 12, 6)  # written "6 DEc 2022"
