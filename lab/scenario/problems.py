"""marshmallow's nested error messages as Problems at the file, line and column they are
about; a misspelt key gets the nearest valid one suggested."""

from __future__ import annotations

import difflib
from typing import Any

from marshmallow import Schema, fields

from lab.scenario.source import Document, Path_, Problem

# Words a scenario writer may use for a verb's action, by meaning (issue 17: "cybozu.remove_user"
# was answered with "cybozu.view_user", the nearest spelling, not "cybozu.delete_user").
SAME_ACTION = [
    {"delete", "remove", "drop", "destroy", "erase"},
    {"add", "create", "new", "make", "insert", "invite"},
    {"edit", "update", "change", "modify", "rename"},
    {"deactivate", "disable"},
    {"activate", "enable", "reactivate"},
    {"assign", "give", "grant", "provision"},
    {"unassign", "revoke", "deprovision"},
    {"view", "show", "get", "read", "fetch", "find"},
]


def by_meaning(word: str, candidates: list[str]) -> str | None:
    """The candidate in ``word``'s namespace whose action means the same (``remove`` is ``delete``),
    the closest in what it acts on."""
    space, _, rest = word.partition(".")
    action, _, thing = rest.partition("_")
    family = next((words for words in SAME_ACTION if action in words), {action})
    ranked = []
    for candidate in candidates:
        their_space, _, their_rest = candidate.partition(".")
        their_action, _, their_thing = their_rest.partition("_")
        if their_space == space and their_action in family and candidate != word:
            ranked.append((difflib.SequenceMatcher(None, thing, their_thing).ratio(), candidate))
    return max(ranked)[1] if ranked else None


def suggest(word: str, candidates: Any) -> str:
    """The nearest valid name: a verb of the same meaning first, else the nearest spelling."""
    names = list(candidates)
    close = ([found] if (found := by_meaning(str(word), names)) else []) if "." in str(word) else []
    close = close or difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
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
