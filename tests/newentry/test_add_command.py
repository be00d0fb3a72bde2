"""`diffsync add` end to end: the real CLI in-process against the fake arXiv on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from diffsync.listfile.parse import parse_list
from diffsync.listfile.safetext import markdown_text
from helpers.builders import without_entry
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e

DREAMBOOTH = "2208.12242"
PAPERS = {p.arxiv_id: p for p in example_papers()}


@pytest.fixture
def fake(fake_env):
    with fake_env(PAPERS.values()) as server:
        yield server


@pytest.fixture
def lst(tmp_path, fake):
    path = tmp_path / "list.md"
    path.write_bytes(without_entry(EXAMPLE_LIST.read_bytes(), DREAMBOOTH))
    return path


def test_add_shows_the_diff_and_writes_only_with_write(lst, capsys, monkeypatch):
    before = lst.read_bytes()
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "Odds and ends")
    assert code == 0, err
    assert lst.read_bytes() == before  # a diff first, nothing written
    assert out.startswith("--- a/") and "+**DreamBooth: Fine Tuning" in out
    assert "would add 2208.12242 at line 56" in err and "--write" in err
    code, out2, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "Odds and ends",
                              "--write")
    assert code == 0, err and out2 == out
    after = lst.read_bytes()
    # The diff said exactly what was written: the inserted lines, nothing else changed.
    inserted = "".join(line[1:] + "\n" for line in out.splitlines() if line.startswith("+") and
                       not line.startswith("+++"))
    assert after.replace(inserted.encode(), b"", 1) == before
    # arXiv's comment says "Accepted to CVPR 2023": the placeholder venue is not written.
    assert inserted.splitlines()[2] == "CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)] \\"
    # Idempotent: the paper is in the list now, so a second add refuses and changes nothing.
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "Odds and ends",
                           "--write")
    assert code == 2 and err.strip() == "diffsync: error: arXiv 2208.12242 is already in the list, at line 56"
    assert lst.read_bytes() == after


@pytest.mark.parametrize("given", ["2208.12242", "arXiv:2208.12242v2", "https://arxiv.org/abs/2208.12242v1",
                                   "https://arxiv.org/pdf/2208.12242", "http://export.arxiv.org/pdf/2208.12242v3.pdf"])
def test_every_way_of_naming_a_paper_adds_the_same_entry(lst, capsys, monkeypatch, given):
    code, out, err = run_cli(capsys, monkeypatch, "add", given, "-l", str(lst), "-u", "odds and ends", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [a["arxiv_id"] for a in doc["added"]] == [DREAMBOOTH] and doc["written"] is False
    assert "+CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)] \\\n" in doc["diff"]  # never a version


def test_refusals_are_one_line_and_leave_the_list_alone(lst, capsys, monkeypatch):
    before = lst.read_bytes()
    cases = [
        (["add", "2006.11239"], "arXiv 2006.11239 is already in the list, at line 8"),
        (["add", "2404.99999", "-u", "Odds and ends"], "arXiv does not know 2404.99999 (asked twice); nothing was added"),
        (["add", "not-an-id"], "not an arXiv ID or arxiv.org URL: 'not-an-id'"),
        (["add", "https://example.org/abs/2208.12242"], "not an arXiv ID or arxiv.org URL"),
        (["add", DREAMBOOTH, "-u", "Odds and endz"], 'no heading "Odds and endz" in the list; did you mean '
                                                    '"Odds and ends"?'),
        (["add", DREAMBOOTH], "say where the entry goes: --under HEADING"),
        (["add", DREAMBOOTH, "2006.11239", "-s", "x", "-u", "Foundations"], "--summary goes with one paper"),
        (["add", DREAMBOOTH, "-u", "Odds and ends", "-s", "red \x1b[31m text"], "--summary holds control characters"),
        (["add", DREAMBOOTH, "-u", "  "], "--under needs the text of a heading"),
        (["add", DREAMBOOTH, "-u", "/"], 'no heading "/" in the list'),
    ]
    for args, message in cases:
        code, out, err = run_cli(capsys, monkeypatch, *args, "-l", str(lst))
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err, (args, err)
        assert out == ""
    assert lst.read_bytes() == before


def test_a_missing_list_and_an_unreachable_arxiv_are_exit_3(lst, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", "nope.md", "-u", "x")
    assert code == 3 and len(err.strip().splitlines()) == 1 and "nope.md" in err
    monkeypatch.setenv("DIFFSYNC_ARXIV_URL", "http://127.0.0.1:9/api/query")  # nothing listens there
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends")
    assert code == 3 and "unreachable" in err and "--offline" in err and "DIFFSYNC_ARXIV_URL" in err
    assert [line for line in err.splitlines() if "error" in line] == [err.splitlines()[-1]]


def test_summary_from_stdin_and_offline_from_the_cache(lst, capsys, monkeypatch, fake):
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends")
    assert code == 0, err
    asked = len(fake.log)
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends",
                             "--offline", "--summary", "-", "--write", stdin="Subject-driven\n fine-tuning.\n")
    assert code == 0, err
    assert len(fake.log) == asked  # offline: the stored record, no request
    entry = next(e for e in parse_list(lst.read_bytes()).entries if e.arxiv_id == DREAMBOOTH)
    text = lst.read_bytes()[entry.span.start:entry.span.end].decode()
    assert text.endswith("25 Aug 2022 \\\nSubject-driven fine-tuning.\n")  # the date line now continues


def test_arxiv_text_cannot_change_the_lists_structure(lst, capsys, monkeypatch, fake):
    hostile = replace(PAPERS[DREAMBOOTH], title="Break **out** \\\n# Heading [x](javascript:alert(1)) <details>",
                      authors=("Eve *Mallory*", "**Bold** [Name](http://x)", "Trent\n## H"))
    fake.update_paper(hostile)
    before = parse_list(lst.read_bytes())
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends",
                           "--write")
    assert code == 0, err
    after = parse_list(lst.read_bytes())
    assert len(after.entries) == len(before.entries) + 1 and len(after.headings) == len(before.headings)
    new = next(e for e in after.entries if e.arxiv_id == DREAMBOOTH)
    # written as plain text: every Markdown character escaped, on the title line
    assert new.title == markdown_text(" ".join(hostile.title.split())) and len(new.authors) == 3
    assert [link.url for link in new.links] == ["https://arxiv.org/abs/2208.12242"]


def test_add_keeps_a_checked_list_exportable(lst, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json")
    assert code == 1, err
    before = {f["id"]: f["line"] for f in json.loads(out)["findings"]}
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Foundations", "--write")
    assert code == 0, err
    code, _, err = run_cli(capsys, monkeypatch, "accept", "--all", "--list", str(lst))
    assert code == 0, err
    # Export does not refuse the list as changed since its check, and its fixes land on
    # the entries they were found on, below the new entry too.
    code, out, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
    assert code == 0, err
    code, out, err = run_cli(capsys, monkeypatch, "check", str(lst), "--json")
    found = json.loads(out)["findings"]
    assert DREAMBOOTH not in {f["arxiv_id"] for f in found}  # the new entry agrees with arXiv
    assert len(before) > len([f for f in found if f["status"] == "open"])


def test_the_code_link_arxivs_comment_gives_is_written_with_the_lists_label(lst, capsys, monkeypatch, fake):
    fake.update_paper(replace(PAPERS[DREAMBOOTH], comment="Accepted to CVPR 2023. Code: https://github.com/g/db."))
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends")
    assert code == 0, err
    assert ("+CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)] [[Github](https://github.com/g/db)] \\\n"
            in out)
    # a repository the comment does not call the paper's code is someone else's: not linked
    fake.update_paper(replace(PAPERS[DREAMBOOTH], comment="We build on https://github.com/CompVis/sd"))
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "-u", "Odds and ends")
    assert code == 0 and "github.com/CompVis" not in out


DATED = (
    "## New updated\n\n<details>\n  <summary>In the last month</summary>\n  \n"
    "  ### 10 Mar. 2023\n"
    "  **On Calibrating Diffusion Probabilistic Models**\\\n  *Tianyu Pang, Cheng Lu*\\\n"
    "  arXiv 2023. [[Paper](https://arxiv.org/abs/2302.10688)]\\\n  [Submitted on 21 Feb 2023]\\\n"
    "  A summary.\n  \n  \n"
    "  ### 24 Feb 2023\n"
    "  **MagicVideo: Efficient Video Generation With Latent Diffusion Models**\\\n  *Daquan Zhou, Weimin Wang*\\\n"
    "  arXiv 2023. [[Paper](https://arxiv.org/abs/2211.11018)]\\\n  [Submitted on 20 Nov 2022]\\\n"
    "  Another.\n  \n</details>\n\n"
    "# Papers\n## Audio\n### Generation\n\n**A** \\\n*B C* \\\narXiv 2020. [[Paper](https://arxiv.org/abs/2001.00001)]\n\n"
    "## Vision\n### Generation\n\n**D** \\\n*E F* \\\narXiv 2020. [[Paper](https://arxiv.org/abs/2001.00002)]\n"
)


def test_under_today_creates_todays_section_in_the_lists_heading_format_once(lst, capsys, monkeypatch):
    from datetime import date

    from diffsync.listfile.dates import format_date_like

    lst.write_text(DATED)
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "today",
                           "--summary", "Subject-driven.", "--write")
    assert code == 0, err
    today = format_date_like("10 Mar. 2023", date.today())
    text = lst.read_text()
    assert text.startswith(
        "## New updated\n\n<details>\n  <summary>In the last month</summary>\n  \n"
        f"  ### {today}\n"
        "  **DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation**\\\n"
        "  *Nataniel Ruiz, Yuanzhen Li, Varun Jampani, Yael Pritch, Michael Rubinstein, Kfir Aberman*\\\n"
        "  CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)]\\\n"
        "  [Submitted on 25 Aug 2022]\\\n"
        "  Subject-driven.\n  \n  \n"  # spaced as the list spaces its dated sections
        "  ### 10 Mar. 2023\n")
    # The next paper today goes into that section: no second heading.
    code, _, err = run_cli(capsys, monkeypatch, "add", "2006.11239", "-l", str(lst), "--under", "today", "--write")
    assert code == 0, err
    assert lst.read_text().count(f"### {today}\n") == 1
    assert f'under "{today}"' in err


def test_a_heading_named_twice_is_chosen_by_its_parents(lst, capsys, monkeypatch):
    lst.write_text(DATED)
    code, _, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "Generation")
    assert code == 2 and '2 headings read "Generation"' in err and '--under "Papers / Audio / Generation"' in err
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "-l", str(lst), "--under", "Vision/Generation",
                             "--write")
    assert code == 0, err
    text = lst.read_text()
    assert text.index("## Vision\n### Generation\n") < text.index("**DreamBooth") < text.index("**D** \\")


def test_several_papers_at_once_each_in_its_place_one_diff(lst, capsys, monkeypatch):
    data = lst.read_bytes()
    without = without_entry(data, "2006.11239")  # DDPM too, from "Foundations"
    lst.write_bytes(without)
    code, out, err = run_cli(capsys, monkeypatch, "add", DREAMBOOTH, "arXiv:2006.11239v2", "-l", str(lst),
                             "-u", "Foundations", "--json", "--write")
    assert code == 0, err
    doc = json.loads(out)
    assert [a["arxiv_id"] for a in doc["added"]] == [DREAMBOOTH, "2006.11239"]
    assert doc["diff"].count("\n+**") == 2 and doc["written"] is True
    entries = parse_list(lst.read_bytes()).entries
    assert [e.section for e in entries if e.arxiv_id in (DREAMBOOTH, "2006.11239")] == ["Foundations"] * 2
    assert len(entries) == len(parse_list(without).entries) + 2


def test_a_heading_with_a_slash_in_its_name_is_found_whole():
    from datetime import date

    from diffsync.newentry.place import find_section

    data = (b"## Image/Video Editing\n\n**A** \\\n*B C* \\\narXiv 2020. [[Paper](https://arxiv.org/abs/2001.00001)]\n"
            b"\n## Audio\n\n**D** \\\n*E F* \\\narXiv 2020. [[Paper](https://arxiv.org/abs/2001.00002)]\n")
    section = find_section(data, parse_list(data), "Image/Video Editing", date(2024, 1, 1))
    assert section.heading.text == "Image/Video Editing" and [e.title for e in section.entries] == ["A"]
