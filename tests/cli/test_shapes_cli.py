"""The CLI on lists of other shapes: entries says how it read the list, --shape and
[list] shape override the vote, and a check that would track none of the list's arXiv
links refuses (exit 3) instead of an all-clear (issue 22, items 1 and 6)."""

from __future__ import annotations

import pytest

from diffsync.listfile.parse import use_shape
from helpers.cli import run_cli

ITEMS = ("# Text-to-3D\n\n"
         "- [DreamFusion: Text-to-3D using 2D Diffusion](https://arxiv.org/abs/2209.14988), Poole et al., Arxiv 2022\n"
         "- [Magic3D: High-Resolution Text-to-3D Content Creation](https://arxiv.org/abs/2211.10440), Lin et al., "
         "Arxiv 2022\n\nOur survey: https://arxiv.org/abs/2401.00001\n")


@pytest.fixture
def here(cli_folder):
    yield cli_folder
    use_shape(None)  # the CLI sets the process's shape; later tests start from the vote


def test_entries_says_the_shape_and_the_coverage(here, capsys, monkeypatch):
    (here / "list.md").write_text(ITEMS)
    code, out, _ = run_cli(capsys, monkeypatch, "entries", "list.md")
    assert code == 0
    assert "3 arXiv links in the file, 2 inside entries; read as item (inferred)" in out
    code, out, _ = run_cli(capsys, monkeypatch, "entries", "list.md", "--json")
    assert code == 0 and '"shape": "item"' in out and '"id_form": "title-link"' in out


def test_the_shape_flag_and_config_override_the_vote(here, capsys, monkeypatch):
    (here / "list.md").write_text(ITEMS)
    code, _, err = run_cli(capsys, monkeypatch, "--shape", "row", "entries", "list.md")
    assert code == 3 and "no paper entries found" in err and "--shape" in err
    code, out, _ = run_cli(capsys, monkeypatch, "entries", "list.md", "--shape", "item")  # after it too
    assert code == 0 and "read as item (--shape)" in out
    (here / "config.toml").write_text('[list]\nshape = "item"\n')
    code, out, _ = run_cli(capsys, monkeypatch, "entries", "list.md")
    assert code == 0 and "read as item ([list] shape)" in out
    (here / "config.toml").write_text('[list]\nshape = "poem"\n')
    code, _, err = run_cli(capsys, monkeypatch, "entries", "list.md")
    assert code == 2 and "list.shape must be one of paragraph, item, row, heading" in err


def test_a_check_tracking_none_of_the_links_exits_3_with_a_hint(here, capsys, monkeypatch):
    # A table of papers without links, and the papers' links in a paragraph of prose:
    # entries, but nothing the check would track.
    (here / "list.md").write_text("# Papers\n\n| Title | Venue |\n|---|---|\n| A Paper Title Here | NeurIPS 2020 |\n\n"
                                  "Links: https://arxiv.org/abs/2301.00001 and https://arxiv.org/abs/2301.00002\n")
    monkeypatch.setenv("DIFFSYNC_ARXIV_URL", "http://127.0.0.1:9/")  # never asked
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--offline")
    assert code == 3, (out, err)
    assert "2 arXiv links in the file, 0 inside entries" in err and "--shape" in err
