"""QA: Ctrl-C in the middle of a command says so in one line, with the shell's code 130."""

from __future__ import annotations

from diffsync.check import pipeline  # diffsync check imports run_check from here when it runs
from helpers.cli import run_cli


def test_ctrl_c_during_check_prints_one_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "list.md").write_text("**A Title** \\\n*Ann Author*\n")
    monkeypatch.chdir(tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_check", interrupted)
    code, out, err = run_cli(capsys, monkeypatch, "check", "list.md")
    assert code == 130
    assert out == ""
    assert [line for line in err.splitlines() if line.strip()] == [
        "diffsync: interrupted"]
