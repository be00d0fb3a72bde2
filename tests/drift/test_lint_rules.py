"""A lint you can tune: rule ids, --select/--ignore, [lint] in config.toml, inline
suppressions, the shape's fields, and JSON, GitHub and SARIF output."""

from __future__ import annotations

import json
import types

import jsonschema
import pytest

from diffsync.drift.lint import lint
from diffsync.listfile.parse import parse_list
from helpers.cli import run_cli
from helpers.paths import FIXTURES, REPO, SHARED_LISTS

ENTRY = ("**{title}** \\\n*Jonathan Ho, Ajay Jain* \\\n"
         "NeurIPS 2020. [[Paper](https://arxiv.org/abs/{id})] \\\n{date}\n")
LIST = ("# Papers\n\n"
        + ENTRY.format(title="Denoising Diffusion Probabilistic Models", id="2006.11239", date="19 Jun 2020")
        + "\n" + ENTRY.format(title="Something Else Entirely", id="2006.11239", date="")
        + "\n**Broken Link Paper** \\\n*A. Author* \\\n[[Paper] (https://arxiv.org/abs/2301.12003)] \\\n"
          "27 Jan 2023\n")


def _lint(tmp_path, capsys, monkeypatch, text, *args):
    path = tmp_path / "list.md"
    path.write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, monkeypatch, "lint", "list.md", *args)
    return code, out, err


def _rules(out: str) -> list[tuple[int, str]]:
    return [(int(line.split(":")[1]), line.split(" ")[1]) for line in out.splitlines()]


def test_each_problem_names_its_rule_and_field_rules_are_opt_in(tmp_path, capsys, monkeypatch):
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, LIST)
    assert code == 1 and _rules(out) == [(8, "A003"), (15, "M001")]
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, LIST, "--select", "ALL")
    assert (8, "F002") in _rules(out)


def test_select_and_ignore_take_ids_and_prefixes(tmp_path, capsys, monkeypatch):
    assert _rules(_lint(tmp_path, capsys, monkeypatch, LIST, "--select", "A")[1]) == [(8, "A003")]
    assert _rules(_lint(tmp_path, capsys, monkeypatch, LIST, "--ignore", "M001,A003")[1]) == []
    assert _lint(tmp_path, capsys, monkeypatch, LIST, "--ignore", "M,A")[0] == 0
    code, _, err = _lint(tmp_path, capsys, monkeypatch, LIST, "--select", "Z9")
    assert code == 2 and err.startswith("diffsync: error: --select: unknown lint rule 'Z9'")


def test_config_selects_and_the_flag_adds_ignores(tmp_path, capsys, monkeypatch):
    (tmp_path / "config.toml").write_text('[lint]\nselect = ["ALL"]\nignore = ["A003"]\n')
    rules = _rules(_lint(tmp_path, capsys, monkeypatch, LIST)[1])
    assert (8, "F002") in rules and (8, "A003") not in rules
    assert _rules(_lint(tmp_path, capsys, monkeypatch, LIST, "--ignore", "F")[1]) == [(15, "M001")]
    monkeypatch.setenv("DIFFSYNC_LINT_SELECT", "M001")
    assert _rules(_lint(tmp_path, capsys, monkeypatch, LIST)[1]) == [(15, "M001")]


@pytest.mark.parametrize("comment, where", [
    ("<!-- diffsync: ignore A003 -->\n", "above"),
    ("<!-- diffsync: ignore -->\n", "above"),
    ("<!-- diffsync: ignore-file A003 -->\n", "top"),
    ("<!-- diffsync: ignore A003, M001 -->\n", "inside"),
])
def test_a_comment_silences_its_rules_on_its_entry_only(tmp_path, capsys, monkeypatch, comment, where):
    lines = LIST.splitlines(keepends=True)
    at = {"above": 7, "top": 0, "inside": 9}[where]  # 0-based: line 8 is the duplicate's title
    text = "".join(lines[:at] + [comment] + lines[at:])
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, text)
    assert [r for _, r in _rules(out)] == ["M001"], out  # the other entry still reports


def test_a_comment_for_another_rule_silences_nothing(tmp_path, capsys, monkeypatch):
    lines = LIST.splitlines(keepends=True)
    text = "".join(lines[:7] + ["<!-- diffsync: ignore M001 -->\n"] + lines[7:])
    assert [r for _, r in _rules(_lint(tmp_path, capsys, monkeypatch, text)[1])] == ["A003", "M001"]


def test_no_field_warnings_where_the_shape_does_not_carry_the_field():
    # 40 entries, one with authors and a date (2.5%): the list does not carry them.
    bare = "".join(f"**Paper number {i}** \\\n[[Paper](https://arxiv.org/abs/2006.{11200 + i})]\n\n"
                   for i in range(39))
    carried = ENTRY.format(title="Denoising Diffusion Probabilistic Models", id="2006.11239", date="19 Jun 2020")
    data = ("# Papers\n\n" + bare + carried).encode()
    assert [p for p in lint(data, parse_list(data, "l.md")) if p.rule in ("F001", "F002")] == []
    # Two of 40 (5%): it does, and the 38 without them are named.
    data = ("# Papers\n\n" + bare.split("\n\n", 1)[1] + carried + "\n" + carried.replace("2006.11239", "2006.11240")).encode()
    assert sum(p.rule == "F002" for p in lint(data, parse_list(data, "l.md"))) == 38


def test_links_outside_every_entry_are_named():
    data = LIST.encode()
    parsed = parse_list(data, "l.md")
    stray = types.SimpleNamespace(line=3, arxiv_id="2101.00001", span=None)
    with_coverage = types.SimpleNamespace(problems=parsed.problems, entries=parsed.entries,
                                          coverage=types.SimpleNamespace(stray=(stray,)))
    found = [p for p in lint(data, with_coverage) if p.rule == "A004"]
    assert [(p.line, p.message) for p in found] == [
        (3, "arXiv link to 2101.00001 is outside every entry: no check sees it")]


def test_a_real_stray_link_is_named_and_can_be_silenced(tmp_path, capsys, monkeypatch):
    """The parser's own coverage: a link in the intro, outside every entry, is A004."""
    text = "# Papers\n\nSee also https://arxiv.org/abs/2101.00001 for a survey.\n\n" + ENTRY.format(
        title="Denoising Diffusion Probabilistic Models", id="2006.11239", date="19 Jun 2020")
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, text)
    assert code == 1 and out == ("list.md:3: A004 arXiv link to 2101.00001 is outside every entry: "
                                 "no check sees it\n")
    silenced = text.replace("See also", "<!-- diffsync: ignore A004 -->\nSee also")
    assert _lint(tmp_path, capsys, monkeypatch, silenced)[:2] == (0, "")


def test_json_github_and_sarif(tmp_path, capsys, monkeypatch):
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, LIST, "--format", "json")
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads((REPO / "docs" / "schemas" / "lint.json").read_text()))
    assert code == 1 and [(p["line"], p["rule"], p["level"]) for p in doc["problems"]] == [
        (8, "A003", "warning"), (15, "M001", "error")]
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, LIST, "--format", "github")
    assert out.splitlines()[1].startswith("::error file=list.md,line=15,title=diffsync lint M001 unrendered-link::link [[Paper] (")
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, LIST, "--format", "sarif")
    doc = json.loads(out)
    jsonschema.Draft4Validator(json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text())).validate(doc)
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in doc["runs"][0]["results"]] == [("A003", "warning", 8), ("M001", "error", 15)]
    assert _lint(tmp_path, capsys, monkeypatch, LIST, "--format", "xml")[0] == 2


def test_the_hook_entry_point_reads_the_config_and_flags(tmp_path, capsys, monkeypatch):
    from diffsync.drift.lint import main

    (tmp_path / "list.md").write_text(LIST)
    (tmp_path / "config.toml").write_text('[lint]\nignore = ["A003"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["list.md", "--format", "json"])
    assert stopped.value.code == 1
    assert [p["rule"] for p in json.loads(capsys.readouterr().out)["problems"]] == ["M001"]
    with pytest.raises(SystemExit) as stopped:
        main(["list.md", "--ignore", "M001"])
    assert stopped.value.code == 0


@pytest.mark.skipif(not (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").exists(),
                    reason="the real lists in ../shared/lists are absent")
@pytest.mark.parametrize("name, defects", [("one-sentence-diffusion-summary.md", 6),
                                           ("diff-usion-awesome-diffusion-models.md", 9)])
def test_the_default_rules_on_the_real_lists_name_only_real_defects(tmp_path, capsys, monkeypatch, name, defects):
    """No "no date" noise: what is left is links that do not render, junk URLs, one ID under
    two titles and double-encoded names; suppressing each on its entry makes the hook pass."""
    text = (SHARED_LISTS / name).read_text(encoding="utf-8")
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, text)
    found = _rules(out)
    assert code == 1 and len(found) == defects and {r for _, r in found} <= {"M001", "A001", "A003", "T001"}
    lines = text.splitlines(keepends=True)
    for line, rule in sorted(found, reverse=True):  # a comment above each entry's title line
        lines.insert(line - 1, f"<!-- diffsync: ignore {rule} -->\n")
    code, out, _ = _lint(tmp_path, capsys, monkeypatch, "".join(lines))
    assert (code, out) == (0, ""), out
