"""diffsync lint: structural problems of a list, each on its own line, offline."""

from __future__ import annotations

import pytest

from diffsync.drift.lint import lint
from diffsync.listfile.parse import parse_list
from helpers.cli import run_cli
from helpers.paths import SHARED_LISTS

CLEAN = (b"# Papers\n\n"
         b"**Denoising Diffusion Probabilistic Models** \\\n"
         b"*Jonathan Ho, Ajay Jain, Pieter Abbeel* \\\n"
         b"NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.11239)] \\\n"
         b"19 Jun 2020\n")

BROKEN = (b"# Papers\n\n"
          b"**Minimizing Trajectory Curvature** \\\n"
          b"*Sangyun Lee, Beomsu Kim* \\\n"
          b"arxiv 27 Jan 2023 [[Paper] (https://arxiv.org/abs/2301.12003)]\\\n"
          b"\n"
          b"**Progressive Deblurring** \\\n"
          b"*Sangyun Lee* \\\n"
          b"arXiv 2022. [[Paper](https://arxiv.org/abs/2207.11192?context=cs)] \\\n"
          b"16 Jul 2022\n"
          b"\n"
          b"**GENIE** \\\n"
          b"*Tim Dockhorn* \\\n"
          b"NeurIPS 2022. [[Paper](https://arxiv.org/abs/2210.05475)] [[Project](https://x.io/) \\\n"
          b"11 Oct 2022\n"
          b"\n"
          b"**No Authors Here** \\\n"
          b"arXiv 2022. [[Paper](https://arxiv.org/abs/2006.1123)] \\\n"
          b"\n"
          b"**Another Title Entirely** \\\n"
          b"*Tim Dockhorn* \\\n"
          b"[[Paper](https://arxiv.org/abs/2210.05475)] \\\n"
          b"12 Oct 2022\n")


def _problems(data: bytes) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in lint(data, parse_list(data, "list.md"))]


def test_a_clean_list_has_no_problems():
    assert _problems(CLEAN) == []


def test_each_defect_is_reported_on_its_own_line():
    found = _problems(BROKEN)
    by_line: dict[int, list[str]] = {}
    for line, message in found:
        by_line.setdefault(line, []).append(message)
    assert any("space between ']' and '('" in m for m in by_line[5])
    assert any("?context=cs" in m and "https://arxiv.org/abs/2207.11192)]" in m for m in by_line[9])
    assert any("missing its closing ']'" in m for m in by_line[14])
    assert any("no *authors* line" in m for m in by_line[17])
    assert any("no date" in m for m in by_line[17])
    assert any("no valid arXiv ID" in m for m in by_line[18])
    assert any("listed again under another title" in m and "at line 12" in m for m in by_line[20])
    assert [line for line, _ in found] == sorted(line for line, _ in found)


def test_the_command_prints_file_line_message_and_exits_1(tmp_path, capsys, monkeypatch):
    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_bytes(BROKEN)
    good.write_bytes(CLEAN)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, monkeypatch, "lint", str(good), str(bad))
    assert code == 1, err
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{bad}:") for line in lines)
    assert f"{bad}:5: M001 link [[Paper] (https://arxiv.org/abs/2301.12003)]" in out
    assert run_cli(capsys, monkeypatch, "lint", str(good))[:2] == (0, "")


def test_the_command_makes_no_database(tmp_path, capsys, monkeypatch):
    good = tmp_path / "good.md"
    good.write_bytes(CLEAN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert run_cli(capsys, monkeypatch, "lint", str(good))[0] == 0
    assert not (tmp_path / "x.db").exists()


def test_a_missing_list_is_one_error_line(tmp_path, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "lint", str(tmp_path / "nope.md"))
    assert code == 3 and err.startswith("diffsync: error: ") and "no such file" in err


@pytest.mark.skipif(not (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").exists(),
                    reason="the real lists in ../shared/lists are absent")
def test_the_real_lists_known_defects():
    big = (SHARED_LISTS / "diff-usion-awesome-diffusion-models.md").read_bytes()
    small = (SHARED_LISTS / "one-sentence-diffusion-summary.md").read_bytes()
    big_found = _problems(big)
    small_found = _problems(small)
    assert (1663, "link [Project](https://nv-tlabs.github.io/GENIE/) is missing its closing ']'") in big_found
    assert any(line == 15097 and "missing the ']' after its label" in m for line, m in big_found)
    assert any(line == 575 and m.startswith("link [[Paper] (https://arxiv.org/abs/2301.12003)]")
               for line, m in small_found)
    assert any(line == 348 and "'?context=cs'" in m for line, m in small_found)


def test_the_light_entry_point_lints_without_the_cli(tmp_path, capsys):
    from diffsync.drift.lint import main

    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_bytes(BROKEN)
    good.write_bytes(CLEAN)
    with pytest.raises(SystemExit) as stopped:
        main([str(good), str(bad)])
    out, _ = capsys.readouterr()
    assert stopped.value.code == 1 and out.startswith(f"{bad}:5: M001 link [[Paper] (")
    with pytest.raises(SystemExit) as stopped:
        main([str(good)])
    assert stopped.value.code == 0 and capsys.readouterr().out == ""
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path / "nope.md")])
    assert stopped.value.code == 3 and capsys.readouterr().err.startswith("diffsync: error: ")
