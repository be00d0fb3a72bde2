"""Drift rules: one finding per entry and kind, no alarms over cosmetics."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from diffsync.models import Kind, SearchMatch, finding_id
from diffsync.drift.rules import compare, needs_search, search_key
from helpers.builders import entry, paper_link, record

CFG = "Classifier-Free Diffusion Guidance"


def kinds(findings):
    return sorted(f.kind.value for f in findings)


def test_identical_entry_has_no_findings():
    e = entry(CFG, on=date(2022, 7, 26))
    assert compare([e], {"2207.12598": record(CFG)}) == []


def test_unchecked_entry_produces_nothing():
    e = entry("Anything at all", on=date(1999, 1, 1))
    assert compare([e], {}) == []


# ------------------------------------------------------------------ title


def test_title_changed_on_arxiv_is_drift_with_suggestion():
    e = entry("SDEdit: Image Synthesis and Editing with Stochastic Differential Equations",
              ["Chenlin Meng", "Yang Song"], "2108.01073")
    r = record("SDEdit: Guided Image Synthesis and Editing with Stochastic Differential Equations",
               ["Chenlin Meng", "Yang Song"], "2108.01073", version=2)
    [f] = compare([e], {"2108.01073": r})
    assert f.kind is Kind.TITLE
    assert f.suggestion == r.title
    assert f.listed == e.title and f.arxiv == r.title
    assert '(v2)' in f.message and 'list has "SDEdit: Image' in f.message


def test_prefix_added_on_arxiv_is_drift():
    e = entry("Improving Score-based Diffusion Models by Enforcing the Underlying Score Fokker-Planck Equation")
    r = record("FP-Diffusion: Improving Score-based Diffusion Models by Enforcing the Underlying Score "
               "Fokker-Planck Equation")
    assert kinds(compare([e], {"2207.12598": r})) == ["title"]


def test_trailing_citation_leftover_is_drift():
    e = entry("Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis, Sangyun Lee et al., 2022",
              ["Sangyun Lee", "Hyungjin Chung"], "2207.11192")
    r = record("Progressive Deblurring of Diffusion Models for Coarse-to-Fine Image Synthesis",
               ["Sangyun Lee", "Hyungjin Chung"], "2207.11192")
    [f] = compare([e], {"2207.11192": r})
    assert f.kind is Kind.TITLE
    assert "pasted citation" in f.message and "Sangyun Lee et al., 2022" in f.message
    assert f.suggestion == r.title


def test_misspelled_title_word_is_drift():
    e = entry("Adding Conditional Control to Text-to-Image Difusion Models")
    r = record("Adding Conditional Control to Text-to-Image Diffusion Models")
    assert kinds(compare([e], {"2207.12598": r})) == ["title"]


def test_cosmetic_title_differences_are_not_drift_unless_strict():
    pairs = [
        ("Self-Guided DIffusion Models", "Self-Guided Diffusion Models"),  # case
        ("Zero-shot  Image-to-Image\tTranslation", "Zero-Shot Image-to-Image Translation"),  # whitespace
        ("Diffusion -- a survey", "Diffusion — A Survey"),  # dashes
        ("$\\mathcal{O}(n)$ Sampling for {GAN}s", "O(n) Sampling for GANs"),  # TeX
        ("Über Diffusion", "Uber Diffusion"),  # diacritics
        ("$\\alpha$-Blending", "α-Blending"),  # TeX vs Unicode Greek
        ("“Quoted” Models", '"Quoted" Models'),  # quotes
        ("ＧＡＮ Models", "GAN Models"),  # full-width (NFKC)
    ]
    for listed, theirs in pairs:
        e = entry(listed)
        r = record(theirs)
        assert compare([e], {"2207.12598": r}) == [], (listed, theirs)
        assert kinds(compare([e], {"2207.12598": r}, strict=True)) == ["title"], (listed, theirs)


# ------------------------------------------------------------------ authors


def test_authors_added_in_a_later_version_are_drift():
    e = entry("ControlNet", ["Lvmin Zhang", "Maneesh Agrawala"])
    r = record("ControlNet", ["Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"], version=3)
    [f] = compare([e], {"2207.12598": r})
    assert f.kind is Kind.AUTHORS
    assert "missing Anyi Rao" in f.message
    assert f.suggestion == "Lvmin Zhang, Anyi Rao, Maneesh Agrawala"
    assert f.listed == "Lvmin Zhang, Maneesh Agrawala"


def test_missing_extra_misspelled_and_reordered_authors():
    r = record(CFG, ["Jonathan Ho", "Tim Salimans", "Ben Poole"])
    cases = {
        ("Jonathan Ho", "Tim Salimans"): "missing Ben Poole",
        ("Jonathan Ho", "Tim Salimans", "Ben Poole", "Ada Lovelace"): "not on arXiv Ada Lovelace",
        ("Jonathon Ho", "Tim Salimans", "Ben Poole"): "misspelled Jonathon Ho (arXiv: Jonathan Ho)",
        ("Tim Salimans", "Jonathan Ho", "Ben Poole"): "order differs",
    }
    for listed, why in cases.items():
        [f] = compare([entry(CFG, listed)], {"2207.12598": r})
        assert f.kind is Kind.AUTHORS and why in f.message, (listed, f.message)


def test_cosmetic_author_differences_are_not_drift_unless_strict():
    theirs = ["Jun-Yan Zhu", "Björn Ommer", "Diederik P. Kingma", "Yuki M. Asano", "Matthias Nießner"]
    variants = [
        ["Jun Yan Zhu", "Björn Ommer", "Diederik P. Kingma", "Yuki M. Asano", "Matthias Nießner"],
        ["Jun-Yan Zhu", "Bjorn Ommer", "Diederik P Kingma", "Yuki M.Asano", "Matthias Niessner"],
        ["J.-Y. Zhu", "B. Ommer", "D. P. Kingma", "Y. M. Asano", "M. Nießner"],
        ["Jun-Yan Zhu", "BjÃ¶rn Ommer", "Diederik Kingma", "Yuki M. Asano", "Matthias NieÃŸner"],  # mojibake
        ["Zhu Jun-Yan", "Björn Ommer", "Diederik P. Kingma Jr.", "Yuki M. Asano", "Matthias Nießner"],  # order, suffix
    ]
    for listed in variants:
        e = entry(CFG, listed)
        r = record(CFG, theirs)
        assert compare([e], {"2207.12598": r}) == [], listed
        assert kinds(compare([e], {"2207.12598": r}, strict=True)) == ["authors"], listed


def test_nfc_and_nfd_forms_are_the_same_text_even_when_strict():
    e = entry("Caf\u00e9 Models", ["Bjo\u0308rn Ommer"])
    r = record("Cafe\u0301 Models", ["Bj\u00f6rn Ommer"])
    assert compare([e], {"2207.12598": r}, strict=True) == []


def test_sup_marks_alone_are_not_drift_unless_strict():
    e = entry(CFG, ["Alex Nichol", "Prafulla Dhariwal"],
              authors_text="Alex Nichol<sup>1</sup>, Prafulla Dhariwal<sup>1</sup>")
    r = record(CFG, ["Alex Nichol", "Prafulla Dhariwal"])
    assert compare([e], {"2207.12598": r}) == []
    [f] = compare([e], {"2207.12598": r}, strict=True)
    assert f.kind is Kind.AUTHORS and "<sup>" in f.message


def test_truncated_et_al_list_is_compared_as_a_prefix():
    r = record(CFG, ["Ling Yang", "Zhilong Zhang", "Yang Song", "Shenda Hong"])
    ok = entry(CFG, ["Ling Yang", "Zhilong Zhang"], authors_text="Ling Yang, Zhilong Zhang, et al.")
    assert compare([ok], {"2207.12598": r}) == []
    bad = entry(CFG, ["Ling Yang", "Shenda Hong"], authors_text="Ling Yang, Shenda Hong et al.")
    [f] = compare([bad], {"2207.12598": r})
    assert f.kind is Kind.AUTHORS
    assert f.suggestion == "Ling Yang, Zhilong Zhang et al."


def test_anonymous_authors_are_not_compared():
    e = entry(CFG, [], authors_text="Anonymous authors")
    r = record(CFG, ["Jonathan Ho", "Tim Salimans"])
    assert compare([e], {"2207.12598": r}) == []


def test_author_suggestion_keeps_the_entrys_separator_style():
    r = record(CFG, ["A One", "B Two", "C Three"])
    e = entry(CFG, ["A One", "C Three"], authors_text="A One and C Three")
    # One joining rule for suggestion and export (writeback.authorstyle): a final "and".
    assert compare([e], {"2207.12598": r})[0].suggestion == "A One, B Two and C Three"
    e = entry(CFG, ["A One", "C Three"], authors_text="A One; C Three")
    assert compare([e], {"2207.12598": r})[0].suggestion == "A One; B Two; C Three"
    e = entry(CFG, ["A One", "B Two", "D Four"], authors_text="A One, B Two, and D Four")
    assert compare([e], {"2207.12598": r})[0].suggestion == "A One, B Two, and C Three"


# ------------------------------------------------------------------ dates


def test_date_off_by_a_year_is_drift():
    e = entry(CFG, on=date(2022, 2, 6), date_text="6 Feb 2022")
    r = record(CFG, published=datetime(2023, 2, 6, 18, 0, tzinfo=timezone.utc))
    [f] = compare([e], {"2207.12598": r})
    assert f.kind is Kind.DATE
    assert f.suggestion == "2023-02-06" and f.arxiv == "2023-02-06" and f.listed == "6 Feb 2022"
    assert "365 days" in f.message


def test_date_of_a_revised_version_is_drift_vs_v1():
    e = entry(CFG, on=date(2022, 11, 17), date_text="17 Nov 2022")
    r = record(CFG, published=datetime(2022, 11, 2, tzinfo=timezone.utc),
               updated=datetime(2022, 11, 17, tzinfo=timezone.utc), version=4)
    [f] = compare([e], {"2207.12598": r})
    assert f.kind is Kind.DATE and "latest version (v4" in f.message
    assert f.suggestion == "2022-11-02"


def test_dates_are_compared_in_utc():
    # 23:30 in New York on 1 Jun is 2 Jun in UTC, arXiv's date
    from datetime import timedelta
    ny = timezone(timedelta(hours=-4))
    r = record(CFG, published=datetime(2022, 6, 1, 23, 30, tzinfo=ny))
    assert compare([entry(CFG, on=date(2022, 6, 2))], {"2207.12598": r}) == []
    assert kinds(compare([entry(CFG, on=date(2022, 6, 1))], {"2207.12598": r})) == ["date"]


def test_entry_without_date_is_not_drift():
    r = record(CFG, published=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert compare([entry(CFG, on=None)], {"2207.12598": r}) == []


def test_month_precision_dates_compare_by_month():
    r = record(CFG, published=datetime(2022, 7, 26, tzinfo=timezone.utc))
    assert compare([entry(CFG, on=date(2022, 7, 1), date_text="Jul 2022")], {"2207.12598": r}) == []
    assert kinds(compare([entry(CFG, on=date(2022, 6, 1), date_text="Jun 2022")], {"2207.12598": r})) == ["date"]


# ------------------------------------------------------------------ ids


def _boundary_linked_to_smartbrush():
    boundary = entry("Boundary Guided Mixing Trajectory for Semantic Control with Diffusion Models",
                     ["Ye Zhu", "Yu Wu", "Zhiwei Deng", "Olga Russakovsky", "Yan Yan"], "2212.05034",
                     on=date(2023, 2, 16))
    smartbrush = record("SmartBrush: Text and Shape Guided Object Inpainting with Diffusion Model",
                        ["Shaoan Xie", "Zhifei Zhang", "Zhe Lin", "Tobias Hinz", "Kun Zhang"], "2212.05034",
                        published=datetime(2022, 12, 9, tzinfo=timezone.utc))
    return boundary, smartbrush


def test_wrong_id_when_neither_title_nor_authors_match():
    boundary, smartbrush = _boundary_linked_to_smartbrush()
    right = record(boundary.title, boundary.authors, "2302.08357",
                   published=datetime(2023, 2, 16, tzinfo=timezone.utc))
    assert needs_search(boundary, smartbrush)
    searches = {search_key(boundary): SearchMatch(right, 100.0, boundary.authors)}
    [f] = compare([boundary], {"2212.05034": smartbrush}, searches=searches)
    assert f.kind is Kind.WRONG_ID and f.suggestion == "2302.08357"
    assert "SmartBrush" in f.message and "neither title nor authors match" in f.message
    # not searched yet: still wrong_id, no suggestion, and no title/authors/date noise
    [f] = compare([boundary], {"2212.05034": smartbrush})
    assert f.kind is Kind.WRONG_ID and f.suggestion is None


def test_wrong_id_entry_is_not_compared_with_the_confirmed_paper_yet():
    # Its key is the wrong ID, shared with that ID's own entries: a title fix would rewrite them too.
    boundary, smartbrush = _boundary_linked_to_smartbrush()
    renamed = record("Boundary Guided Learning-Free Semantic Control with Diffusion Models", boundary.authors,
                     "2302.08357", published=datetime(2023, 2, 15, 20, tzinfo=timezone.utc))
    found = compare([boundary], {"2212.05034": smartbrush},
                    searches={search_key(boundary): SearchMatch(renamed, 80.0, boundary.authors)})
    assert kinds(found) == ["wrong_id"] and found[0].suggestion == "2302.08357"


def test_renamed_paper_with_same_authors_is_not_wrong_id():
    e = entry("DiffusionCLIP: Text-guided Image Manipulation Using Diffusion Models",
              ["Gwanghyun Kim", "Jong Chul Ye"], "2110.02711")
    r = record("DiffusionCLIP: Text-Guided Diffusion Models for Robust Image Manipulation",
               ["Gwanghyun Kim", "Taesung Kwon", "Jong Chul Ye"], "2110.02711")
    assert not needs_search(e, r)
    assert kinds(compare([e], {"2110.02711": r})) == ["authors", "title"]


def test_missing_id_with_confirmed_match_also_checks_metadata():
    e = entry("Adding Conditional Control to Text-to-Image Difusion Models",
              ["Lvmin Zhang", "Maneesh Agrawala"], None, venue=None)
    assert needs_search(e, None)
    r = record("Adding Conditional Control to Text-to-Image Diffusion Models",
               ["Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"], "2302.05543")
    found = compare([e], {}, searches={search_key(e): SearchMatch(r, 98.0, ("Lvmin Zhang",))})
    assert kinds(found) == ["authors", "missing_id", "title"]
    missing = next(f for f in found if f.kind is Kind.MISSING_ID)
    assert missing.suggestion == "2302.05543" and missing.arxiv_id is None
    title = next(f for f in found if f.kind is Kind.TITLE)
    assert "arXiv 2302.05543 (the confirmed match)" in title.message
    # searched, nothing confirmed / not searched: nothing
    assert compare([e], {}, searches={search_key(e): None}) == []
    assert compare([e], {}) == []


def test_an_entry_without_authors_is_searched_only_unlinked_and_with_a_year():
    # Never on a title alone: a section that carries no authors must state a year to confirm by.
    def bare(venue, arxiv=None):
        return replace(entry("What are Diffusion Models?", [], arxiv, venue=venue), carried=("venue",))

    assert not needs_search(bare(None), None)
    assert not needs_search(bare("Blog post"), None)
    assert needs_search(bare("IROS, Mar 2023"), None)
    hidden = entry("What are Diffusion Models?", [], None, venue="IROS, Mar 2023", authors_text="Anonymous authors")
    assert not needs_search(hidden, None)  # its section carries authors: this one hides them
    linked = bare("arXiv 2022.", "2207.12598")
    assert not needs_search(linked, record("Classifier-Free Diffusion Guidance", [], "2207.12598"))


def test_not_found():
    e = entry(CFG, arxiv="2207.99999")
    [f] = compare([e], {}, not_found={"2207.99999"})
    assert f.kind is Kind.NOT_FOUND and f.arxiv_id == "2207.99999" and "no such paper" in f.message


# ------------------------------------------------------------------ links


def test_broken_markdown_link_is_reported_with_repair():
    url = "https://arxiv.org/abs/2207.12598"
    e = entry(CFG, links=(paper_link(url, broken=True),))
    [f] = compare([e], {"2207.12598": record(CFG)})
    assert f.kind is Kind.LINK and f.suggestion == f"[[Paper]({url})]"
    assert "does not render" in f.message


def test_query_string_link_is_non_canonical():
    e = entry(CFG, links=(paper_link("https://arxiv.org/abs/2207.12598?context=cs"),))
    [f] = compare([e], {"2207.12598": record(CFG)})
    assert f.kind is Kind.LINK and f.suggestion == "[[Paper](https://arxiv.org/abs/2207.12598)]"


def test_pdf_and_http_links_are_only_reported_when_strict():
    for url in ("https://arxiv.org/pdf/2207.12598", "http://arxiv.org/abs/2207.12598",
                "https://arxiv.org/pdf/2207.12598v2.pdf"):
        e = entry(CFG, links=(paper_link(url),))
        assert compare([e], {"2207.12598": record(CFG, version=2)}) == [], url
        [f] = compare([e], {"2207.12598": record(CFG, version=2)}, strict=True)
        assert f.kind is Kind.LINK and f.suggestion.startswith("[[Paper](https://arxiv.org/abs/2207.12598")


def test_non_arxiv_links_are_not_checked():
    e = entry(CFG, links=(paper_link("https://arxiv.org/abs/2207.12598"),
                          paper_link("https://github.com/x/y?tab=readme", "Code", broken=True)))
    assert compare([e], {"2207.12598": record(CFG)}) == []


# ------------------------------------------------------------------ versions, withdrawn


def test_new_version_against_linked_version_and_last_seen():
    r = record(CFG, version=3)
    e = entry(CFG, arxiv="2207.12598v1")
    [f] = compare([e], {"2207.12598": r})
    assert f.kind is Kind.NEW_VERSION and f.suggestion == "2207.12598v3" and f.listed == "v1"
    plain = entry(CFG)
    assert compare([plain], {"2207.12598": r}) == []
    assert compare([plain], {"2207.12598": r}, last_seen_versions={"2207.12598": 3}) == []
    [f] = compare([plain], {"2207.12598": r}, last_seen_versions={"2207.12598": 2})
    assert f.kind is Kind.NEW_VERSION and "v2" in f.message and "v3" in f.message


def test_withdrawn():
    r = record(CFG, withdrawn=True, comment="This paper has been withdrawn by the author")
    [f] = compare([entry(CFG)], {"2207.12598": r})
    assert f.kind is Kind.WITHDRAWN and "withdrew" in f.message


# ------------------------------------------------------------------ duplicates, identity


def test_same_paper_listed_twice_gets_distinct_stable_ids():
    a = entry(CFG, line=10, on=date(2021, 9, 28))
    b = entry(CFG, line=99, on=date(2021, 9, 28))
    found = compare([a, b], {"2207.12598": record(CFG)})
    assert kinds(found) == ["date", "date"]
    assert found[0].id != found[1].id
    assert found[0].id == finding_id(Kind.DATE, "2207.12598", 0)
    # moving the entries (other line numbers) keeps the ids
    moved = compare([entry(CFG, line=500, on=date(2021, 9, 28)), entry(CFG, line=900, on=date(2021, 9, 28))],
                    {"2207.12598": record(CFG)})
    assert [f.id for f in moved] == [f.id for f in found]


def test_two_titles_for_one_id_is_a_duplicate():
    old = entry("Classifier-Free Guidance for Diffusion", line=5)
    new = entry(CFG, line=50)
    found = compare([old, new], {"2207.12598": record(CFG)})
    assert kinds(found) == ["duplicate", "title"]
    assert all(f.line == 5 for f in found)
    dup = next(f for f in found if f.kind is Kind.DUPLICATE)
    assert "line 50" in dup.message


def test_pasted_citation_copy_is_not_a_duplicate_and_wrong_id_is_not_either():
    clean = entry("Soft Diffusion: Score Matching for General Corruptions", ["Giannis Daras"], "2209.05442")
    pasted = entry("Soft Diffusion: Score Matching for General Corruptions, Giannis Daras et al., 2022",
                   ["Giannis Daras"], "2209.05442", line=40)
    r = record(clean.title, ["Giannis Daras"], "2209.05442")
    assert kinds(compare([clean, pasted], {"2209.05442": r})) == ["title"]
    other = entry("Totally Different Paper About Protein Folding", ["Ada Lovelace"], "2209.05442", line=80)
    assert kinds(compare([clean, other], {"2209.05442": r})) == ["wrong_id"]


def test_finding_id_is_short_hex_and_depends_on_all_parts():
    i = finding_id(Kind.TITLE, "2207.12598", 0)
    assert len(i) == 10 and int(i, 16) >= 0
    assert i == finding_id("title", "2207.12598", 0)
    assert len({i, finding_id(Kind.DATE, "2207.12598", 0), finding_id(Kind.TITLE, "2207.12598", 1),
                finding_id(Kind.TITLE, "2207.12599", 0)}) == 4


def test_ampersand_is_the_word_and():
    for listed, theirs in [("Sampling and Guidance", "Sampling \\& Guidance"), ("Sampling & Guidance", "Sampling and Guidance")]:
        assert compare([entry(listed)], {"2207.12598": record(theirs)}) == [], listed
    [f] = compare([entry("Sampling or Guidance")], {"2207.12598": record("Sampling \\& Guidance")})
    assert f.kind is Kind.TITLE


def test_affiliations_in_parentheses_and_a_collaborations_the_are_not_drift():
    cases = [(("Jonathan Ho", "Tim Salimans"), ("Jonathan Ho (Google)", "Tim Salimans (Google Research)")),
             (("Jonathan Ho (Google)", "Tim Salimans"), ("Jonathan Ho", "Tim Salimans")),
             (("Jonathan Ho", "LIGO Scientific Collaboration"), ("Jonathan Ho", "The LIGO Scientific Collaboration"))]
    for listed, theirs in cases:
        assert compare([entry("T", listed)], {"2207.12598": record("T", theirs)}) == [], listed
    # a different person behind the same affiliation is still drift
    [f] = compare([entry("T", ("Jonathan Ho (Google)", "Ben Poole"))],
                  {"2207.12598": record("T", ("Jonathan Ho", "Tim Salimans"))})
    assert f.kind is Kind.AUTHORS and "Tim Salimans" in f.message
