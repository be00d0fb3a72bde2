import datetime as dt

import pytest

from diffsync.listfile.dates import format_date_like, parse_date

D = dt.date


@pytest.mark.parametrize(
    "text, expected, date_text",
    [
        ("19 Jun 2020", D(2020, 6, 19), "19 Jun 2020"),
        ("7 April 2022", D(2022, 4, 7), "7 April 2022"),
        ("30 Sept 2022 \\", D(2022, 9, 30), "30 Sept 2022"),
        ("[Submitted on 6 Feb 2023]", D(2023, 2, 6), "6 Feb 2023"),
        ("Submitted on 9 Oct 2022 (v1)", D(2022, 10, 9), "9 Oct 2022"),
        (
            "arxiv [Submitted on 2 Nov 2022 (v1), last revised 17 Nov 2022 (this version, v4)]",
            D(2022, 11, 2),
            "2 Nov 2022",
        ),
        ("arxiv 27 Jan 2023 [[Paper](https://arxiv.org/abs/2301.12003)]", D(2023, 1, 27), "27 Jan 2023"),
        ("arxiv Submitted on 8 Dec 2022\\ preprint", D(2022, 12, 8), "8 Dec 2022"),
        ("6 DEc 2022", D(2022, 12, 6), "6 DEc 2022"),  # real typo in the large list
        ("30 Oct 2023``", D(2023, 10, 30), "30 Oct 2023"),
        ("10 Mar. 2023", D(2023, 3, 10), "10 Mar. 2023"),
        ("06 Feb 2023", D(2023, 2, 6), "06 Feb 2023"),
        ("1st Mar 2021", D(2021, 3, 1), "1st Mar 2021"),
        ("June 19, 2020", D(2020, 6, 19), "June 19, 2020"),
        ("released 2020-06-19.", D(2020, 6, 19), "2020-06-19"),
    ],
)
def test_parse_date_finds_date_and_exact_span(text, expected, date_text):
    found = parse_date(text)
    assert found is not None
    value, start, end = found
    assert value == expected
    assert text[start:end] == date_text


@pytest.mark.parametrize(
    "text",
    ["", "arXiv 2022.", "ICLR 2023 Submission", "31 Feb 2022", "2206.00364", "Jun 2022", "12 Foo 2022"],
)
def test_parse_date_rejects_non_dates(text):
    assert parse_date(text) is None


def test_parse_date_skips_an_impossible_date_for_the_next_real_one():
    value, start, end = parse_date("31 Feb 2022, then 1 Mar 2022")
    assert value == D(2022, 3, 1) and (start, end) == (18, 28)


@pytest.mark.parametrize(
    "example, new, expected",
    [
        ("19 Jun 2020", D(2023, 9, 3), "3 Sep 2023"),
        ("7 April 2022", D(2023, 9, 3), "3 September 2023"),
        ("30 Sept 2022", D(2023, 9, 3), "3 Sept 2023"),
        ("30 Sept 2022", D(2023, 10, 3), "3 Oct 2023"),  # "Sept" is September's own spelling
        ("06 Feb 2023", D(2023, 9, 3), "03 Sep 2023"),
        ("10 Mar. 2023", D(2023, 9, 3), "3 Sep. 2023"),
        ("10 Mar. 2023", D(2023, 5, 3), "3 May 2023"),  # never "May."
        ("5 MAY 2021", D(2023, 7, 14), "14 JUL 2023"),
        ("5 may 2021", D(2023, 7, 14), "14 jul 2023"),
        ("1st Mar 2021", D(2023, 7, 22), "22nd Jul 2023"),
        ("1st Mar 2021", D(2023, 7, 11), "11th Jul 2023"),
        ("June 19, 2020", D(2023, 1, 2), "January 2, 2023"),
        ("2020-06-19", D(2023, 1, 2), "2023-01-02"),
        ("[Submitted on 6 Feb 2023]", D(2023, 1, 2), "2 Jan 2023"),
        ("no date here", D(2023, 1, 2), "2 Jan 2023"),
    ],
)
def test_format_date_like_keeps_the_examples_style(example, new, expected):
    assert format_date_like(example, new) == expected


@pytest.mark.parametrize("example", ["19 Jun 2020", "7 April 2022", "30 Sept 2022", "06 Feb 2023", "Jun 9, 2020"])
def test_formatted_date_parses_back(example):
    new = D(2021, 9, 30)
    assert parse_date(format_date_like(example, new))[0] == new
