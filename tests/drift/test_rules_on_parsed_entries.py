"""Rules over entries as the list parser produces them, in the reference list's own format.

The records are constructed for the test (what a stand-in arXiv would
serve); they are not a claim about these papers' real metadata.
"""

from __future__ import annotations

from datetime import datetime, timezone

from diffsync.listfile.parse import parse_list
from diffsync.models import Kind, SearchMatch
from diffsync.drift.rules import compare, needs_search, search_key
from helpers.builders import record

LIST = """\
## Image Generation

**High-Resolution Image Synthesis with Latent Diffusion Models** \\
*Robin Rombach<sup>1</sup>, Andreas Blattmann<sup>1</sup>, Dominik Lorenz, Patrick Esser, Bj\u00c3\u00b6rn Ommer* \\
arXiv 2021. [[Paper](https://arxiv.org/abs/2112.10752)] [[Github](https://github.com/CompVis/latent-diffusion)] \\
20 Dec 2021 \\
\u00ec\u00a0\u0095\u00eb\u00a6\u00ac summary.

**Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis, Sangyun Lee et al., 2022** \\
*Sangyun Lee, Hyungjin Chung, Jaehyeon Kim, Jong Chul Ye* \\
arXiv 2022. [[Paper](https://arxiv.org/abs/2207.11192?context=cs)] [[Project](https://github.com/sangyun884/blur-diffusion)] \\
16 Jul 2022 \\
Summary.

**Minimizing Trajectory Curvature of ODE-based Generative Models** \\
*Sangyun Lee, Beomsu Kim, Jong Chul Ye*\\
arxiv 27 Jan 2023 [[Paper] (https://arxiv.org/abs/2301.12003)]\\
Summary.

**Adding Conditional Control to Text-to-Image Difusion Models**\\
*Lvmin Zhang, Maneesh Agrawala*\\
[[Code](https://github.com/lllyasviel/ControlNet)] \\
Summary.

**TEXT-GUIDED DIFFUSION IMAGE STYLE TRANSFER WITH CONTRASTIVE LOSS FINE-TUNING** \\
*Anonymous authors* \\
Submitted to ICLR2023. [[Paper](https://openreview.net/forum?id=iJ_E0ZCy8fi)] \\
30 Sept 2022 \\
Summary.

**Self-Guided DIffusion Models** \\
*Vincent Tao Hu, David W.Zhang, Yuki M.Asano, Gertjan J. Burghouts, Cees G. M. Snoek* \\
arXiv 2022. [[Paper](https://arxiv.org/abs/2210.06462)] \\
12 Oct 2022 \\
Summary.
"""


def _utc(y, m, d):
    return datetime(y, m, d, 18, 0, tzinfo=timezone.utc)


RECORDS = {
    "2112.10752": record("High-Resolution Image Synthesis with Latent Diffusion Models",
                         ["Robin Rombach", "Andreas Blattmann", "Dominik Lorenz", "Patrick Esser", "Björn Ommer"],
                         "2112.10752", published=_utc(2021, 12, 20), version=2, comment="CVPR 2022"),
    "2207.11192": record("Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis",
                         ["Sangyun Lee", "Hyungjin Chung", "Jaehyeon Kim", "Jong Chul Ye"], "2207.11192",
                         published=_utc(2022, 7, 16)),
    "2301.12003": record("Minimizing Trajectory Curvature of ODE-based Generative Models",
                         ["Sangyun Lee", "Beomsu Kim", "Jong Chul Ye"], "2301.12003", published=_utc(2023, 1, 27)),
    "2210.06462": record("Self-Guided Diffusion Models",
                         ["Vincent Tao Hu", "David W Zhang", "Yuki M. Asano", "Gertjan J. Burghouts",
                          "Cees G. M. Snoek"], "2210.06462", published=_utc(2022, 10, 12)),
}
CONTROLNET = record("Adding Conditional Control to Text-to-Image Diffusion Models",
                    ["Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"], "2302.05543", published=_utc(2023, 2, 10),
                    version=3)


def test_reference_format_end_to_end():
    entries = parse_list(LIST.encode("utf-8")).entries
    assert len(entries) == 6
    searched = [e for e in entries if needs_search(e, RECORDS.get(e.arxiv_id or ""))]
    assert [e.title[:6] for e in searched] == ["Adding"]  # anonymous entry is not searched
    searches = {search_key(searched[0]): SearchMatch(CONTROLNET, 98.0, ("Lvmin Zhang", "Maneesh Agrawala"))}
    found = {(f.line, f.kind.value) for f in compare(entries, RECORDS, searches=searches)}
    lines = {e.title[:12]: e.line for e in entries}
    assert found == {
        (lines["High-Resolut"], "venue"),  # CVPR 2022 on arXiv, "arXiv 2021." in the list
        (lines["Progressive "], "title"),  # pasted citation
        (lines["Progressive "], "link"),  # ?context=cs
        (lines["Minimizing T"], "link"),  # [[Paper] (url)]
        (lines["Adding Condi"], "missing_id"),
        (lines["Adding Condi"], "title"),  # "Difusion"
        (lines["Adding Condi"], "authors"),  # Anyi Rao added later
    }


def test_reference_format_strict_adds_only_cosmetics():
    entries = parse_list(LIST.encode("utf-8")).entries
    normal = {(f.line, f.kind) for f in compare(entries, RECORDS)}
    strict = {(f.line, f.kind) for f in compare(entries, RECORDS, strict=True)}
    extra = strict - normal
    by_title = {e.line: e.title for e in entries}
    assert {(by_title[line][:10], kind) for line, kind in extra} == {
        ("High-Resol", Kind.AUTHORS),  # mojibake and <sup> marks
        ("Self-Guide", Kind.TITLE),  # "DIffusion"
        ("Self-Guide", Kind.AUTHORS),  # "David W.Zhang"
    }


INVALID_LINK = b"""\
**Denoising Diffusion Probabilistic Models** \\
*Jonathan Ho, Ajay Jain, Pieter Abbeel* \\
NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.1123)] \\
19 Jun 2020
"""


def test_a_link_with_an_invalid_id_is_repaired_in_place_not_doubled():
    (entry,) = parse_list(INVALID_LINK).entries
    assert entry.arxiv_id is None and needs_search(entry, None)
    ddpm = record("Denoising Diffusion Probabilistic Models", ["Jonathan Ho", "Ajay Jain", "Pieter Abbeel"],
                  "2006.11239", published=datetime(2020, 6, 19, 17, tzinfo=timezone.utc))
    found = {f.kind: f for f in compare([entry], {}, searches={search_key(entry): SearchMatch(ddpm, 100.0)})}
    assert set(found) == {Kind.LINK}  # no missing_id: the fix replaces the bad link
    assert found[Kind.LINK].listed == "https://arxiv.org/abs/2006.1123"
    assert found[Kind.LINK].suggestion == "[[Paper](https://arxiv.org/abs/2006.11239)]"
    unmatched = compare([entry], {}, searches={search_key(entry): None})
    assert [(f.kind, f.suggestion) for f in unmatched] == [(Kind.LINK, None)]
    assert "not a valid arXiv ID" in unmatched[0].message
