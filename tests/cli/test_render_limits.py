"""QA: one absurd entry must not flood the terminal (a 3 MB title printed 14 MB of table)."""

from __future__ import annotations

import io

from rich.console import Console

from diffsync.models import Finding, Kind
from diffsync.report.render import print_findings


def _render(listed: str) -> str:
    f = Finding(id="abc1234567", kind=Kind.TITLE, line=1, entry_key="k", arxiv_id="2105.05233",
                listed=listed, arxiv="Diffusion Models Beat GANs", message="title differs")
    out = io.StringIO()
    print_findings([f], Console(file=out, width=120))
    return out.getvalue()


def test_a_huge_value_is_cut_in_the_table():
    text = _render("A" * 100_000 + "ZEND")
    assert len(text) < 20_000
    assert "ZEND" not in text and "…" in text
    assert "Diffusion Models Beat GANs" in text


def test_an_ordinary_value_is_shown_whole():
    title = "Elucidating the Design Space of Diffusion-Based Generative Models " * 4
    assert "".join(_render(title).split()).count("Elucidating") == 4


def test_at_80_columns_a_table_never_breaks_inside_a_word():
    listed = "Classifier-Free Diffusion Guidance for Unsupervised Disentanglement of Probabilistic Models"
    arxiv = "Classifier-Free Diffusion-Based Guidance with Counterfactual Interventional Inference"
    f = Finding(id="abc1234567", kind=Kind.TITLE, line=11117, entry_key="k", arxiv_id="2105.05233",
                listed=listed, arxiv=arxiv, message="title differs",
                fix="[[Paper](https://arxiv.org/abs/2512.90001)]")
    out = io.StringIO()
    print_findings([f], Console(file=out, width=80))
    words = set((listed + " " + arxiv).split()) | {f.fix}
    for row in out.getvalue().splitlines():
        assert len(row) <= 80
        for cell in row.split("│")[4:]:  # the value columns
            for shown in cell.split():
                # a whole word, or the start of a word cut with "…": never a piece of one
                assert shown in words or (shown.endswith("…") and any(w.startswith(shown[:-1]) for w in words)), \
                    (shown, row)
