"""Whole-number arithmetic as Okta does it: the Expression Language is SpEL on the JVM, where an
integer literal and ``String.len`` are Java ``int``s, so ``+ - * / %`` wrap at 32 bits, ``/`` truncates
towards zero and ``%`` takes the sign of the dividend (6 / -3 is -2, -7 % 2 is -1)."""

from __future__ import annotations

from collections.abc import Callable

from okta_sim.expressions.values import ExpressionError

MAX_NUMBER = 2**31 - 1  # Java's Integer.MAX_VALUE: a larger literal is refused, as SpEL refuses it


def _wrap(number: int) -> int:
    """Java int overflow: 2147483647 + 1 is -2147483648."""
    return (number + 2**31) % 2**32 - 2**31


def _quotient(left: int, right: int) -> int:
    """Java's integer division, which truncates (Python's // floors: -7 // 2 is -4, Java gives -3)."""
    quotient = abs(left) // abs(right)
    return quotient if (left < 0) == (right < 0) else -quotient


_OPERATORS: dict[str, Callable[[int, int], int]] = {
    "+": lambda left, right: left + right,
    "-": lambda left, right: left - right,
    "*": lambda left, right: left * right,
    "/": _quotient,
    "%": lambda left, right: left - right * _quotient(left, right),
}


def calculate(operator: str, left: int, right: int, right_column: int) -> int:
    """``left operator right`` as a Java int; dividing by 0 fails as Java's ArithmeticException does."""
    if operator in "/%" and right == 0:
        raise ExpressionError(f"Division by zero: the divisor at column {right_column} gives 0", right_column)
    return _wrap(_OPERATORS[operator](left, right))


def negate(number: int) -> int:
    return _wrap(-number)
