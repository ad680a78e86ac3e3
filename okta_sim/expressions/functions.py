"""The String functions an expression may call (``String.x(...)`` or ``fn:x(...)``, and a few bare, as
the reference's deprecated forms), with the arity and argument kinds the parser checks and the null
rules the evaluation follows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from okta_sim.expressions.values import BOOLEAN, MAX_VALUE_LENGTH, NUMBER, TEXT, ExpressionError, Value


@dataclass(frozen=True)
class Function:
    run: Callable[..., Value]
    arity: int  # the exact count, or the minimum when variadic
    variadic: bool = False
    kind: str = TEXT
    numbers: tuple[int, ...] = ()  # 0-based positions that take a number; the others take text
    takes_null: bool = False  # False: any null argument makes the result null without calling run


def _substring(text: str, start: int, end: int) -> str:
    """Okta (Java) would fail on out-of-range indices; a username format should not, so clamp."""
    start = max(0, min(start, len(text)))
    return text[start : max(start, min(end, len(text)))]


def _substring_after(text: str, search: str) -> str:
    index = text.find(search)
    return text[index + len(search) :] if index >= 0 else ""


def _substring_before(text: str, search: str) -> str:
    """The whole text when ``search`` is absent: the "Email prefix" format of a login without "@"."""
    index = text.find(search)
    return text[:index] if index >= 0 else text


def _replace(text: str, match: str, new: str) -> str:
    """A literal replace whose result is at most MAX_VALUE_LENGTH characters, checked before it is built.

    An empty ``match`` puts ``new`` between every two characters, so nested calls grow a value
    geometrically: seven nested replaces (a 251-character expression) made a 2 GB username.
    """
    grown = len(text) + text.count(match) * (len(new) - len(match))
    if grown > MAX_VALUE_LENGTH:
        raise ExpressionError(
            f"String.replace would give {grown:,} characters; the limit is {MAX_VALUE_LENGTH:,}."
        )
    return text.replace(match, new)


def string_switch(text: str | None, default: str | None, *pairs: str | None) -> str | None:
    """The value of the first key contained in ``text``; a null key never matches."""
    if text is None:
        return None
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        if key is not None and key in text:
            return value
    return default


# Replace is literal, not a regular expression as in Okta (Java's replaceAll): a username format that
# needs a regex is rare, and a literal match cannot fail at provisioning time on a bad pattern.
FUNCTIONS: dict[str, Function] = {
    "append": Function(lambda a, b: (a or "") + (b or ""), 2, takes_null=True),
    "join": Function(lambda sep, *items: (sep or "").join(i or "" for i in items), 2, True, takes_null=True),
    "len": Function(lambda s: len(s or ""), 1, kind=NUMBER, takes_null=True),
    "removeSpaces": Function(lambda s: s.replace(" ", ""), 1),
    "replace": Function(_replace, 3),
    "replaceFirst": Function(lambda s, match, new: s.replace(match, new, 1), 3),
    "startsWith": Function(lambda s, prefix: s.startswith(prefix), 2, kind=BOOLEAN),
    "stringContains": Function(lambda s, search: search in s, 2, kind=BOOLEAN),
    "stringSwitch": Function(string_switch, 4, True, takes_null=True),
    "substring": Function(_substring, 3, numbers=(1, 2)),
    "substringAfter": Function(_substring_after, 2),
    "substringBefore": Function(_substring_before, 2),
    "toUpperCase": Function(lambda s: s.upper(), 1),
    "toLowerCase": Function(lambda s: s.lower(), 1),
}

# The functions that may also be called bare, e.g. toLowerCase(user.email): the deprecated forms the
# Okta Expression Language reference lists beside the String functions (okta-developer-docs,
# docs/reference/okta-expression-language/index.md, "String functions").
LEGACY = ("substring", "substringAfter", "substringBefore", "toLowerCase", "toUpperCase")
