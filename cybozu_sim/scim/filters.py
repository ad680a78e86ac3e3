"""RFC 7644 filters (§3.4.2.2) and attribute paths, over users stored as plain dicts.

The whole grammar: ``attrPath op value``, ``attrPath pr``, ``and`` / ``or`` /
``not ( )``, parentheses, value paths (``emails[type eq "work"]``, also followed
by ``.value eq "..."``), attribute names in any case, schema-URN prefixes, and
each attribute's ``caseExact``. A filter is parsed once into nested closures,
so matching a user costs a few dict lookups; ``userName eq "x"`` (Okta's
lookup) is also exposed so the service can answer it from an index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cybozu_sim.scim.errors import ScimError
from cybozu_sim.scim.schema import (
    CORE,
    CYBOZU_EXTENSION,
    EXTENSION,
    EXTENSION_ATTRIBUTE,
    TOP,
    USER_SCHEMA,
    Attribute,
    unknown_attribute,
)

Predicate = Callable[[dict[str, Any]], bool]

MAX_LENGTH = 4096  # characters of a filter or path
MAX_DEPTH = 32  # nested parentheses / not / value paths
OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
_WORD = re.compile(r"[A-Za-z][\w:.\-]*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_PASSWORD = CORE["password"]
# Okta's lookup, answered from the login-name index (userName is caseExact, so eq is exact).
_LOOKUP = re.compile(
    r"\s*(?:" + re.escape(USER_SCHEMA) + r':)?username\s+eq\s+("(?:[^"\\]|\\.)*")\s*', re.IGNORECASE
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


# -- scanning ------------------------------------------------------------------


class _Scanner:
    """Tokens of a filter or path: punctuation, strings, numbers and words, with their positions."""

    def __init__(self, text: str, scim_type: str) -> None:
        if len(text) > MAX_LENGTH:
            raise ScimError(400, f"The {_what(scim_type)} is longer than {MAX_LENGTH} characters.", scim_type)
        self.text = text
        self.pos = 0
        self.scim_type = scim_type
        self.depth = 0

    def fail(self, reason: str, pos: int | None = None) -> ScimError:
        at = self.pos if pos is None else pos
        return ScimError(
            400, f"Invalid {_what(self.scim_type)}: {reason} at position {at + 1}.", self.scim_type
        )

    def skip_spaces(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        self.skip_spaces()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_end(self) -> bool:
        return self.peek() == ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f'expected "{char}"')
        self.pos += 1

    def word(self, what: str = "an attribute name") -> str:
        self.skip_spaces()
        match = _WORD.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group()

    def peek_word(self) -> str:
        self.skip_spaces()
        match = _WORD.match(self.text, self.pos)
        return match.group().lower() if match else ""

    def literal(self) -> Any:
        """A comparison value: a JSON string, number, true, false or null."""
        self.skip_spaces()
        text, start = self.text, self.pos
        if start < len(text) and text[start] == '"':
            end = start + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                raise self.fail("unterminated string", start)
            try:
                value = json.loads(text[start : end + 1])
            except ValueError:
                raise self.fail("invalid string", start) from None
            self.pos = end + 1
            return value
        number = _NUMBER.match(text, start)
        if number:
            self.pos = number.end()
            raw = number.group()
            return float(raw) if any(c in raw for c in ".eE") else int(raw)
        word = self.peek_word()
        if word in ("true", "false", "null"):
            self.pos += len(word)
            return {"true": True, "false": False, "null": None}[word]
        raise self.fail("expected a value (a string in double quotes, a number, true, false or null)")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"more than {MAX_DEPTH} levels of nesting")


def _what(scim_type: str) -> str:
    return "filter" if scim_type == "invalidFilter" else "path"


# -- filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A parsed filter: ``match(user)``; ``user_name`` is set for a plain ``userName eq "..."``."""

    match: Predicate
    user_name: str | None = None


def parse_filter(text: str) -> Filter:
    """Parse a filter; raise a 400 ``invalidFilter`` ScimError naming the position of the problem."""
    scanner = _Scanner(text, "invalidFilter")
    if scanner.at_end():
        raise scanner.fail("empty filter")
    predicate = _or(scanner, None)
    if not scanner.at_end():
        raise scanner.fail("unexpected text")
    lookup = _LOOKUP.fullmatch(text)
    return Filter(predicate, json.loads(lookup.group(1)) if lookup else None)


def _or(scanner: _Scanner, within: Attribute | None) -> Predicate:
    return _chain(scanner, within, "or", _and, _either)


def _and(scanner: _Scanner, within: Attribute | None) -> Predicate:
    return _chain(scanner, within, "and", _unary, _both)


def _chain(
    scanner: _Scanner,
    within: Attribute | None,
    word: str,
    operand: Callable[[_Scanner, Attribute | None], Predicate],
    combine: Callable[[Predicate, Predicate], Predicate],
) -> Predicate:
    """``operand (word operand)*``, left to right: "and" binds tighter than "or" (RFC 7644 3.4.2.2)."""
    left = operand(scanner, within)
    while scanner.peek_word() == word:
        scanner.word()
        left = combine(left, operand(scanner, within))
    return left


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda user: a(user) or b(user)


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda user: a(user) and b(user)


def _unary(scanner: _Scanner, within: Attribute | None) -> Predicate:
    if scanner.peek_word() == "not" and _followed_by_paren(scanner):
        scanner.word()
        scanner.enter()
        scanner.expect("(")
        inner = _or(scanner, within)
        scanner.expect(")")
        scanner.depth -= 1
        return lambda user: not inner(user)
    if scanner.peek() == "(":
        scanner.enter()
        scanner.pos += 1
        inner = _or(scanner, within)
        scanner.expect(")")
        scanner.depth -= 1
        return inner
    return _attribute_expression(scanner, within)


def _followed_by_paren(scanner: _Scanner) -> bool:
    rest = scanner.text[scanner.pos + 3 :].lstrip()
    return rest.startswith("(")


def _attribute_expression(scanner: _Scanner, within: Attribute | None) -> Predicate:
    start = scanner.pos
    name = scanner.word()
    path = _filter_path(name, within)
    if scanner.peek() == "[":
        if within is not None or path.sub is not None or path.top.type != "complex":
            raise scanner.fail(f'"{name}" cannot have a value filter', start)
        scanner.enter()
        scanner.pos += 1
        inner = _or(scanner, path.top)
        scanner.expect("]")
        scanner.depth -= 1
        items = _items_of(path.top)
        if scanner.peek() != ".":
            return lambda user: any(inner(item) for item in items(user))
        scanner.pos += 1
        sub_name = scanner.word()
        sub = resolve(sub_name, path.top)
        if sub is None:
            raise ScimError(400, f'Unknown attribute "{path}.{sub_name}" in the filter.', "invalidFilter")
        test = _comparison(scanner, sub)
        return lambda user: any(inner(item) and test(item) for item in items(user))
    return _comparison(scanner, path)


def _items_of(attribute: Attribute) -> Callable[[dict[str, Any]], list[Any]]:
    name = attribute.name

    def items(user: dict[str, Any]) -> list[Any]:
        value = user.get(name)
        if value is None:
            return []
        return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else [value]

    return items


def _filter_path(name: str, within: Attribute | None) -> AttrPath:
    path = resolve(name, within)
    if path is None:
        raise ScimError(400, f'Unknown attribute "{name}" in the filter.', "invalidFilter")
    if path.top is _PASSWORD:
        raise ScimError(
            400, 'The attribute "password" is never returned, so it cannot be filtered on.', "invalidFilter"
        )
    return path


def _comparison(scanner: _Scanner, path: AttrPath) -> Predicate:
    """``path pr`` or ``path op value`` as a predicate over a user (or over one item in a value filter)."""
    op_start = scanner.pos
    operator = scanner.peek_word()
    if operator == "pr":
        scanner.word()
        return _present(path)
    if operator not in OPERATORS:
        raise scanner.fail("expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)", op_start)
    scanner.word()
    value = scanner.literal()
    leaf = path.leaf
    if path.sub is None and path.top.type == "complex" and path.top.multi_valued:
        # RFC 7644: a multi-valued complex attribute compares its "value" sub-attribute.
        value_sub = path.top.sub.get("value")
        if value_sub is not None:
            path, leaf = AttrPath(path.top, value_sub), value_sub
    test = _compare(operator, value, leaf, path)
    if path.top.type == "complex" and path.sub is None:

        def never(user: dict[str, Any]) -> bool:
            return operator == "ne"

        return never
    if value is None:
        predicate = _present(path)
        result: Predicate = predicate if operator == "ne" else (lambda user: not predicate(user))
    elif operator == "ne":
        equal = _compare("eq", value, leaf, path)
        result = lambda user: not any(equal(v) for v in values_at(user, path))  # noqa: E731
    else:
        result = lambda user: any(test(v) for v in values_at(user, path))  # noqa: E731
    return result


def _present(path: AttrPath) -> Predicate:
    def present(user: dict[str, Any]) -> bool:
        return any(v not in ("", [], {}) for v in values_at(user, path))

    return present


def _compare(operator: str, value: Any, leaf: Attribute, path: AttrPath) -> Callable[[Any], bool]:
    """A test of one stored value against the filter's value, following the attribute's type."""
    if value is None:
        if operator not in ("eq", "ne"):
            raise ScimError(400, f'"{operator} null" is not a valid comparison ({path}).', "invalidFilter")
        return lambda v: False
    kind = leaf.type
    if kind == "boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise _invalid_value(value, path)
        if operator not in ("eq", "ne"):
            raise ScimError(400, f'"{operator}" cannot compare the boolean {path}.', "invalidFilter")
        return lambda v: v is value
    if kind == "complex":
        return lambda v: False
    if not isinstance(value, str):
        raise _invalid_value(value, path)
    if kind == "dateTime" and operator in ("eq", "ne", "gt", "ge", "lt", "le"):
        moment = _moment(value, path)
        return _ordered(operator, moment, _moment_or_none)
    fold = (lambda s: s) if leaf.case_exact else str.lower
    wanted = fold(value)
    if operator in ("eq", "ne"):
        return lambda v: isinstance(v, str) and fold(v) == wanted
    if operator == "co":
        return lambda v: isinstance(v, str) and wanted in fold(v)
    if operator == "sw":
        return lambda v: isinstance(v, str) and fold(v).startswith(wanted)
    if operator == "ew":
        return lambda v: isinstance(v, str) and fold(v).endswith(wanted)
    return _ordered(operator, wanted, lambda v: fold(v) if isinstance(v, str) else None)


def _ordered(operator: str, wanted: Any, convert: Callable[[Any], Any]) -> Callable[[Any], bool]:
    def test(v: Any) -> bool:
        have = convert(v)
        if have is None:
            return False
        if operator == "eq":
            return bool(have == wanted)
        if operator == "ne":
            return bool(have != wanted)
        if operator == "gt":
            return bool(have > wanted)
        if operator == "ge":
            return bool(have >= wanted)
        if operator == "lt":
            return bool(have < wanted)
        return bool(have <= wanted)

    return test


def _moment(value: str, path: AttrPath) -> datetime:
    moment = _moment_or_none(value)
    if moment is None:
        raise ScimError(400, f'"{value}" is not a date and time for {path}.', "invalidFilter")
    return moment


def _moment_or_none(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment


def _invalid_value(value: Any, path: AttrPath) -> ScimError:
    return ScimError(400, f"value {json.dumps(value)} is not valid for attribute '{path}'", "invalidFilter")


# -- PATCH paths -----------------------------------------------------------------


@dataclass(frozen=True)
class PatchPath:
    """``attrPath`` or ``attr[filter]`` optionally followed by ``.subAttr`` (RFC 7644 §3.5.2)."""

    path: AttrPath
    filter: Predicate | None = None
    # The sub-attribute after a value filter: ``emails[type eq "work"].value``.
    item_sub: Attribute | None = None


def parse_patch_path(text: str) -> PatchPath:
    """Parse a PATCH path; raise a 400 ``invalidPath`` ScimError when it is malformed or unknown."""
    scanner = _Scanner(text, "invalidPath")
    if scanner.at_end():
        raise scanner.fail("empty path")
    name = scanner.word()
    path = resolve(name)
    if path is None:
        unknown = unknown_attribute(name)
        raise ScimError(400, unknown.detail, "invalidPath")
    if scanner.peek() != "[":
        if not scanner.at_end():
            raise scanner.fail("unexpected text")
        return PatchPath(path)
    if path.sub is not None or path.top.type != "complex" or not path.top.multi_valued:
        raise scanner.fail(f'"{name}" is not a multi-valued attribute')
    scanner.pos += 1
    try:
        inner = _or(scanner, path.top)
    except ScimError as error:
        raise ScimError(400, error.detail.replace("filter", "path"), "invalidPath") from None
    scanner.expect("]")
    item_sub = None
    if scanner.peek() == ".":
        scanner.pos += 1
        sub_name = scanner.word()
        found = resolve(sub_name, path.top)
        if found is None:
            raise ScimError(400, f'Unknown attribute "{path}.{sub_name}".', "invalidPath")
        item_sub = found.top
    if not scanner.at_end():
        raise scanner.fail("unexpected text")
    return PatchPath(path, inner, item_sub)


def parse_attribute_list(values: list[str]) -> list[AttrPath]:
    """The ``attributes`` / ``excludedAttributes`` parameters: known paths; unknown names are ignored."""
    paths = []
    for raw in values:
        for text in raw.split(","):
            text = text.strip()
            if not text:
                continue
            if _WORD.fullmatch(text) is None:
                raise ScimError(400, f'"{text}" is not an attribute path.', "invalidPath")
            path = resolve(text)
            if path is not None:
                paths.append(path)
    return paths
