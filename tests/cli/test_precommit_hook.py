"""The pre-commit hook, run the way a maintainer tries it: `pre-commit try-repo`."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

from helpers.paths import REPO

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (it is in the test extra)"),
    pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                       reason="hatchling (diffsync's build backend) is not installed beside the tests"),
]

LIST = ("# Papers\n\n"
        "**Minimizing Trajectory Curvature** \\\n"
        "*Sangyun Lee, Beomsu Kim* \\\n"
        "arxiv 27 Jan 2023 [[Paper] (https://arxiv.org/abs/2301.12003)]\\\n")
CLEAN = ("# Notes\n\n**Denoising Diffusion Probabilistic Models** \\\n*Jonathan Ho* \\\n"
         "[[Paper](https://arxiv.org/abs/2006.11239)] \\\n19 Jun 2020\n")


def _git(cwd, *args, env):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def test_try_repo_runs_diffsync_lint_on_the_list(tmp_path):
    work = tmp_path / "awesome"
    (work / "docs").mkdir(parents=True)
    (work / "README.md").write_text(LIST)
    (work / "docs" / "README.md").write_text(CLEAN)
    (work / "NOTES.md").write_text(LIST)  # not a README: the hook's `files:` leaves it alone
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "PIP_"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", PRE_COMMIT_HOME=str(tmp_path / "pc-home"),
               # The hook's environment gets diffsync built from the checkout, offline: its
               # dependencies (and the build backend) come from the tests' own environment.
               PIP_NO_INDEX="1", PIP_NO_DEPS="1", PIP_NO_BUILD_ISOLATION="0",
               PYTHONPATH=sysconfig.get_paths()["purelib"])
    _git(work, "init", "-q", env=env)
    _git(work, "add", "-A", env=env)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "diffsync-lint",
                           "--all-files"], cwd=work, env=env, capture_output=True, text=True, timeout=480)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "diffsync lint" in out and "Failed" in out
    assert ("README.md:5: M001 link [[Paper] (https://arxiv.org/abs/2301.12003)] has a space between "
            "']' and '('") in out
    assert "NOTES.md" not in out and "docs/README.md" not in out
