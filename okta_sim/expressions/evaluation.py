"""Running a parsed expression on an Okta profile: the username it gives (or None for null)."""

from __future__ import annotations

from collections.abc import Mapping

from okta_sim.expressions.functions import FUNCTIONS
from okta_sim.expressions.parser import parse
from okta_sim.expressions.tree import (
    Attribute,
    Call,
    Compare,
    Concat,
    Conditional,
    Constant,
    Expression,
    Logic,
    Not,
)
from okta_sim.expressions.values import TEXT, Value


def _text(value: object) -> str:
    """Okta's text form of a non-null value: booleans are lower-case as in Java."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _plus(left: Value, right: Value) -> Value:
    """Join as text; null counts as "" beside a value, and null + null stays null."""
    if left is None and right is None:
        return None
    return ("" if left is None else _text(left)) + ("" if right is None else _text(right))


def _true(value: Value) -> bool:
    """A condition that gives null (e.g. stringContains on a missing attribute) counts as false."""
    return value is True


def _value(node: Expression, user: Mapping[str, object]) -> Value:
    match node:
        case Constant(value=value):
            return value
        case Attribute(name=name):
            raw = user.get(name)
            return None if raw is None else _text(raw)
        case Call(name=name, args=args):
            function = FUNCTIONS[name]
            values = [_value(arg, user) for arg in args]
            if not function.takes_null and any(value is None for value in values):
                return None
            return function.run(
                *(v if v is None or i in function.numbers else _text(v) for i, v in enumerate(values))
            )
        case Concat(parts=parts):
            result = _value(parts[0], user)
            for part in parts[1:]:
                result = _plus(result, _value(part, user))
            return result
        case Compare(negated=negated, left=left, right=right):
            a, b = _value(left, user), _value(right, user)
            return (type(a) is type(b) and a == b) != negated
        case Logic(any_of=True, operands=operands):
            return any(_true(_value(operand, user)) for operand in operands)
        case Logic(operands=operands):
            return all(_true(_value(operand, user)) for operand in operands)
        case Not(operand=operand):
            return not _true(_value(operand, user))
        case Conditional(condition=condition, then=then, otherwise=otherwise, kind=kind):
            result = _value(then if _true(_value(condition, user)) else otherwise, user)
            return _text(result) if kind == TEXT and result is not None else result
    raise TypeError(f"not an expression: {node!r}")


def evaluate(expression: Expression, user: Mapping[str, object]) -> str | None:
    """The username ``expression`` gives for the Okta profile ``user``: text, or None when it is null.

    Numbers and booleans come back as text ("3", "true"), as Okta stores every username as a string.
    """
    value = _value(expression, user)
    return None if value is None else _text(value)




def render(text: str, user: Mapping[str, object]) -> str | None:
    """Parse and evaluate in one step, for a format that is used once."""
    return evaluate(parse(text), user)
