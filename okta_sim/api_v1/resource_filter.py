"""``search`` and ``filter`` on /api/v1/users, /groups and /apps: which attributes, operators and
logical operators each one takes, and how values compare (Okta's management API reference,
okta-sdk-python ``openapi/api.yaml``, listUsers / listGroups / listApplications; docs/okta_sim.md,
"Searching the directory").

- ``search`` on users: any profile attribute, ``id``, ``status``, ``created``, ``activated``,
  ``statusChanged``, ``lastUpdated`` and ``type.id``; ``eq``, ``sw``, ``co`` (only on firstName,
  lastName, email and login), the orderings and ``pr``; no ``ne`` ("isn't supported"); string
  values case-insensitive, names case-sensitive.
- ``filter`` on users: ``status``, ``lastUpdated``, ``id`` and profile login, email, firstName and
  lastName; ``eq`` only, and the orderings on ``lastUpdated``; ``and`` and ``or``, "the not
  operator isn't supported"; case-sensitive.
- ``search`` on groups: profile name and description, ``id``, ``created``, ``lastUpdated``,
  ``lastMembershipUpdated``, ``type``, ``source.id``; ``co`` only on the name and description.
  ``filter`` on groups: ``id``, ``type``, ``lastUpdated`` and ``lastMembershipUpdated``.
- ``filter`` on apps: ``id``, ``status``, ``name``, and ``user.id`` / ``group.id`` (the apps
  assigned to that person or group, as Okta's examples use them), with ``eq``.

Anything else is E0000031 "Invalid search criteria.", with the reason in errorCauses. Where the
reference is silent (``not`` in a search, case in a group search, ``and``/``or`` on apps) the rule
is marked inference in docs/okta_sim.md. Instants (``lastUpdated gt "2014-01-01T00:00:00.000Z"``)
compare as instants, so an operand that is not one is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from okta_sim.api_v1 import filter_language
from okta_sim.api_v1.filter_language import Comparison, Node
from okta_sim.api_v1.protocol import InvalidSearch
from okta_sim.directory.model import PROFILE_FIELDS
from simcore.clock import parse_instant

INVALID = "Invalid search criteria."
ORDERINGS = frozenset({"gt", "ge", "lt", "le"})
USER_DATES = frozenset({"created", "activated", "statusChanged", "lastUpdated"})
GROUP_DATES = frozenset({"created", "lastUpdated", "lastMembershipUpdated"})


@dataclass(frozen=True)
class Rules:
    """What one list's ``search`` or ``filter`` accepts."""

    attributes: frozenset[str]
    operators: frozenset[str]
    dates: frozenset[str] = frozenset()
    ordered: frozenset[str] | None = None  # the attributes that take gt/ge/lt/le (None: all)
    contains: frozenset[str] = frozenset()  # the attributes that take co
    logical: frozenset[str] = frozenset({"and", "or"})
    fold: bool = False  # string values compare case-insensitively
    extra: frozenset[str] = field(default_factory=frozenset)  # attributes the caller adds to the resource


def profile(*names: str) -> frozenset[str]:
    return frozenset(f"profile.{name}" for name in names)


USER_SEARCH = Rules(
    attributes=profile(*PROFILE_FIELDS) | {"id", "status", "type.id"} | USER_DATES,
    operators=frozenset({"eq", "sw", "co", "pr"}) | ORDERINGS,
    dates=USER_DATES,
    contains=profile("firstName", "lastName", "email", "login"),
    fold=True,
)
USER_FILTER = Rules(
    attributes=profile("login", "email", "firstName", "lastName") | {"status", "lastUpdated", "id"},
    operators=frozenset({"eq"}) | ORDERINGS,
    dates=frozenset({"lastUpdated"}),
    ordered=frozenset({"lastUpdated"}),
)
GROUP_SEARCH = Rules(
    attributes=profile("name", "description") | {"id", "type", "source.id"} | GROUP_DATES,
    operators=frozenset({"eq", "sw", "co", "pr"}) | ORDERINGS,
    dates=GROUP_DATES,
    contains=profile("name", "description"),
    fold=True,
)
GROUP_FILTER = Rules(
    attributes=frozenset({"id", "type"}) | GROUP_DATES - {"created"},
    operators=frozenset({"eq"}) | ORDERINGS,
    dates=GROUP_DATES - {"created"},
    ordered=GROUP_DATES - {"created"},
)
APP_FILTER = Rules(
    attributes=frozenset({"id", "status", "name", "user.id", "group.id"}),
    operators=frozenset({"eq"}),
    extra=frozenset({"user.id", "group.id"}),
)


def refused(reason: str) -> InvalidSearch:
    return InvalidSearch(INVALID, [reason])


def parse(text: str, rules: Rules) -> Node | None:
    """The expression, checked against ``rules``; None when there is none."""
    tree = filter_language.parse(text, refused)
    if tree is None:
        return None
    for operator in filter_language.logical(tree):
        if operator not in rules.logical:
            raise refused(f"The logical operator '{operator}' is not supported here.")
    for comparison in filter_language.comparisons(tree):
        check(comparison, rules)
    return tree


def check(comparison: Comparison, rules: Rules) -> None:
    name, operator = comparison.attribute, comparison.operator
    if name not in rules.attributes:
        raise refused(f"The attribute '{name}' cannot be searched here.")
    supported = operator in rules.operators and not (
        (operator == "co" and name not in rules.contains)
        or (operator in ORDERINGS and rules.ordered is not None and name not in rules.ordered)
    )
    if not supported:
        raise refused(f"The operator '{operator}' is not supported on '{name}'.")
    if name in rules.dates and operator != "pr" and instant(comparison.value) is None:
        raise refused(f"'{name}' compares with an ISO 8601 instant, such as \"2014-01-01T00:00:00.000Z\".")


def instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_instant(value)
    except (ValueError, OverflowError):
        return None


def matches(node: Node, resource: dict[str, Any], rules: Rules) -> bool:
    return filter_language.evaluate(node, lambda comparison: holds(comparison, resource, rules))


def holds(comparison: Comparison, resource: dict[str, Any], rules: Rules) -> bool:
    found = [value for value in filter_language.values(resource, comparison.attribute) if value is not None]
    if comparison.operator == "pr":
        return any(value not in ("", [], {}) for value in found)
    test = COMPARISONS[comparison.operator]
    if comparison.attribute in rules.dates:
        operand = instant(comparison.value)
        return any((when := instant(value)) is not None and test(when, operand) for value in found)
    operand = fold(comparison.value, rules)
    return any(type(value) is type(operand) and test(fold(value, rules), operand) for value in found)


def fold(value: Any, rules: Rules) -> Any:
    return value.casefold() if rules.fold and isinstance(value, str) else value


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda value, operand: bool(value == operand),
    "sw": lambda value, operand: isinstance(value, str) and value.startswith(operand),
    "co": lambda value, operand: isinstance(value, str) and operand in value,
    "gt": lambda value, operand: not isinstance(value, bool) and value > operand,
    "ge": lambda value, operand: not isinstance(value, bool) and value >= operand,
    "lt": lambda value, operand: not isinstance(value, bool) and value < operand,
    "le": lambda value, operand: not isinstance(value, bool) and value <= operand,
}


def mentions(node: Node | None, attribute: str) -> list[Any]:
    """The operands ``attribute eq …`` takes in the expression (apps: ``user.id``, ``group.id``)."""
    if node is None:
        return []
    return [c.value for c in filter_language.comparisons(node) if c.attribute == attribute and c.operator == "eq"]


def sort_key(rules: Rules, attribute: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """``sortBy``: by the attribute's value (missing values last: inference), then by id, as Okta
    orders equal values."""
    if attribute not in rules.attributes:
        raise refused(f"sortBy: the attribute '{attribute}' cannot be sorted on.")

    def key(resource: dict[str, Any]) -> tuple[Any, ...]:
        found = filter_language.values(resource, attribute)
        value = found[0] if found else None
        if attribute in rules.dates:
            value = instant(value)
        if value is None:
            return (1, "", resource["id"])
        return (0, str(fold(value, rules)) if not isinstance(value, datetime) else value.isoformat(), resource["id"])

    return key
