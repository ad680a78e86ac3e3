"""Running a parsed expression on an Okta profile: the username it gives (or None for null)."""

from __future__ import annotations

from collections.abc import Mapping

from okta_sim.expressions.arithmetic import calculate, negate
from okta_sim.expressions.functions import FUNCTIONS
from okta_sim.expressions.parser import parse
from okta_sim.expressions.tree import (
    Arithmetic,
    Attribute,
    Call,
    Compare,
    Concat,
    Conditional,
    Constant,
    Default,
    Expression,
    Logic,
    Negate,
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


def _order(left: Value, right: Value) -> int:
    """Java's compareTo, as SpEL orders values: null is less than any value (so X > null is true and
    X < null false), and text compares by UTF-16 code units, as Java's String does."""
    if left is None or right is None:
        return (left is not None) - (right is not None)
    if isinstance(left, str) and isinstance(right, str):
        left_key, right_key = left.encode("utf-16-be"), right.encode("utf-16-be")
        return (left_key > right_key) - (left_key < right_key)
    return (left > right) - (left < right)  # two numbers: the parser lets < > <= >= see like kinds only


_ORDERS = {"<": lambda o: o < 0, ">": lambda o: o > 0, "<=": lambda o: o <= 0, ">=": lambda o: o >= 0}


def _compare(operator: str, left: Value, right: Value) -> bool:
    """Equality is exact: text never equals a number, nor a number true."""
    if operator in ("==", "!="):
        return (type(left) is type(right) and left == right) != (operator == "!=")
    return _ORDERS[operator](_order(left, right))


def _either(kind: str, value: Value) -> Value:
    """A ternary's or ?:'s result, converted to text when its two sides give different kinds."""
    return _text(value) if kind == TEXT and value is not None else value


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
        case Arithmetic(first=first, rest=rest):
            result = _value(first, user)
            for operator, operand in rest:
                right = _value(operand, user)
                if result is not None and right is not None:  # null counts as null, as in a String function
                    result = calculate(operator, result, right, operand.column)
                else:
                    result = None
            return result
        case Negate(operand=operand):
            number = _value(operand, user)
            return None if number is None else negate(number)
        case Concat(parts=parts):
            result = _value(parts[0], user)
            for part in parts[1:]:
                result = _plus(result, _value(part, user))
            return result
        case Compare(operator=operator, left=left, right=right):
            return _compare(operator, _value(left, user), _value(right, user))
        case Logic(any_of=True, operands=operands):
            return any(_true(_value(operand, user)) for operand in operands)
        case Logic(operands=operands):
            return all(_true(_value(operand, user)) for operand in operands)
        case Not(operand=operand):
            return not _true(_value(operand, user))
        case Conditional(condition=condition, then=then, otherwise=otherwise, kind=kind):
            return _either(kind, _value(then if _true(_value(condition, user)) else otherwise, user))
        case Default(value=value, fallback=fallback, kind=kind):
            first = _value(value, user)
            return _either(kind, _value(fallback, user) if first is None or first == "" else first)
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
