"""Machine output is a contract: every --json output validates against its schema in
docs/schemas/, and a finding carries exactly the fields its schema documents."""

from __future__ import annotations

import json

import jsonschema
import pytest
from referencing import Registry, Resource

from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers
from helpers.builders import without_entry
from helpers.cli import run_cli
from helpers.paths import REPO

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

SCHEMAS = REPO / "docs" / "schemas"
DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
REGISTRY = Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in DOCS.values())


def valid(name: str, doc) -> None:
    schema = DOCS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(doc)


@pytest.fixture
def world(tmp_path, fake_env):
    """The example list without DreamBooth (so add has a paper to add), checked once."""
    with fake_env(example_papers()):
        (tmp_path / "list.md").write_bytes(without_entry(EXAMPLE_LIST.read_bytes(), "2208.12242"))
        yield tmp_path


def _json(capsys, monkeypatch, *args):
    code, out, err = run_cli(capsys, monkeypatch, *args)
    assert code in (0, 1), err
    return json.loads(out)


def test_every_json_output_validates_against_its_schema(world, capsys, monkeypatch):
    check = _json(capsys, monkeypatch, "check", "list.md", "--json")
    valid("check.json", check)
    assert len(check["findings"]) > 5
    documented = set(DOCS["finding.json"]["properties"])
    assert all(set(f) == documented for f in check["findings"])  # no undocumented field
    assert any(f["fix_line"] for f in check["findings"])
    valid("findings.json", _json(capsys, monkeypatch, "findings", "list.md", "--json", "--status", "all"))
    title = next(f["id"] for f in check["findings"] if f["kind"] == "title")
    valid("decisions.json", _json(capsys, monkeypatch, "accept", title, "--json"))
    valid("decisions.json", _json(capsys, monkeypatch, "ignore", "--kind", "new_version", "--reason", "x", "--json"))
    valid("entries.json", _json(capsys, monkeypatch, "entries", "list.md", "--json"))
    valid("status.json", _json(capsys, monkeypatch, "status", "--json"))
    valid("db-current.json", _json(capsys, monkeypatch, "db", "current", "--json"))
    export = _json(capsys, monkeypatch, "export", "list.md", "--json")
    valid("export.json", export)
    assert export["edits"]
    added = _json(capsys, monkeypatch, "add", "2208.12242", "-l", "list.md", "--under", "Odds and ends", "--json")
    valid("add.json", added)
    assert added["added"][0]["arxiv_id"] == "2208.12242"
    code, _, err = run_cli(capsys, monkeypatch, "check", "list.md", "--offline", "--report", "report.json")
    assert code in (0, 1), err
    report = json.loads((world / "report.json").read_text(encoding="utf-8"))
    valid("report.json", report)
    assert report["findings"] and report["ignored"]
    code, out, _ = run_cli(capsys, monkeypatch, "lint", "list.md", "--format", "json", "--select", "ALL")
    valid("lint.json", json.loads(out))


def test_a_schema_refuses_what_it_does_not_document():
    finding = {"id": "4707a1acfc", "kind": "title", "line": 20, "fix_line": None, "arxiv_id": "2206.00364",
               "listed": "a", "arxiv": "b", "message": "m", "suggestion": None, "fix": None,
               "status": "open", "reason": None, "entry_key": "2206.00364", "list": "README.md"}
    valid("finding.json", finding)
    for broken in ({**finding, "kind": "typo"}, {**finding, "line": 0},
                   {k: v for k, v in finding.items() if k != "message"}, {**finding, "status": "maybe"}):
        with pytest.raises(jsonschema.ValidationError):
            valid("finding.json", broken)
