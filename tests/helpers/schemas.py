"""The JSON Schemas of docs/schemas/, to validate a command's real --json output against."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from referencing import Registry, Resource

from helpers.paths import REPO

SCHEMAS = REPO / "docs" / "schemas"
DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
REGISTRY = Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in DOCS.values())


def valid(name: str, doc: Any) -> None:
    """``doc`` is valid against ``docs/schemas/NAME`` (itself a valid draft 2020-12 schema)."""
    schema = DOCS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(doc)
