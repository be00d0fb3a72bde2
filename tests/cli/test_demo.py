"""`diffsync demo`: a newcomer's first command works offline and touches nothing of theirs."""

from __future__ import annotations

from helpers.cli import run_cli


def test_demo_runs_the_whole_loop_offline_and_leaves_the_folder_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_DATABASE_URL", raising=False)
    code, out, err = run_cli(capsys, monkeypatch, "demo")
    assert code == 0, err
    assert "$ diffsync check list.md" in out and "$ diffsync export list.md" in out
    assert "12 open findings" in err  # every planted drift is found
    assert "+**Elucidating the Design Space of Diffusion-Based Generative Models** \\" in out
    assert "diffsync check path/to/list.md" in out  # what to do next
    assert list(tmp_path.iterdir()) == []  # no database, config or list left in the user's folder


def test_demo_dir_keeps_its_folder_and_refuses_an_existing_one(tmp_path, capsys, monkeypatch):
    work = tmp_path / "try"
    code, _, err = run_cli(capsys, monkeypatch, "demo", "--dir", str(work))
    assert code == 0, err
    assert {p.name for p in work.iterdir()} >= {"list.md", "config.toml", "diffsync.db"}
    code, _, err = run_cli(capsys, monkeypatch, "demo", "--dir", str(work))
    assert code == 2 and err.strip().startswith("diffsync: error:") and "already exists" in err


def test_demo_dir_may_be_relative(tmp_path, capsys, monkeypatch):
    """The demo works inside its folder: a relative --dir is taken from where it was given
    (it was looked for again inside itself: "try/config.toml: config file not found")."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_DATABASE_URL", raising=False)
    code, _, err = run_cli(capsys, monkeypatch, "demo", "--dir", "try")
    assert code == 0, err
    assert "12 open findings" in err and (tmp_path / "try" / "list.diffsync.toml").exists()
