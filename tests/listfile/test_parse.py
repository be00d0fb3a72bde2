"""The parser on the project's own fixture list: every field, every span."""

from __future__ import annotations

import datetime as dt

import pytest

from diffsync.listfile.parse import parse_list, split_authors

from helpers.spans import assert_spans_exact, text_at
from helpers import paths

FIXTURE = paths.FIXTURES / "lists" / "variants.md"
DATA = FIXTURE.read_bytes()
PARSED = parse_list(DATA, str(FIXTURE))
BY_LINE = {e.line: e for e in PARSED.entries}


def test_reads_every_entry_in_order_and_never_changes_the_bytes():
    before = bytes(DATA)
    parsed = parse_list(DATA)
    assert DATA == before
    assert [e.line for e in parsed.entries] == [12, 22, 28, 33, 38, 43, 50, 55, 62, 67, 72, 75, 79, 83, 88]
    assert parsed.newline == "\n"
    assert parsed.problems == ()
    assert len(parsed.sha256) == 64


def test_every_span_gives_back_its_field():
    assert assert_spans_exact(DATA, PARSED) > 60


def test_indented_entry_inside_details():
    e = BY_LINE[12]
    assert e.title == "On Calibrating Diffusion Probabilistic Models"
    assert e.section == "10 Mar. 2023"
    assert e.authors == ("Tianyu Pang", "Cheng Lu", "Chao Du", "Min Lin", "Shuicheng Yan", "Zhijie Deng")
    assert e.venue == "arXiv 2023."
    assert (e.arxiv_id, e.arxiv_version) == ("2302.10688", None)
    assert e.date == dt.date(2023, 2, 21)
    assert e.date_text == "[Submitted on 21 Feb 2023]"
    assert text_at(DATA, e.date_span) == "21 Feb 2023"
    assert [(ln.label, ln.url, ln.broken) for ln in e.links] == [
        ("Paper", "https://arxiv.org/abs/2302.10688", False),
        ("Code", "https://github.com/thudzj/Calibrated-DPMs", False),
    ]
    # The summary's date and link are prose, not metadata.
    assert e.problems == ()
    assert text_at(DATA, e.span).startswith("  **On Calibrating")
    assert text_at(DATA, e.span).endswith("is not metadata.\n")


def test_plain_entry_with_two_links():
    e = BY_LINE[22]
    assert e.title == "Denoising Diffusion Probabilistic Models"
    assert e.authors == ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel")
    assert e.authors_text == "Jonathan Ho, Ajay Jain, Pieter Abbeel"
    assert e.venue == "NeurIPS 2020."
    assert e.arxiv_id == "2006.11239"
    assert e.date == dt.date(2020, 6, 19) and e.date_text == "19 Jun 2020"
    assert [ln.label for ln in e.links] == ["Paper", "Github"]
    assert text_at(DATA, e.links[0].span) == "[[Paper](https://arxiv.org/abs/2006.11239)]"
    assert e.section == "Must-read"


def test_sup_marks_are_stripped_from_names_but_kept_in_the_written_text():
    e = BY_LINE[28]
    assert e.authors == ("Alex Nichol", "Prafulla Dhariwal")
    assert e.authors_text == "Alex Nichol<sup>1</sup>, Prafulla Dhariwal<sup>1</sup>"


def test_pdf_link_gives_the_id():
    e = BY_LINE[28]
    assert e.arxiv_id == "2102.09672"
    assert text_at(DATA, e.arxiv_id_span) == "2102.09672"


def test_query_string_is_not_part_of_the_id():
    e = BY_LINE[33]
    assert e.arxiv_id == "2207.11192"
    assert text_at(DATA, e.arxiv_id_span) == "2207.11192"
    assert e.links[0].url == "https://arxiv.org/abs/2207.11192?context=cs"


def test_version_is_kept_apart_and_its_span_covers_it():
    e = BY_LINE[38]
    assert (e.arxiv_id, e.arxiv_version) == ("2204.03458", 2)
    assert text_at(DATA, e.arxiv_id_span) == "2204.03458v2"
    assert e.date == dt.date(2022, 4, 7) and e.date_text == "7 April 2022"


def test_arxiv_id_written_in_text():
    e = BY_LINE[43]
    assert e.links == ()
    assert e.arxiv_id == "2206.00364"
    assert text_at(DATA, e.arxiv_id_span) == "2206.00364"
    assert e.date == dt.date(2022, 6, 1)
    assert e.date_text == "Submitted on 1 Jun 2022 (v1)"


def test_old_style_ids():
    assert BY_LINE[50].arxiv_id == "hep-th/9901001"
    e = BY_LINE[55]
    assert (e.arxiv_id, e.arxiv_version) == ("math/0309136", 3)
    assert text_at(DATA, e.arxiv_id_span) == "math.GT/0309136v3"
    assert e.section == "Old style"


def test_anonymous_authors_give_no_names():
    assert BY_LINE[50].authors == ()
    assert BY_LINE[50].authors_text == "Anonymous"
    assert BY_LINE[67].authors == ()
    assert BY_LINE[67].authors_text == "Anonymous authors"


def test_broken_link_still_gives_the_id_and_a_problem():
    e = BY_LINE[62]
    assert e.arxiv_id == "2301.12003"
    (link,) = e.links
    assert link.broken and link.label == "Paper"
    assert text_at(DATA, link.span) == "[[Paper] (https://arxiv.org/abs/2301.12003)]"
    assert len(e.problems) == 1 and "space between" in e.problems[0]
    assert e.date == dt.date(2023, 1, 27) and e.date_text == "arxiv 27 Jan 2023"
    assert e.venue is None


def test_openreview_only_entry_has_no_arxiv_id():
    e = BY_LINE[67]
    assert e.arxiv_id is None and e.arxiv_id_span is None
    assert e.links[0].url == "https://openreview.net/forum?id=iJ_E0ZCy8fi"
    assert e.date == dt.date(2022, 9, 30) and text_at(DATA, e.date_span) == "30 Sept 2022"
    assert e.venue == "Submitted to ICLR2023."
    assert e.problems == ()


def test_entry_with_no_link_and_no_date():
    e = BY_LINE[72]
    assert e.title == "Adding Conditional Control to Text-to-Image Diffusion Models"
    assert e.authors == ("Lvmin Zhang", "Maneesh Agrawala")
    assert (e.links, e.arxiv_id, e.date, e.date_text, e.date_span) == ((), None, None, None, None)
    assert e.key == "title:adding conditional control to text-to-image diffusion models"


def test_revised_date_line_gives_the_v1_date():
    e = BY_LINE[75]
    assert e.date == dt.date(2022, 11, 2)
    assert e.date_text == "arxiv [Submitted on 2 Nov 2022 (v1), last revised 17 Nov 2022 (this version, v4)]"
    assert text_at(DATA, e.date_span) == "2 Nov 2022"


def test_date_and_venue_on_the_link_line():
    e = BY_LINE[79]
    assert e.date == dt.date(2022, 12, 8)
    assert e.date_text == "arxiv Submitted on 8 Dec 2022"
    assert e.venue == "preprint"
    assert e.arxiv_id == "2212.04488"


def test_mojibake_is_kept_and_reported():
    e = BY_LINE[83]
    assert "BjÃ¶rn Ommer" in e.authors
    assert any("double-encoded" in p and "Björn" in p for p in e.problems)


def test_same_paper_twice_gives_two_entries_with_one_key():
    first, second = BY_LINE[22], BY_LINE[88]
    assert first.key == second.key == "2006.11239"
    assert second.arxiv_version == 1
    assert first.span != second.span


def test_entry_span_runs_to_the_end_of_the_last_line():
    e = BY_LINE[88]
    assert e.span.end == len(DATA)
    assert text_at(DATA, e.span).endswith("19 Jun 2020\n")
    e = BY_LINE[22]
    assert text_at(DATA, e.span).endswith("The paper that started it.\n")


# ---------------------------------------------------------------- encodings


def _same_fields(a, b):
    names = ["line", "section", "title", "authors", "authors_text", "venue", "arxiv_id",
             "arxiv_version", "date", "date_text", "problems"]
    return [getattr(a, n) for n in names] == [getattr(b, n) for n in names]


@pytest.mark.parametrize(
    "variant, newline, problem",
    [
        (DATA.replace(b"\n", b"\r\n"), "\r\n", None),
        (b"\xef\xbb\xbf" + DATA, "\n", "byte-order mark"),
        (b"\xef\xbb\xbf" + DATA.replace(b"\n", b"\r\n"), "\r\n", "byte-order mark"),
    ],
    ids=["crlf", "bom", "bom+crlf"],
)
def test_crlf_and_bom_parse_the_same_with_exact_spans(variant, newline, problem):
    parsed = parse_list(variant)
    assert parsed.newline == newline
    assert len(parsed.entries) == len(PARSED.entries)
    assert all(_same_fields(a, b) for a, b in zip(parsed.entries, PARSED.entries))
    assert assert_spans_exact(variant, parsed) > 60
    if problem:
        assert any(problem in p for p in parsed.problems)
    else:
        assert parsed.problems == ()
    # No stray "\r" in any field read from a CRLF file.
    assert not any("\r" in (e.title + (e.authors_text or "") + (e.date_text or "")) for e in parsed.entries)


def test_latin1_file_parses_with_byte_exact_spans_and_a_file_problem():
    data = (paths.FIXTURES / "lists" / "latin1.md").read_bytes()
    parsed = parse_list(data)
    assert any("not valid UTF-8" in p and "line 5" in p for p in parsed.problems)
    (e,) = parsed.entries
    assert e.title == "Diffusion Schr\ufffddinger Bridge"
    assert e.authors == ("Valentin De Bortoli", "James Thornton", "Jeremy Heng", "Arnaud Doucet")
    assert e.arxiv_id == "2106.01357"
    assert data[e.title_span.start:e.title_span.end] == "Diffusion Schrödinger Bridge".encode("latin-1")
    assert e.date == dt.date(2021, 6, 2)
    # Replacing the title's bytes touches nothing else.
    fixed = data[:e.title_span.start] + "Diffusion Schrödinger Bridge".encode() + data[e.title_span.end:]
    assert parse_list(fixed).entries[0].title == "Diffusion Schrödinger Bridge"


# ---------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    "text, names",
    [
        ("Jonathan Ho, Ajay Jain, Pieter Abbeel", ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel")),
        ("Alex Nichol<sup>1</sup>, Prafulla Dhariwal<sup>1,2</sup>", ("Alex Nichol", "Prafulla Dhariwal")),
        ("Tim Salimans and Jonathan Ho", ("Tim Salimans", "Jonathan Ho")),
        ("Sangyun Lee et al.", ("Sangyun Lee",)),
        ("Anonymous authors", ()),
        ("None", ()),
        ("Jascha Sohl-Dickstein, MIT 6.S192 - Lecture 22", ("Jascha Sohl-Dickstein", "MIT 6.S192 - Lecture 22")),
        ("Yuki M.Asano, Cees G. M. Snoek", ("Yuki M.Asano", "Cees G. M. Snoek")),
    ],
)
def test_split_authors(text, names):
    assert split_authors(text) == names


def test_heading_title_and_code_blocks_are_not_entries():
    data = b"# **Not an entry**\n\n```\n**Not an entry either**\n```\n\n**Entry**\n*A B*\n"
    parsed = parse_list(data)
    assert [e.title for e in parsed.entries] == ["Entry"]
    assert parsed.entries[0].section == "**Not an entry**"


def test_other_broken_link_shapes_and_empty_urls_are_problems():
    data = (b"**T**\n*A B*\n"
            b"arXiv 2023. [[Paper(https://arxiv.org/abs/2303.16852)] [[Code]()] "
            b"[[Project](https://x.org) [[Git](https://github.com/x)]\n3 Mar 2023\n")
    (e,) = parse_list(data).entries
    assert e.arxiv_id == "2303.16852"
    assert [(ln.label, ln.broken) for ln in e.links] == [
        ("Paper", True), ("Code", False), ("Project", True), ("Git", False)]
    assert len(e.problems) == 3
    assert e.date == dt.date(2023, 3, 3)


def test_conflicting_arxiv_links_prefer_the_paper_link_and_say_so():
    data = (b"**T**\n*A B*\n[[Code](https://arxiv.org/abs/2101.00001)] "
            b"[[Paper](https://arxiv.org/abs/2202.00002v3)]\n")
    (e,) = parse_list(data).entries
    assert (e.arxiv_id, e.arxiv_version) == ("2202.00002", 3)
    assert any("2101.00001" in p for p in e.problems)
    assert data[e.arxiv_id_span.start:e.arxiv_id_span.end] == b"2202.00002v3"


def test_malformed_arxiv_link_is_a_problem_not_an_id():
    (e,) = parse_list(b"**T**\n[[Paper](https://arxiv.org/abs/2212.1234)]\n").entries
    assert e.arxiv_id is None
    assert any("no valid arXiv ID" in p for p in e.problems)


def test_empty_and_entryless_input():
    assert parse_list(b"").entries == ()
    parsed = parse_list(b"# Just a heading\n\nSome text.\n")
    assert parsed.entries == ()
    assert any("no entries" in p for p in parsed.problems)


def test_last_line_without_newline_ends_the_entry_at_end_of_data():
    data = b"**T**\r\n*A B*\r\n[[Paper](https://arxiv.org/abs/2006.11239)]\r\n19 Jun 2020"
    (e,) = parse_list(data).entries
    assert e.span == type(e.span)(0, len(data))
    assert e.date == dt.date(2020, 6, 19)
    assert data[e.date_span.start:e.date_span.end] == b"19 Jun 2020"
