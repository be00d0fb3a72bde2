"""``add`` in a section of list items, table rows or heading blocks (issue 22 item 8).

The section's entries are built by hand (helpers.hand_entries), so these tests pin how a
new entry is written whatever reads the list; tests/acceptance/ runs ``add`` on real lists.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from diffsync.models import Heading, ParsedList, PaperRecord, Span
from diffsync.newentry.place import Section
from diffsync.newentry.shaped import plan_shaped
from diffsync.newentry.template import render_item, render_row, unify

from helpers.hand_entries import entry

WHEN = datetime(2024, 3, 5, 12, tzinfo=timezone.utc)
NEW = PaperRecord("2403.01234", 1, "A New | Paper [About] Robots", ("Ada Lovelace", "Alan Turing", "Grace Hopper"),
                  WHEN, WHEN)


def _items(data: bytes, fields, **shared) -> list:
    """Hand-built item entries, one a line of ``data``: ``fields(line)`` reads the fields the
    line itself says, ``shared`` are the ones every item of the list has."""
    return [entry(data, line, **fields(line.decode()), shape="item", **shared)
            for line in data.splitlines(keepends=True) if line.strip()]


B_LIST = (b"- [Instant3D: Instant Text-to-3D Generation](http://arxiv.org/abs/2311.08403), Li et al., Arxiv 2023\n"
          b"- [Magic3D: High-Resolution Text-to-3D](http://arxiv.org/abs/2211.10440), Lin et al., CVPR 2023\n"
          b"- [DreamFusion: Text-to-3D using 2D Diffusion](http://arxiv.org/abs/2209.14988), Poole et al., ICLR 2023\n")


def _b_entries():
    def fields(m: str) -> dict:  # - [Title](http://arxiv.org/abs/ID), Surname et al., Venue
        return dict(title=m[3:m.index("](")], arxiv_id=m[m.index("abs/") + 4:m.index(")")],
                    authors=m.split("), ")[1].split(", ")[0], venue=m.rstrip("\n").split(", ")[-1])
    return _items(B_LIST, fields, context=("link",), id_form="title-link", et_al=True)


def test_a_title_link_item_is_written_with_surnames_et_al_and_no_neighbours_venue():
    text = render_item(B_LIST, _b_entries(), NEW)
    assert text == ("- [A New | Paper \\[About\\] Robots](http://arxiv.org/abs/2403.01234), Lovelace et al., "
                    "Arxiv 2024\n")


C_LIST = (b"* **[LLaRP]** \"Large Language Models as Generalizable Policies\", *arXiv, Oct 2023*. "
          b"[[Paper](https://arxiv.org/abs/2310.17722)] [[Website](https://llm-rl.github.io)]\n"
          b"* **SayCan**: \"Do As I Can, Not As I Say\", *arXiv, Apr 2022*. "
          b"[[Paper](https://arxiv.org/abs/2204.01691)] [[Code](https://github.com/g/s)]\n"
          b"* \"Inner Monologue: Embodied Reasoning\", *CoRL, Jul 2022*. [[Paper](https://arxiv.org/abs/2207.05608)]\n")


def _c_entries():
    def fields(m: str) -> dict:  # * "Title", *Venue*. [[Paper](https://arxiv.org/abs/ID)]
        return dict(title=m.split('"')[1], arxiv_id=m[m.index("abs/") + 4:m.index(")]")], venue=m.split("*")[-2])
    return _items(C_LIST, fields, context=("quote",), id_form="link")


def test_a_bold_name_a_code_link_and_a_website_of_another_paper_are_never_copied():
    text = render_item(C_LIST, _c_entries(), NEW)
    assert text == ("* \"A New | Paper \\[About\\] Robots\", *arXiv, Mar 2024*. "
                    "[[Paper](https://arxiv.org/abs/2403.01234)]\n")


ROWS = (b"| Date | Keywords | Institute | Paper | Venue | Website |\n|:---:|:---:|:---:|:---:|:---:|:---:|\n"
        b"| 2024-10-12 |  Lexicon3D |    UIUC  | [Lexicon3D: Probing Visual Foundation Models](https://arxiv.org/abs/2409.03757)"
        b" | NeurIPS '24 | [project](https://yunzeman.github.io/lexicon3d/) |\n"
        b"| 2024-09-02 |  LLaVA-3D |    HKU  | [LLaVA-3D: A Simple yet Effective Pathway](https://arxiv.org/abs/2409.18125)"
        b" | Arxiv | [project](https://zcmax.github.io/projects/LLaVA-3D/) |\n")


def _rows():
    lines = ROWS.splitlines(keepends=True)[2:]
    out = []
    for line, (title, arxiv_id, venue, day) in zip(lines, [
            ("Lexicon3D: Probing Visual Foundation Models", "2409.03757", "NeurIPS '24", "2024-10-12"),
            ("LLaVA-3D: A Simple yet Effective Pathway", "2409.18125", "Arxiv", "2024-09-02")]):
        out.append(entry(ROWS, line, title, shape="row", context=("cell", "link"), arxiv_id=arxiv_id,
                         id_form="title-link", cells=True, venue=venue, date_text=day,
                         date=date.fromisoformat(day)))
    return out


def test_a_row_keeps_the_headers_columns_and_fills_only_the_fields_it_knows():
    rows = _rows()
    text = render_row(ROWS, rows[0], rows, NEW)
    # the venue arXiv does not know: the list's own "Arxiv" for a preprint, never a neighbour's "NeurIPS '24"
    assert text == ("| 2024-03-05 |   |      | [A New \\| Paper \\[About\\] Robots](https://arxiv.org/abs/2403.01234)"
                    " | Arxiv |  |\n")
    assert text.count("|") - text.count("\\|") == 7  # the header's six columns


def test_a_row_goes_in_its_place_by_date_and_an_item_numbered_like_the_list():
    rows = _rows()
    parsed = ParsedList("l.md", "", tuple(rows), "\n")
    section = Section(None, tuple(rows), tuple(rows))
    where = plan_shaped(ROWS, parsed, section, (tuple(rows),), NEW, "row")
    # two rows keep no order yet: the top of the table, under its header
    assert where.at == ROWS.index(b"| 2024-10-12") and where.text.startswith("| 2024-03-05 |")
    numbered = b"1. **First Paper Title Here** [[pdf](https://arxiv.org/pdf/2301.00001.pdf)]\n" \
               b"2. **Second Paper Title Here** [[pdf](https://arxiv.org/pdf/2301.00002.pdf)]\n" \
               b"3. **Third Paper Title Here** [[pdf](https://arxiv.org/pdf/2301.00003.pdf)]\n"
    items = [entry(numbered, line, line.decode().split("**")[1], shape="item", context=("bold",),
                   arxiv_id=f"2301.0000{n}", id_form="link")
             for n, line in enumerate(numbered.splitlines(keepends=True), 1)]
    h = Heading(1, 2, "S", Span(0, 0))
    where = plan_shaped(numbered, ParsedList("l.md", "", tuple(items), "\n", headings=(h,)),
                        Section(h, tuple(items), tuple(items)), (tuple(items),), NEW, "item")
    assert where.at == 0
    assert where.text == "1. **A New | Paper \\[About\\] Robots** [[pdf](https://arxiv.org/pdf/2403.01234.pdf)]\n"


HEADS = (b"### 1. [CVPR '24] Street Gaussians for Modeling Dynamic Urban Scenes  \n"
         b"**Authors**: Yunzhi Yan, Haotong Lin  \n\n<details>\n<summary>Abstract</summary>\nThis paper aims.\n"
         b"</details>\n\n[\xf0\x9f\x93\x84 Paper](https://arxiv.org/pdf/2401.01339.pdf) | "
         b"[\xf0\x9f\x8c\x90 Project Page](https://x.io)\n\n"
         b"### 12. GaussianAvatars: Photorealistic Head Avatars  \n"
         b"**Authors**: Shenhan Qian, Tobias Kirschstein  \n\n<details>\n<summary>Abstract</summary>\nWe introduce.\n"
         b"</details>\n\n[\xf0\x9f\x93\x84 Paper](https://arxiv.org/pdf/2312.02069.pdf) | "
         b"[\xf0\x9f\x92\xbb Code](https://github.com/a/b)\n\n")


def test_a_heading_block_keeps_its_labels_and_numbering_and_leaves_out_tags_and_abstracts():
    blocks = [b"### 1." + HEADS.split(b"### 1.")[1].split(b"### 12.")[0], b"### 12." + HEADS.split(b"### 12.")[1]]
    heads = [entry(HEADS, blocks[0], "Street Gaussians for Modeling Dynamic Urban Scenes", shape="heading",
                   context=("heading",), arxiv_id="2401.01339", id_form="link", authors="Yunzhi Yan, Haotong Lin"),
             entry(HEADS, blocks[1], "GaussianAvatars: Photorealistic Head Avatars", shape="heading",
                   context=("heading",), arxiv_id="2312.02069", id_form="link",
                   authors="Shenhan Qian, Tobias Kirschstein")]
    text = render_item(HEADS, heads, NEW)
    assert text == ("### 13. A New | Paper \\[About\\] Robots  \n**Authors**: Ada Lovelace, Alan Turing, Grace Hopper  \n\n"
                    "[\U0001f4c4 Paper](https://arxiv.org/pdf/2403.01234.pdf)\n\n")


def test_unify_keeps_what_every_entry_shares_and_never_one_papers_words():
    assert unify(["* **[LLaRP]** \"", "* **SayCan**: \"", "* \""]) == "* \""
    assert unify(["* ARAE - [", "* BEGAN - ["]) == "* ["
    assert unify(["### 1. ", "### 12. "]) == "### "
    assert unify(["- Paper: ", "- Paper: "]) == "- Paper: "


def test_under_names_a_year_kept_as_a_sibling_of_its_topic_heading():
    from diffsync.listfile.parse import parse_list
    from diffsync.newentry.place import _matching, heading_path

    data = (b"# Papers\n## Avatars:\n## 2024:\n### One Paper Title Here\n[Paper](https://arxiv.org/pdf/2401.00001)\n"
            b"## 2023:\n### Two Paper Title Here\n[Paper](https://arxiv.org/pdf/2301.00001)\n"
            b"## Editing:\n## 2024:\n### Three Paper Title Here\n[Paper](https://arxiv.org/pdf/2402.00001)\n")
    parsed = parse_list(data)
    years = [h for h in parsed.headings if h.text.startswith("20")]
    assert [heading_path(parsed, h) for h in years] == ["Avatars: / 2024:", "Papers / 2023:", "Editing: / 2024:"]
    assert [_matching(parsed, heading_path(parsed, h)) for h in years] == [[h] for h in years]
