"""Issue 22 on the twelve real lists of every shape in ../shared/lists/shapes/: at least 95%
of each list's distinct arXiv IDs sit inside entries, at least 95% of a hand-checked
sample of titles is read right, at most 2% of the entries are misreads.

The lists live beside the project (or in $DIFFSYNC_SHARED_LISTS/shapes); the tests skip
when they are absent.  The expected titles were read off the files by hand
(tests/fixtures/shapes/titles.json).
"""

from __future__ import annotations

import json

import pytest

from helpers import paths
from helpers.shape_figures import TITLES, figures

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

SHAPES = paths.SHARED_LISTS / "shapes"
NAMES = sorted(k for k in json.loads(TITLES.read_text(encoding="utf-8")) if not k.startswith("_"))
EXPECTED_SHAPE = {
    "activevisionlab-awesome-llm-3d.md": "row", "dmitryryumin-cvpr-2023-24-papers.md": "row",
    "atfortes-awesome-llm-reasoning.md": "item", "cwchenwang-awesome-3d-diffusion.md": "item",
    "dkozlov-awesome-knowledge-distillation.md": "item", "hindupuravinash-the-gan-zoo.md": "item",
    "gt-ripl-awesome-llm-robotics.md": "item", "terryum-awesome-deep-learning-papers.md": "item",
    "thunlp-plmpapers.md": "item", "zjunlp-knowledgeeditingpapers.md": "item",
    "mrnerf-awesome-3d-gaussian-splatting.md": "heading", "kobaayyy-awesome-cvpr2024-aigc.md": "heading",
}


def _path(name: str):
    path = SHAPES / name
    if not path.is_file():
        pytest.skip(f"real list not found: {path} (set DIFFSYNC_SHARED_LISTS to the folder holding shapes/)")
    return path


def test_every_list_has_ten_hand_checked_titles():
    assert len(NAMES) == 12
    assert all(len(json.loads(TITLES.read_text(encoding="utf-8"))[n]) == 10 for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_ids_titles_and_misreads(name):
    f = figures(_path(name))
    assert f.id_share >= 0.95, f"{f.ids_inside}/{f.ids} distinct arXiv IDs inside entries"
    assert f.title_share >= 0.95, "\n".join(f.wrong_titles)
    assert f.misread_share <= 0.02, "\n".join(f.misreads)


@pytest.mark.parametrize("name", NAMES)
def test_the_shape_most_entries_have_is_the_lists_skeleton(name):
    from diffsync.listfile.parse import parse_list

    parsed = parse_list(_path(name).read_bytes())
    assert parsed.shape == EXPECTED_SHAPE[name]
    assert parsed.coverage is not None and parsed.coverage.links_in_entries > 0


@pytest.mark.parametrize("name", ["one-sentence-diffusion-summary.md", "diff-usion-awesome-diffusion-models.md"])
def test_the_reference_lists_read_as_paragraphs_exactly_as_before(name):
    """The vote leaves the reference shape alone: every entry is the paragraph reader's
    (today's parser, moved unchanged), the same as reading the list as paragraphs."""
    from diffsync.listfile.parse import parse_list

    path = paths.SHARED_LISTS / name
    if not path.is_file():
        pytest.skip(f"real list not found: {path}")
    data = path.read_bytes()
    voted, forced = parse_list(data), parse_list(data, shape="paragraph")
    assert voted.entries == forced.entries
    assert {p.shape for p in voted.sections} == {"paragraph"}
    assert voted.coverage.links == voted.coverage.links_in_entries
