"""Okta's filter expressions, the language of ``filter`` and ``search`` on /api/v1's lists: an
attribute path (``profile.login``, ``target.id``; names case-sensitive), an operator (``eq ne co sw
ew pr gt ge lt le``, case-insensitive), a value (a JSON string, a number, ``true``/``false``),
combined with ``and``, ``or``, ``not ( … )`` and parentheses (attribute operators first, then
grouping, then ``and``, then ``or``: developer.okta.com/docs/api, "Filter"), and every operator
"except [ ]".

This module is the grammar alone: what an endpoint accepts (its attributes, its operators, case)
is the endpoint's rule set (log_filter.py for the System Log, resource_filter.py for users, groups
and apps), which walks the tree ``parse`` returns. Nothing here knows Flask.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from okta_sim.errors import OktaError

# Okta's own list in its "Unrecognized attribute operator" message; ne and ew work all the same.
EXPECTED_OPERATORS = "eq,co,sw,pr,gt,ge,lt,le"
OPERATORS = ("eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le")
ATTRIBUTE = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*", re.ASCII)
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
LITERALS = {"true": True, "false": False}
PUNCTUATION = "()[]"
MAX_DEPTH = 32  # nested parentheses: the parser recurses once per level (inference: Okta states no limit)

Invalid = Callable[[str], OktaError]  # the endpoint's error for a syntax error, given the detail


@dataclass(frozen=True)
class Comparison:
    attribute: str
    operator: str  # lower case
    value: Any = None  # None for pr


@dataclass(frozen=True)
class Every:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Some:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Negation:
    part: Node


Node = Comparison | Every | Some | Negation


@dataclass(frozen=True)
class Token:
    kind: str  # "(", ")", "[", "]", "string", "word", "end"
    text: str
    position: int  # 0-based, as in Okta's "at position 16"
    value: Any = None


def comparisons(node: Node) -> Iterator[Comparison]:
    """The comparisons in the order they were written (nesting is at most MAX_DEPTH deep)."""
    if isinstance(node, Comparison):
        yield node
    elif isinstance(node, Negation):
        yield from comparisons(node.part)
    else:
        for part in node.parts:
            yield from comparisons(part)


class Parser:
    """Recursive descent over the tokens: ``or`` of ``and`` of (``not`` group | group | comparison)."""

    def __init__(self, text: str, invalid: Invalid) -> None:
        self.text = text
        self.invalid = invalid
        self.tokens = list(tokenize(text, invalid))
        self.index = 0

    def parse(self) -> Node:
        tree = self.disjunction(0)
        token = self.peek()
        if token.kind != "end":
            raise self.invalid(f"Unexpected '{token.text}' at position {token.position}")
        return tree

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        """The next token (the end token stays the next one)."""
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text.lower() == word:
            self.take()
            return True
        return False

    def disjunction(self, depth: int) -> Node:
        parts = [self.conjunction(depth)]
        while self.keyword("or"):
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Some(tuple(parts))

    def conjunction(self, depth: int) -> Node:
        parts = [self.term(depth)]
        while self.keyword("and"):
            parts.append(self.term(depth))
        return parts[0] if len(parts) == 1 else Every(tuple(parts))

    def term(self, depth: int) -> Node:
        if self.keyword("not"):
            return Negation(self.group(depth))
        if self.peek().kind == "(":
            return self.group(depth)
        return self.comparison()

    def group(self, depth: int) -> Node:
        """A parenthesised expression."""
        opening = self.peek()
        self.expect("(")
        if depth == MAX_DEPTH:
            raise self.invalid(f"More than {MAX_DEPTH} nested parentheses at position {opening.position}")
        inner = self.disjunction(depth + 1)
        self.expect(")")
        return inner

    def expect(self, kind: str) -> None:
        token = self.take()
        if token.kind != kind:
            raise self.invalid(f"Expected '{kind}' at position {token.position}")

    def comparison(self) -> Comparison:
        name = self.take()
        if name.kind != "word" or not ATTRIBUTE.fullmatch(name.text):
            raise self.invalid(f"Expected an attribute name at position {name.position}")
        operator = self.take()
        if operator.kind == "[":
            raise self.invalid(f"Value filters ('[ ]') are not supported at position {operator.position}")
        if operator.kind != "word" or operator.text.lower() not in OPERATORS:
            raise self.invalid(
                f"Unrecognized attribute operator '{operator.text}' at position {operator.position}. "
                f"Expected: {EXPECTED_OPERATORS}"
            )
        if operator.text.lower() == "pr":
            return Comparison(name.text, "pr")
        return Comparison(name.text, operator.text.lower(), self.value())

    def value(self) -> Any:
        token = self.take()
        if token.kind == "string":
            return token.value
        if token.kind == "word" and token.text in LITERALS:
            return LITERALS[token.text]
        if token.kind == "word" and NUMBER.fullmatch(token.text):
            try:
                return json.loads(token.text)
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                pass
        raise self.invalid(f"Unrecognized value '{token.text}' at position {token.position}")


def tokenize(text: str, invalid: Invalid) -> Iterator[Token]:
    """Parentheses, brackets, JSON strings ("String literals must be valid JSON strings") and words
    (attribute names, operators, keywords, numbers), then an end token."""
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char in PUNCTUATION:
            yield Token(char, char, position)
            position += 1
        elif char == '"':
            end = closing_quote(text, position)
            if end < 0:
                raise invalid(f"Unterminated string at position {position}")
            literal = text[position : end + 1]
            try:
                value = json.loads(literal)
            except ValueError:
                raise invalid(f"Invalid string {literal} at position {position}") from None
            yield Token("string", literal, position, value)
            position = end + 1
        else:
            end = position
            while end < len(text) and not (text[end].isspace() or text[end] in PUNCTUATION + '"'):
                end += 1
            yield Token("word", text[position:end], position)
            position = end
    yield Token("end", "", len(text))


def closing_quote(text: str, start: int) -> int:
    """The index of the quote closing the string opened at ``start`` (-1 if none), past escapes."""
    position = start + 1
    while position < len(text):
        if text[position] == "\\":
            position += 2
        elif text[position] == '"':
            return position
        else:
            position += 1
    return -1


def parse(text: str, invalid: Invalid) -> Node | None:
    """The expression tree; None for an empty text (inference: empty is no filter, as ``q=`` is in
    Okta's own self link). A syntax error is ``invalid(detail)``."""
    if not text.strip():
        return None
    return Parser(text, invalid).parse()


def evaluate(node: Node, test: Callable[[Comparison], bool]) -> bool:
    """The tree's truth, given each comparison's: ``and``, ``or`` and ``not`` as written."""
    if isinstance(node, Every):
        return all(evaluate(part, test) for part in node.parts)
    if isinstance(node, Some):
        return any(evaluate(part, test) for part in node.parts)
    if isinstance(node, Negation):
        return not evaluate(node.part, test)
    return test(node)


def values(resource: dict[str, Any], path: str) -> list[Any]:
    """Every value at a dotted path of a JSON object, through lists at any step (a multi-valued
    attribute matches when any of its values does, as in SCIM: RFC 7644 §3.4.2.2)."""
    found: list[Any] = [resource]
    for name in path.split("."):
        found = [item[name] for item in flatten(found) if isinstance(item, dict) and name in item]
    return flatten(found)


def flatten(items: list[Any]) -> list[Any]:
    return [member for item in items for member in (item if isinstance(item, list) else [item])]


def logical(node: Node) -> Iterator[str]:
    """The logical operators a tree uses ("and", "or", "not"), for endpoints that refuse some."""
    if isinstance(node, Every | Some):
        yield "and" if isinstance(node, Every) else "or"
        for part in node.parts:
            yield from logical(part)
    elif isinstance(node, Negation):
        yield "not"
        yield from logical(node.part)
