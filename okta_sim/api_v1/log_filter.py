"""The System Log's ``filter``: Okta's filter expressions (filter_language.py) on a LogEvent's
attributes (``actor.id``, ``target.id``, ``outcome.result``).

Okta's references (docs/okta_sim.md, "The System Log") give the rules: every operator, ``not``
included; a multi-valued attribute (``target``) matches when any of its values does; ``ne`` when
none equals the operand, so also when the attribute is missing (inference). A filter is parsed,
then its attribute paths are checked against the LogEvent object, so a syntax error is reported
before an unknown field (as Okta's own example of ``display_message eqq …`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import ge, gt, le, lt
from typing import Any

from okta_sim.api_v1 import filter_language, log_event
from okta_sim.api_v1.filter_language import Comparison, Node
from okta_sim.api_v1.protocol import InvalidSearch
from okta_sim.errors import OktaError

TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "co": str.__contains__,
    "sw": str.startswith,
    "ew": str.endswith,
}
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {"gt": gt, "ge": ge, "lt": lt, "le": le}

# Attribute and operator pairs Okta refuses (E0000031): ``published`` belongs to since/until/after,
# and ``co`` is not supported on the two URL fields.
UNSUPPORTED = "The supplied combination of operator and field is not currently supported. Operator: {op}, Field: {field}"
URL_FIELDS = ("debugContext.debugData.url", "debugContext.debugData.requestUri")


class InvalidLogQuery(OktaError):
    """E0000053, Okta's answer to a System Log filter it cannot read and to a ``since`` too old."""

    code = "E0000053"


def parse(text: str) -> Node | None:
    """The filter's expression tree; None for an empty filter. A malformed filter is E0000053, a
    refused pair E0000031."""
    tree = filter_language.parse(text, lambda detail: InvalidLogQuery(f"Invalid filter '{text}': {detail}"))
    if tree is not None:
        for comparison in filter_language.comparisons(tree):
            check(comparison)
    return tree


def matches(node: Node, event: dict[str, Any]) -> bool:
    return filter_language.evaluate(node, lambda comparison: holds(comparison, event))


def holds(comparison: Comparison, event: dict[str, Any]) -> bool:
    values = filter_language.values(event, comparison.attribute)
    if comparison.operator == "pr":
        return any(value not in (None, "", [], {}) for value in values)
    if comparison.operator == "ne":
        return not any(compare("eq", value, comparison.value) for value in values)
    return any(compare(comparison.operator, value, comparison.value) for value in values)


def compare(operator: str, value: Any, operand: Any) -> bool:
    """One attribute value against the operand: only values of the operand's kind can match; strings
    compare exactly, character by character (Okta: "identical", "lexicographical")."""
    if kind(value) != kind(operand):
        return False
    if operator == "eq":
        return bool(value == operand)
    if operator in TEXT_TESTS:
        return isinstance(value, str) and TEXT_TESTS[operator](value, operand)
    return not isinstance(value, bool) and ORDERINGS[operator](value, operand)


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else "other"


def check(comparison: Comparison) -> None:
    field, operator = comparison.attribute, comparison.operator
    if not log_event.known(field):
        raise InvalidLogQuery(f"field is not valid: {field}")
    if field == "published" or (operator == "co" and field in URL_FIELDS):
        raise InvalidSearch(UNSUPPORTED.format(op=operator, field=field))
