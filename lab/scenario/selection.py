"""``-k EXPR`` for ``lab run``: words joined with and/or/not and parentheses, like pytest's.

A word matches a scenario when it is part of its file name or its name
(case-insensitive) or equals one of its tags.
"""

from __future__ import annotations

import re

from lab.scenario.model import Scenario

TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class BadExpression(ValueError):
    pass


def matches(expression: str, scenario: Scenario) -> bool:
    tokens = TOKEN.findall(expression)
    if not tokens:
        raise BadExpression("the -k expression is empty")
    position = 0

    def word(text: str) -> bool:
        text = text.lower()
        return (
            text in scenario.id.lower()
            or text in scenario.name.lower()
            or text in [t.lower() for t in scenario.tags]
        )

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        token = peek()
        if token is None:
            raise BadExpression(f"the -k expression {expression!r} ends too early")
        position += 1
        return token

    def either() -> bool:
        value = both()
        while peek() == "or":
            take()
            value = both() or value
        return value

    def both() -> bool:
        value = negation()
        while peek() == "and":
            take()
            value = negation() and value
        return value

    def negation() -> bool:
        if peek() == "not":
            take()
            return not negation()
        token = take()
        if token == "(":
            value = either()
            if take() != ")":
                raise BadExpression(f"unbalanced parentheses in -k {expression!r}")
            return value
        if token in (")", "and", "or"):
            raise BadExpression(f"unexpected {token!r} in -k {expression!r}")
        return word(token)

    value = either()
    if peek() is not None:
        raise BadExpression(f"unexpected {peek()!r} in -k {expression!r}")
    return value
