"""The verb and expectation reference of docs/scenarios.md, made from the schemas.

    python -m lab.scenario.reference   # rewrites the block between the markers

A test checks that docs/scenarios.md holds exactly this block, so the reference
cannot drift from what ``lab check`` accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields

from lab.scenario.expect import Expect
from lab.scenario.jsonschema import field_schema
from lab.scenario.verbs import VERBS

START, END = "<!-- reference:start -->", "<!-- reference:end -->"
PAGE = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"


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


def nested_schemas(schema: type[Schema], prefix: str = "") -> list[tuple[str, type[Schema]]]:
    """Every object inside ``schema``'s fields, depth first: ``cybozu_users[]`` for a list of
    them, ``okta_app`` for one, ``okta_app.to_app`` inside it (issue 17: okta_app's keys were
    not listed)."""
    found = []
    for name, field in schema().fields.items():
        inner, title = field, f"{prefix}{name}"
        if isinstance(field, fields.List):
            inner, title = field.inner, title + "[]"
        if isinstance(inner, fields.Nested) and isinstance(inner.nested, type):
            found.append((title, inner.nested))
            found += nested_schemas(inner.nested, title + ".")
    return found


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
    for title, schema in nested_schemas(Expect):
        lines += ["", f"`{title}`: {parameters(schema)}"]
    lines += ["", END]
    return "\n".join(lines)


def write(page: Path = PAGE) -> None:
    """Put the block in place of the page's one reference block."""
    text = page.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.rpartition(END)
    page.write_text(before + render() + after, encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote the reference into {PAGE}")
