"""The verb and expectation reference of docs/scenarios.md, made from the schemas.

    python -m lab.scenario.reference   # prints the block between the markers

A test checks that docs/scenarios.md holds exactly this block, so the reference
cannot drift from what ``lab check`` accepts.
"""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, fields

from lab.scenario.expect import (
    Expect,
    ExpectAppUser,
    ExpectCybozuUser,
    ExpectEvent,
    ExpectExchange,
    ExpectTask,
)
from lab.scenario.jsonschema import field_schema
from lab.scenario.verbs import VERBS

START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def kind_of(schema: dict[str, Any]) -> str:
    """A JSON Schema's type in words: "string", "integer or null", "array or object", ..."""
    if "anyOf" in schema:
        return " or ".join(dict.fromkeys(kind_of(choice) for choice in schema["anyOf"]))
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type", "any")
    return " or ".join(kind) if isinstance(kind, list) else kind


def describe(field: fields.Field) -> str:
    schema = field_schema(field)
    kind = kind_of(schema)
    if "enum" in schema:
        kind = " \\| ".join(f"`{v}`" for v in schema["enum"])
    elif kind == "array" and "enum" in schema.get("items", {}):
        kind = "list of " + " \\| ".join(f"`{v}`" for v in schema["items"]["enum"])
    parts = [kind]
    if field.required:
        parts.append("**required**")
    default = field.load_default
    if default is not fields.missing_ and not callable(default):
        parts.append(f"default `{json.dumps(default)}`")
    doc = field.metadata.get("doc")
    return ", ".join(parts) + (f": {doc}" if doc else "")


def parameters(schema: type[Schema]) -> str:
    found = schema().fields
    if not found:
        return "(none)"
    return "<br>".join(f"`{name}`: {describe(field)}" for name, field in found.items())


def render() -> str:
    lines = [
        START,
        "",
        "### Verbs",
        "",
        "| verb | what it does | parameters | `save:` results |",
        "|---|---|---|---|",
    ]
    for verb in VERBS.values():
        results = "<br>".join(f"`{k}`: {v}" for k, v in verb.results.items()) or ""
        lines.append(f"| `{verb.name}` | {verb.help} | {parameters(verb.schema)} | {results} |")
    lines += ["", "### Expectations (`expect:`)", "", "| key | meaning |", "|---|---|"]
    for name, field in Expect().fields.items():
        lines.append(f"| `{name}` | {describe(field)} |")
    for title, schema in [
        ("cybozu_users[]", ExpectCybozuUser),
        ("okta_app_users[]", ExpectAppUser),
        ("tasks[]", ExpectTask),
        ("exchanges[]", ExpectExchange),
        ("syslog[]", ExpectEvent),
    ]:
        lines += ["", f"`{title}`: {parameters(schema)}"]
    lines += ["", END]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render())
