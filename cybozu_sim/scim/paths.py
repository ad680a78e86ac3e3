"""SCIM attribute paths (RFC 7644 §3.10) over users stored as plain dicts: which attribute a
path names (any case, schema-URN prefix optional), the values it reaches, and the
``attributes`` / ``excludedAttributes`` parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cybozu_sim.scim.errors import ScimError
from cybozu_sim.scim.scanner import WORD
from cybozu_sim.scim.schema import (
    CYBOZU_EXTENSION,
    EXTENSION,
    EXTENSION_ATTRIBUTE,
    TOP,
    USER_SCHEMA,
    Attribute,
)

_CORE_PREFIX = USER_SCHEMA.lower() + ":"
_EXTENSION_PREFIX = CYBOZU_EXTENSION.lower() + ":"


@dataclass(frozen=True)
class AttrPath:
    """A resolved attribute path: a top-level attribute (the extension counts as one) and a sub-attribute."""

    top: Attribute
    sub: Attribute | None = None

    @property
    def leaf(self) -> Attribute:
        return self.sub or self.top

    def __str__(self) -> str:
        if self.sub is None:
            return self.top.name
        separator = ":" if self.top is EXTENSION_ATTRIBUTE else "."
        return f"{self.top.name}{separator}{self.sub.name}"


def resolve(text: str, within: Attribute | None = None) -> AttrPath | None:
    """The attribute a path names (case-insensitive, URN prefix optional), or None if there is none.

    ``within`` resolves names relative to a complex attribute (inside ``emails[...]``): the
    path is then read from one item of that attribute.
    """
    lowered = text.lower()
    if within is not None:
        sub = within.sub.get(lowered)
        return AttrPath(sub) if sub is not None else None
    if lowered == CYBOZU_EXTENSION.lower():
        return AttrPath(EXTENSION_ATTRIBUTE)
    if lowered.startswith(_EXTENSION_PREFIX):
        sub = EXTENSION.get(lowered[len(_EXTENSION_PREFIX) :])
        return AttrPath(EXTENSION_ATTRIBUTE, sub) if sub is not None else None
    if lowered.startswith(_CORE_PREFIX):
        lowered = lowered[len(_CORE_PREFIX) :]
    if lowered.startswith("urn:"):
        return None
    name, dot, sub_name = lowered.partition(".")
    top = TOP.get(name)
    if top is None or top is EXTENSION_ATTRIBUTE:
        return None
    if not dot:
        return AttrPath(top)
    sub = top.sub.get(sub_name)
    return AttrPath(top, sub) if sub is not None else None


def values_at(user: dict[str, Any], path: AttrPath) -> list[Any]:
    """The values a path reaches in a user (several for a multi-valued attribute)."""
    top = path.top
    value = user.get(top.name)
    if value is None:
        return []
    if path.sub is None:
        return value if top.multi_valued and top.type != "complex" else [value]
    items = value if top.multi_valued else [value]
    name = path.sub.name
    return [item[name] for item in items if isinstance(item, dict) and item.get(name) is not None]


def parse_attribute_list(values: list[str]) -> list[AttrPath]:
    """The ``attributes`` / ``excludedAttributes`` parameters: known paths; unknown names are ignored."""
    paths = []
    for raw in values:
        for text in raw.split(","):
            text = text.strip()
            if not text:
                continue
            if WORD.fullmatch(text) is None:
                raise ScimError(400, f'"{text}" is not an attribute path.', "invalidPath")
            path = resolve(text)
            if path is not None:
                paths.append(path)
    return paths
