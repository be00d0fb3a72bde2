"""Every list shape, on small lists written for one rule each (issue 22, items 1-4 and 6)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from diffsync.listfile.parse import parse_list


def _one(text: str, **kw):
    parsed = parse_list(text.encode(), **kw)
    assert len(parsed.entries) == 1, [(e.line, e.title) for e in parsed.entries]
    return parsed.entries[0]


def _text(data: bytes, span) -> str:
    return data[span.start:span.end].decode()


# --- titles, by the ranked rules -------------------------------------------------------

@pytest.mark.parametrize("line, title, context", [
    ("- [**Bold Link Title**](https://arxiv.org/abs/2301.00001)", "Bold Link Title", ("link", "bold")),
    ("1. **[Linked Bold Title.](https://arxiv.org/abs/2301.00001)** [[code](https://github.com/a/b)]",
     "Linked Bold Title", ("bold", "link")),
    ('- **"Quoted Bold Title"** [[pdf](https://arxiv.org/pdf/2301.00001.pdf)]', "Quoted Bold Title",
     ("bold", "quote")),
    ('- Authors. "**Bold In Quotes Title**." [[pdf](https://arxiv.org/abs/2301.00001)]',
     "Bold In Quotes Title", ("quote", "bold")),
    ("- **[38]** **The Real Title** [[pdf](https://arxiv.org/abs/2301.00001)]", "The Real Title", ("bold",)),
    ("- **[ICCV' 17]** **A Venue Tag Is Not A Title** [[Paper](https://arxiv.org/abs/2301.00001)]",
     "A Venue Tag Is Not A Title", ("bold",)),
    ('* **[LLaRP]** "Large Language Models as Generalizable Policies", *arXiv, Oct 2023*. '
     "[[Paper](https://arxiv.org/abs/2310.17722)]", "Large Language Models as Generalizable Policies", ("quote",)),
    ("* NAME - [Title In The Link Text](https://arxiv.org/abs/2301.00001) ([github](https://github.com/a))",
     "Title In The Link Text", ("link",)),
    ("- [Code](https://github.com/a) [A Title After A Link Word](https://arxiv.org/abs/2301.00001)",
     "A Title After A Link Word", ("link",)),
    ("- **Title With A Period.** (2015), A. Author et al. [[pdf]](http://arxiv.org/pdf/2301.00001)",
     "Title With A Period", ("bold",)),
])
def test_title_is_the_most_title_like_span(line, title, context):
    data = f"# Papers\n\n{line}\n".encode()
    e = _one(data.decode())
    assert (e.title, e.title_context, e.shape) == (title, context, "item")
    assert _text(data, e.title_span) == title  # the span is the title as written
    assert e.arxiv_id == "2301.00001" or e.arxiv_id == "2310.17722"


def test_wrapped_link_text_is_one_title_and_its_span_covers_both_lines():
    data = b"# P\n\n- [A Title That Wraps\n  Onto Two Lines](https://arxiv.org/abs/2301.00001), Li et al., Arxiv 2023\n"
    e = _one(data.decode())
    assert e.title == "A Title That Wraps Onto Two Lines"
    assert _text(data, e.title_span) == "A Title That Wraps\n  Onto Two Lines"


def test_a_table_title_column_is_found_by_its_header():
    data = ("# P\n\n| Date | Keywords | Title | Venue | Code |\n|---|---|---|---|---|\n"
            "| 2024-10-12 | Lexicon3D | [Lexicon3D: Probing Visual Models](https://arxiv.org/abs/2409.03757) "
            "| NeurIPS '24 | [project](https://x.io) |\n"
            "| 2024-09-28 | Plain | A Plain Title Cell <br /> ![x](https://img.shields.io/x) | CVPR 2023 "
            "| [![arXiv](https://img.shields.io/badge/arXiv-2205.10528-b31b1b.svg)](http://arxiv.org/abs/2205.10528) |\n"
            ).encode()
    first, second = parse_list(data).entries
    assert (first.title, first.title_context, first.venue, first.arxiv_id) == (
        "Lexicon3D: Probing Visual Models", ("cell", "link"), "NeurIPS '24", "2409.03757")
    assert first.columns == ("date", "keywords", "title", "venue", "code") and len(first.cells) == 5
    assert (second.title, second.title_context, second.arxiv_id, second.id_form) == (
        "A Plain Title Cell", ("cell",), "2205.10528", "badge")
    assert _text(data, second.cells[3]) == "CVPR 2023"


def test_an_html_table_row_is_an_entry():
    data = ("# P\n\n<table>\n<tr><th>Title</th><th>Venue</th></tr>\n"
            '<tr><td><a href="https://arxiv.org/abs/2301.00001">An HTML Row Title</a></td><td>ICML 2023</td></tr>\n'
            "</table>\n").encode()
    e = _one(data.decode())
    assert (e.shape, e.title, e.arxiv_id, e.id_form, e.venue) == ("row", "An HTML Row Title", "2301.00001",
                                                                   "title-link", "ICML 2023")


def test_a_heading_per_paper_with_bare_paper_lines():
    data = ("# CVPR 2024\n\n### First Paper Title Here\n\n- Paper: https://arxiv.org/abs/2402.17376\n"
            "- Code: https://github.com/a/b\n\n### 2. [CVPR '24] Second Paper Title\n**Authors**: Ada Lovelace, "
            "Alan Turing\n\n  [📄 Paper](https://arxiv.org/pdf/2401.01339v2.pdf) | [💻 Code](https://github.com/x)\n"
            ).encode()
    first, second = parse_list(data).entries
    assert (first.shape, first.title, first.arxiv_id, first.id_form) == ("heading", "First Paper Title Here",
                                                                          "2402.17376", "bare")
    assert first.venue == "CVPR 2024" and first.venue_in_heading and first.venue_span is None
    assert (second.title, second.venue, second.authors) == ("Second Paper Title", "CVPR '24",
                                                            ("Ada Lovelace", "Alan Turing"))
    assert (second.arxiv_id, second.arxiv_version) == ("2401.01339", 2)
    assert _text(data, second.arxiv_id_span) == "2401.01339v2"


# --- arXiv IDs anywhere in the unit ------------------------------------------------------

@pytest.mark.parametrize("where, arxiv_id, form", [
    ("[[Paper](https://arxiv.org/abs/2301.00001v3)]", "2301.00001", "link"),
    ("[[pdf]](http://arxiv.org/pdf/2301.00001.pdf)", "2301.00001", "link"),
    ("[![arXiv](https://img.shields.io/badge/arXiv-2301.00001-b31b1b.svg)](https://arxiv.org/abs/2301.00001)",
     "2301.00001", "badge"),
    ('<a href="https://arxiv.org/abs/2301.00001">pdf</a>', "2301.00001", "html"),
    ("https://arxiv.org/abs/2301.00001", "2301.00001", "bare"),
    ("arXiv:2301.00001", "2301.00001", "text"),
    ("[[Paper](https://arxiv.org/abs/cs/0501001)]", "cs/0501001", "link"),
    ("[[Paper](https://arxiv.org/abs/math.GT/0309136)]", "math/0309136", "link"),
])
def test_the_id_is_read_in_every_notation(where, arxiv_id, form):
    e = _one(f"# P\n\n- **A Paper Title Here** {where}\n")
    assert (e.arxiv_id, e.id_form, e.problems) == (arxiv_id, form, ())


def test_the_same_id_twice_is_normal_and_two_ids_are_reported():
    same = _one("# P\n\n- [A Title Here](https://arxiv.org/abs/2301.00001) "
                "[![arXiv](https://img.shields.io/badge/x)](https://arxiv.org/abs/2301.00001)\n")
    assert same.problems == ()
    two = _one("# P\n\n- [A Title Here](https://arxiv.org/abs/2301.00001) [[v2](https://arxiv.org/abs/2302.00002)]\n")
    assert two.arxiv_id == "2301.00001"
    assert two.problems == ("links to several arXiv papers: using 2301.00001, also 2302.00002",)


# --- fields in the list's notation ------------------------------------------------------

@pytest.mark.parametrize("line, authors, et_al", [
    ("- [A Paper Title](https://arxiv.org/abs/2301.00001), Li et al., Arxiv 2023", ("Li",), True),
    ("- [A Paper Title](https://arxiv.org/abs/2301.00001), Geoffrey Hinton, Oriol Vinyals, 2015",
     ("Geoffrey Hinton", "Oriol Vinyals"), False),
    ("- **A Paper Title** (2015), G. Hinton et al. [[pdf]](http://arxiv.org/pdf/2301.00001)", ("G. Hinton",), True),
    ("- **A Paper Title** Ada Lovelace (Analytical Engines) et al. [[pdf]](http://arxiv.org/pdf/2301.00001)",
     ("Ada Lovelace",), True),
    ("1. **A Paper Title**. _Ada Lovelace, Alan Turing_. NIPS 2015. [[pdf](https://arxiv.org/pdf/2301.00001)]",
     ("Ada Lovelace", "Alan Turing"), False),
    ("- **A Paper Title**\n  **Authors**: Ada Lovelace, Alan Turing\n  [Paper](https://arxiv.org/abs/2301.00001)",
     ("Ada Lovelace", "Alan Turing"), False),
])
def test_authors_in_the_lists_notation(line, authors, et_al):
    e = _one(f"# P\n\n{line}\n")
    assert (e.title, e.authors, e.authors_et_al) == ("A Paper Title", authors, et_al)


@pytest.mark.parametrize("line, venue", [
    ("- (CVPR 2023) **A Paper Title** [[pdf](https://arxiv.org/abs/2301.00001)]", "CVPR 2023"),
    ("- **A Paper Title** (NeurIPS, 2023) [[pdf](https://arxiv.org/abs/2301.00001)]", "NeurIPS, 2023"),
    ("- **[ICCV' 17]** **A Paper Title** [[pdf](https://arxiv.org/abs/2301.00001)]", "ICCV' 17"),
    ("- [A Paper Title](https://arxiv.org/abs/2301.00001), NeurIPS '24", "NeurIPS '24"),
    ("- **A Paper Title** [[CVPR 2025](https://arxiv.org/abs/2301.00001)]", "CVPR 2025"),
    ('- "A Paper Title", *arXiv, Oct 2023*. [[Paper](https://arxiv.org/abs/2301.00001)]', "arXiv, Oct 2023"),
    ("- [A Paper Title](https://arxiv.org/abs/2301.00001), Li et al., Arxiv2024", "Arxiv2024"),
])
def test_one_venue_or_date_slot_in_the_lists_notation(line, venue):
    data = f"# P\n\n{line}\n".encode()
    e = _one(data.decode())
    assert (e.title, e.venue) == ("A Paper Title", venue)
    assert _text(data, e.venue_span) == venue


# --- what is not an entry, the vote, the override, coverage ------------------------------

def test_bold_sub_headings_and_prose_are_not_entries():
    data = ("# Agents\n\nSome prose about agents, with no paper in it at all.\n\n- **In web scenarios**\n"
            "  - [WebAgent: A Real Paper Title](https://arxiv.org/abs/2301.00003)\n"
            "  - [Another Real Paper Title](https://arxiv.org/abs/2301.00004)\n")
    parsed = parse_list(data.encode())
    assert [(e.title, e.arxiv_id) for e in parsed.entries] == [
        ("WebAgent: A Real Paper Title", "2301.00003"), ("Another Real Paper Title", "2301.00004")]


def test_bold_titles_with_bare_paper_lines_read_their_ids():
    data = ("# P\n\n**Title One of a Paper**\n- Paper: https://arxiv.org/abs/2301.00001\n\n"
            "**Title Two of a Paper**\n- Paper: https://arxiv.org/abs/2301.00002\n")
    parsed = parse_list(data.encode())
    assert [(e.title, e.arxiv_id, e.id_form) for e in parsed.entries] == [
        ("Title One of a Paper", "2301.00001", "bare"), ("Title Two of a Paper", "2301.00002", "bare")]


def test_each_section_is_read_in_its_own_shape_and_says_so():
    data = ("# Items\n\n- [An Item Paper Title](https://arxiv.org/abs/2301.00001), Li et al., Arxiv 2023\n\n"
            "# Table\n\n| Title | Venue |\n|---|---|\n| [A Row Paper Title](https://arxiv.org/abs/2301.00002) | ICML 2023 |\n\n"
            "# Paragraphs\n\n**A Paragraph Paper Title** \\\n*Ada Lovelace* \\\n"
            "ICLR 2023. [[Paper](https://arxiv.org/abs/2301.00003)]\n")
    parsed = parse_list(data.encode())
    assert [(e.shape, e.arxiv_id) for e in parsed.entries] == [
        ("item", "2301.00001"), ("row", "2301.00002"), ("paragraph", "2301.00003")]
    assert [(s.line, s.shape, s.source) for s in parsed.sections] == [
        (1, "item", "vote"), (5, "row", "vote"), (11, "paragraph", "vote")]


def test_shape_override_reads_every_section_in_one_shape():
    data = "# P\n\n- [An Item Paper Title](https://arxiv.org/abs/2301.00001)\n".encode()
    assert [s.shape for s in parse_list(data, shape="item").sections] == ["item"]
    forced = parse_list(data, shape="row")
    assert forced.entries == () and forced.sections[0].source == "flag"
    with pytest.raises(ValueError):
        parse_list(data, shape="poem")


def test_coverage_counts_links_inside_and_outside_entries():
    data = ("# P\n\nSee our survey https://arxiv.org/abs/2301.09999 first.\n\n"
            "- [A Paper Title Here](https://arxiv.org/abs/2301.00001), arXiv:2301.00001\n").encode()
    cov = parse_list(data).coverage
    assert (cov.links, cov.links_in_entries, cov.ids, cov.ids_in_entries) == (3, 2, 2, 1)
    assert cov.summary == "3 arXiv links in the file, 2 inside entries"
    assert [(s.line, s.arxiv_id) for s in cov.stray] == [(3, "2301.09999")]


def test_carried_fields_are_those_the_section_writes():
    rows = "".join(f"- [Paper Title Number {i}](https://arxiv.org/abs/2301.{i:05d})\n" for i in range(1, 21))
    bare = parse_list(f"# P\n\n{rows}".encode())
    assert {e.carried for e in bare.entries} == {()}
    rich = parse_list(f"# P\n\n{rows.replace(')', '), Li et al., CVPR 2023')}".encode())
    assert {e.carried for e in rich.entries} == {("authors", "venue")}


def test_unclosed_html_rows_and_cells_are_read_in_one_pass():
    # 20,000 unclosed <tr><td> once took 14 s (a lazy <tr>.*?</tr> rescans the rest per tag);
    # the rows that do close are still read, each from its last opening tag.
    data = ("# P\n\n<table>" + "<tr><td>" * 20000 + "\n<tr><td><tr><td>"
            '<a href="https://arxiv.org/abs/2301.00001">An HTML Row Title</a></td><td>ICML 2023</td></tr>\n'
            "</table>\n").encode()
    (e,) = parse_list(data).entries
    assert (e.shape, e.title, e.arxiv_id, len(e.cells)) == ("row", "An HTML Row Title", "2301.00001", 2)
    assert data[e.span.start:e.span.end].startswith(b"<tr><td><a href=")


_PIECES = [b"# H\n", b"### Title of a Paper\n", b"- ", b"* ", b"1. ", b"  ", b"\n", b"\n\n", b"**", b"*", b"_",
           b'"', b"[", b"]", b"(", b")", b"](", b"[[", b"]]", b"![", b"|", b"|---|---|\n", b"<tr>", b"</tr>",
           b"<td>", b"</td>", b"<a href=\"", b"\">", b"</a>", b"https://arxiv.org/abs/2301.00001",
           b"http://arxiv.org/pdf/2302.00002v2.pdf", b"arXiv:2303.00003", b"cs/0501001", b"Paper", b"Code",
           b"Li et al.", b"(CVPR 2023)", b"NeurIPS '24", b"A Title Here", b", ", b"\xc3\xa9", b"\xff", b"\r\n",
           b"<!-- ", b" -->", b"```\n", b"Authors: ", b"<br />"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(b"".join))
def test_any_mix_of_every_shapes_markup_reads_without_error_and_spans_stay_inside(data):
    parsed = parse_list(data)
    for e in parsed.entries:
        spans = [e.span, e.title_span, e.authors_span, e.venue_span, e.arxiv_id_span, *e.cells,
                 *(ln.span for ln in e.links)]
        assert all(0 <= s.start <= s.end <= len(data) for s in spans if s is not None)
        inner = [s for s in (e.title_span, e.authors_span, e.venue_span, e.arxiv_id_span) if s is not None]
        assert all(e.span.start <= s.start and s.end <= e.span.end for s in inner)
        assert e.shape in ("paragraph", "item", "row", "heading")
    starts = [e.span.start for e in parsed.entries]
    assert starts == sorted(starts)
    cov = parsed.coverage
    assert cov is not None and cov.links_in_entries <= cov.links and cov.ids_in_entries <= cov.ids


def test_a_venue_only_in_the_heading_is_read_and_never_written():
    data = ("# Papers\n\n### 2024 CVPR\n\n- [A Paper Title Here](https://arxiv.org/abs/2301.00001)\n"
            "- [Another Paper Title](https://arxiv.org/abs/2301.00002), ICLR 2024\n- [Contents](#contents)\n")
    first, second = parse_list(data.encode()).entries
    assert (first.venue, first.venue_in_heading, first.venue_span) == ("2024 CVPR", True, None)
    assert (second.venue, second.venue_in_heading) == ("ICLR 2024", False)
