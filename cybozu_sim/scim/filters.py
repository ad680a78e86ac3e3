"""RFC 7644 filters (§3.4.2.2) and PATCH paths (§3.5.2), over users stored as plain dicts.

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
from cybozu_sim.scim.paths import AttrPath, resolve, values_at
from cybozu_sim.scim.scanner import Scanner
from cybozu_sim.scim.schema import (
    CORE,
    USER_SCHEMA,
    Attribute,
    unknown_attribute,
)

Predicate = Callable[[dict[str, Any]], bool]

OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
_PASSWORD = CORE["password"]
# Okta's lookup, answered from the login-name index (userName is caseExact, so eq is exact).
_LOOKUP = re.compile(
    r"\s*(?:" + re.escape(USER_SCHEMA) + r':)?username\s+eq\s+("(?:[^"\\]|\\.)*")\s*', re.IGNORECASE
)


# -- filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A parsed filter: ``match(user)``; ``user_name`` is set for a plain ``userName eq "..."``."""

    match: Predicate
    user_name: str | None = None


def parse_filter(text: str) -> Filter:
    """Parse a filter; raise a 400 ``invalidFilter`` ScimError naming the position of the problem."""
    scanner = Scanner(text, "invalidFilter")
    if scanner.at_end():
        raise scanner.fail("empty filter")
    predicate = _or(scanner, None)
    if not scanner.at_end():
        raise scanner.fail("unexpected text")
    lookup = _LOOKUP.fullmatch(text)
    return Filter(predicate, json.loads(lookup.group(1)) if lookup else None)


def _or(scanner: Scanner, within: Attribute | None) -> Predicate:
    return _chain(scanner, within, "or", _and, _either)


def _and(scanner: Scanner, within: Attribute | None) -> Predicate:
    return _chain(scanner, within, "and", _unary, _both)


def _chain(
    scanner: Scanner,
    within: Attribute | None,
    word: str,
    operand: Callable[[Scanner, Attribute | None], Predicate],
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


def _unary(scanner: Scanner, within: Attribute | None) -> Predicate:
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


def _followed_by_paren(scanner: Scanner) -> bool:
    rest = scanner.text[scanner.pos + 3 :].lstrip()
    return rest.startswith("(")


def _attribute_expression(scanner: Scanner, within: Attribute | None) -> Predicate:
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


def _comparison(scanner: Scanner, path: AttrPath) -> Predicate:
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
    scanner = Scanner(text, "invalidPath")
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
