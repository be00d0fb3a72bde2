"""The decisions file after export: an accept whose fix was written has done its work,
and every other decision follows its finding when the rewrite renumbers the copies.

A paper listed twice without an arXiv link is keyed by its title, and each copy's
finding id counts the copies before it.  Fixing the first copy's title gives it a new
key, so the second copy becomes the first of the old key: an accept left in the file
for "the first copy" would then be applied to the other copy on the next check (the
property test test_real_list_with_planted_drift_random_decisions found this).
"""

from __future__ import annotations

import json
import tomllib

import pytest

from diffsync.fake_arxiv.example import example_papers
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e  # a fake arXiv on 127.0.0.1

COPY = ("**Denoising Diffusion Implicit Modls** \\\n*Jiaming Song, Chenlin Meng, Stefano Ermon* \\\n"
        "ICLR 2021. \\\n6 Oct 2020 \\\n{note}\n")
LIST = "# Papers\n\n## One\n\n" + COPY.format(note="First copy.") + "\n## Two\n\n" + COPY.format(note="Second copy.")


def _findings(capsys, monkeypatch, *args: str) -> list[dict]:
    code, out, err = run_cli(capsys, monkeypatch, *args, "--json")
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def _titles(found: list[dict]) -> list[dict]:
    return sorted((f for f in found if f["kind"] == "title"), key=lambda f: f["line"])


def test_an_applied_accept_is_not_reapplied_to_the_next_copy(fake_env, tmp_path, capsys, monkeypatch):
    lst = tmp_path / "list.md"
    lst.write_text(LIST)
    with fake_env(example_papers()):
        first, second = _titles(_findings(capsys, monkeypatch, "check", str(lst)))
        assert first["status"] == second["status"] == "open"
        assert run_cli(capsys, monkeypatch, "ignore", second["id"], str(lst))[0] == 0
        assert run_cli(capsys, monkeypatch, "accept", first["id"], str(lst))[0] == 0
        code, _, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
        assert code == 0, err
        assert lst.read_text().count("Denoising Diffusion Implicit Models") == 1

        # The accept did its work and left the file; the ignore followed its copy.
        doc = tomllib.loads((tmp_path / "list.diffsync.toml").read_text())
        assert [(d["field"], d["status"]) for d in doc["decision"]] == [("title", "ignored")]
        after = _titles(_findings(capsys, monkeypatch, "check", str(lst)))
        assert [f["status"] for f in after] == ["ignored"], after
        code, out, err = run_cli(capsys, monkeypatch, "export", str(lst), "--check")
        assert code == 0, out + err

        # CI: a fresh database with the committed file gives the same.
        monkeypatch.setenv("DIFFSYNC_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
        fresh = _titles(_findings(capsys, monkeypatch, "check", str(lst)))
        assert [f["status"] for f in fresh] == ["ignored"], fresh


def test_a_decisions_file_broken_after_the_accept_refuses_the_export_before_the_list(
        fake_env, tmp_path, capsys, monkeypatch):
    lst = tmp_path / "list.md"
    lst.write_text(LIST)
    with fake_env(example_papers()):
        first, _ = _titles(_findings(capsys, monkeypatch, "check", str(lst)))
        assert run_cli(capsys, monkeypatch, "accept", first["id"], str(lst))[0] == 0
    decisions_file = tmp_path / "list.diffsync.toml"
    decisions_file.write_text(decisions_file.read_text() + "garbage = [\n")
    code, _, err = run_cli(capsys, monkeypatch, "export", str(lst), "--write")
    assert code == 2 and lst.read_text() == LIST, err  # the list untouched: nothing half done
    errors = [line for line in err.splitlines() if line.startswith("diffsync: error:")]
    assert len(errors) == 1 and "not a valid decisions file" in errors[0], err
