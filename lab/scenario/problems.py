"""marshmallow's nested error messages as Problems at the file, line and column they are
about; a misspelt key gets the nearest valid one suggested."""

from __future__ import annotations

import difflib
from typing import Any

from marshmallow import Schema, fields

from lab.scenario.source import Document, Path_, Problem


def suggest(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def declared(schema: Schema | type[Schema], path: Path_) -> list[str]:
    """The field names a schema accepts at ``path`` (for "did you mean")."""
    current: Any = schema() if isinstance(schema, type) else schema
    for part in path:
        if isinstance(part, int):
            continue
        found = current.fields.get(part) if isinstance(current, Schema) else None
        while isinstance(found, fields.List):
            found = found.inner
        if not isinstance(found, fields.Nested):
            return []
        current = found.schema
    return list(current.fields) if isinstance(current, Schema) else []


def dotted(path: Path_) -> str:
    """``("cybozu_users", 0, "status")`` -> ``cybozu_users[0].status``; a mapping's key/value errors name the key."""
    text = ""
    for position, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("key", "value") and position == len(path) - 1 and position >= 2:
            text += " (the key)" if part == "key" else ""
        else:
            text += f".{part}" if text else str(part)
    return text


def problems_from(
    document: Document,
    messages: Any,
    schema: Schema | type[Schema],
    base: Path_,
    local: Path_ = (),
    step: int | None = None,
    verb: str | None = None,
) -> list[Problem]:
    """Turn marshmallow's nested error messages into Problems at the right positions."""
    found: list[Problem] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            sub = local if key == "_schema" else (*local, key)
            found += problems_from(document, value, schema, base, sub, step, verb)
        return found
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, dict):
            found += problems_from(document, message, schema, base, local, step, verb)
            continue
        text = str(message)
        if text == "Unknown field.":
            name = str(local[-1])
            text = f"unknown field {name!r}" + suggest(name, declared(schema, local[:-1]))
        elif text == "Missing data for required field.":
            text = f"missing required field {local[-1]!r}"
        elif local:
            text = f"{dotted(local)}: {text}"
        found.append(document.problem((*base, *local), text, step, verb))
    return found
