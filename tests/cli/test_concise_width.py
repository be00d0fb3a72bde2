"""One finding, one line that fits: at 80 columns the default concise output takes at most
two rows for at least 95% of findings on both real lists (planted drift, the fake arXiv),
the status first; -v and --json keep every value whole; every format gives one line."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack

import pytest
from rich.cells import cell_len

from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.cli import run_cli
from helpers.paths import SHARED_LISTS
from helpers.writeback_trust import planted_drift


def _rows(line: str, columns: int = 80) -> int:
    return max(1, -(-cell_len(line) // columns))


@pytest.fixture
def world(tmp_path, monkeypatch, fake_env):
    """``world(list bytes, papers)``: list.md in the test's folder, a fake arXiv serving
    ``papers`` until the test ends, 80 columns."""
    with ExitStack() as serving:
        def make(data: bytes, papers) -> None:
            (tmp_path / "list.md").write_bytes(data)
            monkeypatch.setenv("COLUMNS", "80")
            serving.enter_context(fake_env(papers))
        yield make


@pytest.mark.e2e
@pytest.mark.skipif(not (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").exists(),
                    reason="the real lists in ../shared/lists are absent")
@pytest.mark.parametrize("name", ["one-sentence-diffusion-summary.md", "diff-usion-awesome-diffusion-models.md"])
def test_95_percent_of_findings_fit_two_rows_at_80_columns(world, capsys, monkeypatch, name):
    data = (SHARED_LISTS / name).read_bytes()
    world(data, planted_drift(data))
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md", "--no-search", "--format", "concise")
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) > 20
    within = sum(_rows(line) <= 2 for line in lines)
    assert within >= 0.95 * len(lines), [line for line in lines if _rows(line) > 2][:5]
    assert all(re.match(r"list\.md:\d+: open [a-z_]+ [0-9a-f]{10}: ", line) for line in lines)
    assert any("…" in line for line in lines)  # long values were elided, not wrapped on


def test_status_first_values_elided_and_whole_with_v(world, capsys, monkeypatch, tmp_path):
    world(EXAMPLE_LIST.read_bytes(), example_papers())
    code, out, _ = run_cli(capsys, monkeypatch, "check", "list.md", "--format", "concise")
    title = next(line for line in out.splitlines() if " title 4707a1acfc" in line)
    assert title == ("list.md:20: open title 4707a1acfc: Elucidating the Design Space of [-Diffusion-] "
                     "{+Diffusion-Based Generative+} Models")
    date = next(line for line in out.splitlines() if " date " in line)
    assert date.endswith('list "[Submitted on 20 Dec 2022]" arXiv "2021-12-20" → 20 Dec 2021 (fix on line 35)')
    run_cli(capsys, monkeypatch, "accept", "4707a1acfc")
    code, out, _ = run_cli(capsys, monkeypatch, "findings", "--format", "concise")
    assert "list.md:20: accepted title 4707a1acfc: " in out
    code, out, _ = run_cli(capsys, monkeypatch, "-v", "findings", "--format", "concise", "--kind", "wrong_id")
    whole = out.splitlines()[0]
    assert "title search found 2207.12598" in whole and "[fix: 2207.12598]" in whole and _rows(whole) > 2


def test_one_line_per_finding_in_every_format(world, capsys, monkeypatch, tmp_path):
    world(EXAMPLE_LIST.read_bytes(), example_papers())
    run_cli(capsys, monkeypatch, "check", "list.md")
    lines = {}
    out = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--format", "concise")[1]
    lines["concise"] = {m[1]: int(m[0]) for m in re.findall(r"^list\.md:(\d+): \w+ \w+ ([0-9a-f]{10})", out, re.M)}
    out = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--json")[1]
    found = json.loads(out)["findings"]
    lines["json"] = {f["id"]: f["line"] for f in found}
    fix_lines = {f["id"]: f["fix_line"] for f in found if f["fix_line"]}
    out = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--format", "github")[1]
    lines["github"] = {m[1]: int(m[0]) for m in re.findall(r"line=(\d+),.*\(diffsync finding ([0-9a-f]{10})\)", out)}
    sarif = json.loads(run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--format", "sarif")[1])
    lines["sarif"] = {r["properties"]["findingId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                      for r in sarif["runs"][0]["results"]}
    report = json.loads(run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--report",
                                str(tmp_path / "r.json"))[0] and (tmp_path / "r.json").read_text())
    lines["report"] = {f["id"]: f["line"] for f in report["findings"]}
    monkeypatch.setenv("COLUMNS", "200")
    out = run_cli(capsys, monkeypatch, "findings", "--format", "table")[1]
    lines["table"] = {m[0]: int(m[1]) for m in re.findall(r"([0-9a-f]{10})\s+│\s+(\d+)", out)}
    assert len(lines["json"]) == 12
    for name, seen in lines.items():
        assert seen == lines["json"], name
    # Where the fix is on another line, every format says both.
    assert fix_lines and fix_lines == {
        fid: int(line) for fid, line in re.findall(r"([0-9a-f]{10})\s+│\s+\d+ \(fix (\d+)\)", out)}
    sarif_related = {r["properties"]["findingId"]: r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"]
                     for r in sarif["runs"][0]["results"] if "relatedLocations" in r}
    assert sarif_related == fix_lines
