"""The README and docs/ cannot drift from the CLI (as sqlite-utils keeps its docs true):
every command and option they show exists in the real ``--help``, every command the CLI
has is in the README's command table, its exit-code table is the one errors.py defines,
and every relative link in them leads to a file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import typer.main

from diffsync import errors
from diffsync.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md"))}
ROOT = typer.main.get_command(app)
# An option name inside a code span: ``--format``, ``-o``, the two halves of ``-q/--quiet``
# (not a word diff's ``[-gone-]``, which ends in a hyphen).
_OPTION = re.compile(r"(?<![\w\-.{])(--?[A-Za-z][\w-]*)")


def options_in(text: str) -> list[str]:
    return [o for o in _OPTION.findall(text) if not o.endswith("-")]


def prose(text: str) -> str:
    """``text`` without its code blocks, whose fences would pair up with code spans."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


PROSE = prose(README)


def section(title: str) -> str:
    start = README.index(f"\n{title}\n")
    end = re.search(r"\n#{2,3} ", README[start + len(title) + 2:])
    return README[start: start + len(title) + 2 + (end.start() if end else len(README))]


def table_rows(text: str) -> list[list[str]]:
    """Body rows of the first Markdown table in ``text``, cells split on unescaped ``|``."""
    lines = [line for line in text.splitlines() if line.startswith("|")][2:]
    return [[c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            for line in lines]


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def command_of(words: list[str]) -> tuple[Any, list[str]]:
    """The (sub)command ``diffsync WORDS…`` names, and the path to it."""
    command, path = ROOT, []
    for word in words:
        if word not in getattr(command, "commands", {}):
            break
        command, path = command.commands[word], path + [word]
    return command, path


@lru_cache(maxsize=None)
def options_of(path: tuple[str, ...]) -> frozenset[str]:
    """Every option name ``diffsync PATH… --help`` offers, the global ones included."""
    names = {opt for p in ROOT.params for opt in p.opts + p.secondary_opts}
    command, _ = command_of(list(path))
    names |= {opt for p in command.params for opt in p.opts + p.secondary_opts}
    return frozenset(names | {"--help"})


def help_text(path: list[str]) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def command_table() -> list[tuple[list[str], list[str]]]:
    """(path of the command, option names the row documents) for each row."""
    rows = []
    for first, what in table_rows(section("## Commands")):
        for name in [s for s in code_spans(first) if s.startswith("diffsync ")]:
            _, path = command_of(name.split()[1:])
            options = options_in(" ".join(code_spans(first) + code_spans(what)))
            rows.append((path, options))
    return rows


def test_every_command_in_the_table_exists_with_the_options_it_names():
    rows = command_table()
    assert len(rows) >= 15
    for path, options in rows:
        assert path, "a row names no diffsync command"
        shown = help_text(path)
        for option in options:
            assert option in options_of(tuple(path)), f"diffsync {' '.join(path)} has no {option}"
            assert option in shown or option in help_text([]), (path, option)


def test_every_command_of_the_cli_is_in_the_table():
    documented = {tuple(path) for path, _ in command_table()}
    real = set()
    for name, command in ROOT.commands.items():
        if hasattr(command, "commands"):  # a group: db
            real |= {(name, sub) for sub in command.commands}
        else:
            real.add((name,))
    assert real == documented


def shown_commands(text: str = README) -> list[str]:
    """Every ``diffsync …`` command line ``text`` shows: in code spans and code blocks."""
    lines = [s for s in code_spans(prose(text)) if s.startswith("diffsync ") and s != "diffsync …"]
    fence = None  # the language of the code block we are in
    for line in text.splitlines():
        if line.startswith("```"):
            fence = None if fence is not None else line[3:].strip() or "sh"
            continue
        line = re.sub(r"^\$ |^(\.venv/bin/)(?=diffsync )", "", line.strip())
        if fence in ("sh", "bash", "console") and line.startswith("diffsync "):
            lines.append(line.split("  #")[0].split(" | ")[0])
    return lines


def assert_the_cli_takes(line: str) -> None:
    words = line.split()[1:]
    _, path = command_of([w for w in words if not w.startswith("-")][:2])
    assert path or words[0].startswith("-"), f"{line}: no such command"
    for option in options_in(line.split(" ", 1)[1]):
        assert option in options_of(tuple(path)), f"{line}: {option} is not an option of it"


@pytest.mark.parametrize("line", sorted(set(shown_commands())))
def test_each_command_the_readme_shows_is_one_the_cli_takes(line):
    assert_the_cli_takes(line)


@pytest.mark.parametrize("doc, line", sorted({(name, line) for name, text in DOCS.items()
                                              for line in shown_commands(text)}))
def test_each_command_the_docs_show_is_one_the_cli_takes(doc, line):
    assert_the_cli_takes(line)


def all_cli_options() -> set[str]:
    """Every option of every diffsync command."""
    names, todo = set(), [[]]
    while todo:
        path = todo.pop()
        names |= options_of(tuple(path))
        command, _ = command_of(path)
        todo += [path + [sub] for sub in getattr(command, "commands", {})]
    return names


def fake_arxiv_options(capsys) -> set[str]:
    from diffsync.fake_arxiv.__main__ import main

    with pytest.raises(SystemExit):
        main(["--help"])
    return set(options_in(capsys.readouterr().out))


# Options the docs name that belong to other programs, and the file that defines each.
OTHER_PROGRAMS = {"--baseline": "bench/bench_requests.py", "--n": "bench/bench_requests.py"}
PYTHON_ITSELF = {"-X", "-m"}  # `python -X importtime`, `python -m pytest`


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_every_option_the_docs_name_is_a_real_one(doc, capsys):
    """An option in a code span is diffsync's (or, in a ``python -m diffsync.fake_arxiv``
    span, the fake arXiv's); spans that run pytest are pytest's, not checked here."""
    ours, fake = all_cli_options(), fake_arxiv_options(capsys)
    for span in code_spans(prose(DOCS[doc])):
        words = span.split()
        if "pytest" in words:
            continue
        known = fake if "diffsync.fake_arxiv" in words else ours | fake
        for option in options_in(span if span.startswith("-") or "diffsync" in span else ""):
            if option in OTHER_PROGRAMS:
                assert option in (REPO / OTHER_PROGRAMS[option]).read_text(encoding="utf-8")
            else:
                assert option in known | PYTHON_ITSELF, f"{doc}: `{span}`: no such option"


@pytest.mark.parametrize("doc", ["README.md", *sorted(DOCS)])
def test_every_relative_link_leads_to_a_file(doc):
    text, folder = (README, REPO) if doc == "README.md" else (DOCS[doc], REPO / "docs")
    links = re.sub(r"`[^`]*`", "", re.sub(r"``.*?``", "", prose(text)))  # not `[[Paper](…)]`
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", links):
        if "://" not in target:
            assert (folder / target).exists(), f"{doc}: link to {target}: no such file"


def test_the_docs_hold_the_reference():
    assert len(README.splitlines()) <= 300
    for topic in ["drift-rules", "review-and-export", "add", "daemon", "github", "arxiv",
                  "database", "architecture", "testing", "performance"]:
        assert f"{topic}.md" in DOCS
        assert f"(docs/{topic}.md)" in README, f"the README does not link docs/{topic}.md"


def test_the_exit_code_table_is_the_one_errors_py_defines():
    rows = {int(code): meaning for code, meaning in table_rows(section("### Exit codes"))}
    defined = {value: name for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert set(rows) == set(defined)
    # each code means in the README what errors.py and `check --help` say it means
    words = {"EXIT_OK": "no open findings", "EXIT_FINDINGS": "open findings",
             "EXIT_USAGE": "usage error", "EXIT_INCOMPLETE": "could not complete",
             "EXIT_INTERRUPTED": "interrupted"}
    check_help = " ".join(help_text(["check"]).split())
    for code, name in defined.items():
        assert words[name] in rows[code], (code, rows[code])
        if code < 100:
            assert f"{code} {words[name]}" in check_help, (code, name)
