"""check --format github|sarif|markdown and --fail-on: what CI reads."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest

from diffsync.report import ci_formats
from diffsync.drift.rules import compare
from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from diffsync.listfile.parse import parse_list
from diffsync.models import Finding, Kind, PaperRecord
from diffsync.writeback.edits import apply_edits
from helpers.cli import run_cli
from helpers.paths import FIXTURES, SHARED_LISTS

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text())


def validate(doc: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


@pytest.fixture
def checked(tmp_path, monkeypatch, fake_env):
    """The example list with planted drift in a folder, and a way to run diffsync there."""
    with fake_env(example_papers()):
        path = tmp_path / "list.md"
        shutil.copyfile(EXAMPLE_LIST, path)
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
        yield path


def _sarif_replacement(data: bytes, fix: dict) -> bytes:
    out = data
    for change in fix["artifactChanges"]:
        for r in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["byteOffset"]):
            start = r["deletedRegion"]["byteOffset"]
            out = out[:start] + r["insertedContent"]["text"].encode() + out[start + r["deletedRegion"]["byteLength"]:]
    return out


def test_sarif_of_the_example_validates_and_its_fixes_are_exports(checked, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "sarif")
    assert code == 1, err
    doc = json.loads(out)
    validate(doc)
    run = doc["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {k.value for k in Kind}
    assert all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
    results = run["results"]
    assert len(results) == 12
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "list.md" for r in results)
    by_kind = {}
    for r in results:
        by_kind.setdefault(r["ruleId"], []).append(r)
    # Review-only kinds carry no fix; fixable ones carry exactly what export would write.
    assert "fixes" not in by_kind["not_found"][0] and "fixes" not in by_kind["withdrawn"][0]
    data = checked.read_bytes()
    venue = _sarif_replacement(data, by_kind["venue"][0]["fixes"][0])  # a placeholder venue is fixable
    assert venue == data.replace(b"arXiv 2022. [[Paper](https://arxiv.org/abs/2208.12242)]",
                                 b"CVPR 2023. [[Paper](https://arxiv.org/abs/2208.12242)]")
    title = next(r for r in by_kind["title"] if "Elucidating" in r["message"]["text"])
    fixed = _sarif_replacement(data, title["fixes"][0])
    assert fixed == data.replace(b"**Elucidating the Design Space of Diffusion Models**",
                                 b"**Elucidating the Design Space of Diffusion-Based Generative Models**")
    link = by_kind["link"][0]
    # The entry's line (as in every format); the line the fix changes is a related location.
    assert link["locations"][0]["physicalLocation"]["region"]["startLine"] == 56
    assert link["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 58
    levels = {r["ruleId"]: r["level"] for r in results}
    assert (levels["wrong_id"], levels["withdrawn"], levels["new_version"], levels["title"]) == (
        "error", "error", "note", "warning")
    assert b"[[Paper](https://arxiv.org/abs/2208.11970)]" in _sarif_replacement(data, link["fixes"][0])


def test_github_annotations_one_per_open_finding_with_the_fix(checked, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "github")
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) == 12 and all(line.split(" ")[1].startswith("file=list.md,line=") for line in lines)
    # Levels by kind: a wrong paper is an error, a newer version a notice, a date a warning.
    level = {line.split("title=diffsync ")[1].split("::")[0]: line.split(" ")[0] for line in lines}
    assert (level["wrong_id"], level["not_found"], level["withdrawn"]) == ("::error",) * 3
    assert (level["new_version"], level["venue"], level["date"]) == ("::notice", "::notice", "::warning")
    # The entry's line, as every format shows it; the fix's own line is named beside it.
    date = next(line for line in lines if "title=diffsync date::" in line)
    assert date.startswith("::warning file=list.md,line=32,title=diffsync date::")
    assert '%0Afix on line 35: "20 Dec 2022" -> "20 Dec 2021"%0A' in date
    assert "\n" not in date and "diffsync: 16 entries" in err


def test_markdown_is_the_review_report(checked, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "markdown")
    assert code == 1, err
    assert out.startswith("# diffsync review: list.md")
    assert "**12 open** · 12 new" in out and "## Wrong arXiv ID (1)" in out
    code, out, _ = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "markdown", "--offline")
    assert "**12 open** · 0 new" in out


def test_fail_on_counts_only_the_named_kinds(checked, capsys, monkeypatch):
    assert run_cli(capsys, monkeypatch, "check", "list.md", "--json")[0] == 1
    ids = {f["kind"]: f["id"] for f in json.loads(run_cli(capsys, monkeypatch, "check", "list.md",
                                                          "--offline", "--json")[1])["findings"]}
    assert run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--fail-on", "title,date")[0] == 1
    assert run_cli(capsys, monkeypatch, "accept", ids["date"])[0] == 0
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--fail-on", "date",
                             "--format", "github")
    assert code == 0, err
    assert "title=diffsync title::" in out  # other kinds are still reported
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--fail-on", "tilte")
    assert code == 2 and err.startswith("diffsync: error: --fail-on: unknown kind tilte")
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--format", "xml")
    assert code == 2 and "--format must be one of" in err


def test_workflow_command_escaping():
    f = Finding(id="abc", kind=Kind.TITLE, line=3, entry_key="k", arxiv_id=None, listed=None,
                arxiv=None, message="100% wrong\r\nsecond: line, here")
    out = ci_formats.github([ci_formats.Located(f, 3, ())], "dir,1/a:b%.md")
    assert out == ("::warning file=dir%2C1/a%3Ab%25.md,line=3,title=diffsync title::"
                   "100%25 wrong%0D%0Asecond: line, here%0A(diffsync finding abc)\n")


@pytest.mark.skipif(not (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").exists(),
                    reason="the real lists in ../shared/lists are absent")
def test_sarif_of_the_real_list_validates():
    data = (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").read_bytes()
    parsed = parse_list(data, "README.md")
    when = datetime(2023, 1, 2, tzinfo=timezone.utc)
    # arXiv as a stand-in that renamed every tenth paper and dated every seventh a year off.
    records = {}
    for i, e in enumerate(x for x in parsed.entries if x.arxiv_id):
        title = e.title + " Revisited" if i % 10 == 0 else e.title
        published = e.date - timedelta(days=365) if e.date and i % 7 == 0 else e.date
        published = datetime.combine(published, datetime.min.time(), timezone.utc) if published else when
        records[e.arxiv_id] = PaperRecord(e.arxiv_id, 1, title, e.authors or ("Anon",), published, published)
    findings = compare(parsed.entries, records)
    items = ci_formats.locate(findings, data, parsed, records)
    doc = ci_formats.sarif(items, "README.md")
    validate(doc)
    results = doc["runs"][0]["results"]
    assert len(results) > 300 and sum("fixes" in r for r in results) > 300
    for item in items[:50]:  # each fix changes the list
        if item.edits:
            assert apply_edits(data, item.edits) != data


def test_the_job_summary_links_each_line_to_the_list_at_the_commit(checked, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/papers")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(checked.parent))
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "markdown")
    assert code == 1, err
    blob = "https://github.com/owner/papers/blob/abc123/list.md?plain=1"
    wrong = next(line for line in out.splitlines() if f"[41]({blob}#L41)" in line)
    assert f"<br>fix [43]({blob}#L43)" in wrong  # the line the fix changes, linked too
    # "Why" says what the value columns do not: not the titles again, and no command per row.
    assert "neither title nor authors match" in wrong and "Classifier-Free Diffusion Guidance\" (" not in wrong
    assert wrong.endswith("| `2f0bc42dc5` |") and "diffsync accept 2f0bc42dc5" not in out
    assert "accept one: `diffsync accept ID list.md`" in out or "accept one: `diffsync accept ID`" in out
