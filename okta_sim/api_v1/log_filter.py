"""The System Log's ``filter``: Okta's SCIM filter expressions on a LogEvent's attributes.

Okta's references (docs/okta_sim.md, "The System Log") give the language: an attribute path
(``actor.id``, ``target.id``, ``outcome.result``; names case-sensitive), an operator (``eq ne co
sw ew pr gt ge lt le``, case-insensitive), a value (a JSON string, a number, ``true``/``false``),
combined with ``and``, ``or``, ``not ( … )`` and parentheses (attribute operators first, then
grouping, then ``and``, then ``or``), and every operator "except [ ]". A multi-valued attribute
(``target``) matches when any of its values does, as in SCIM (RFC 7644 §3.4.2.2); ``ne`` when none
equals the operand, so also when the attribute is missing (inference).

A filter is parsed, then its attribute paths are checked against the LogEvent object, so a
syntax error is reported before an unknown field (as Okta's own example of ``display_message
eqq …`` does). Nothing here knows Flask: ``parse`` takes the text, ``matches`` an event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import ge, gt, le, lt
from typing import Any

from okta_sim.api_v1 import log_event
from okta_sim.api_v1.protocol import InvalidSearch
from okta_sim.errors import OktaError

# Okta's own list in its "Unrecognized attribute operator" message; ne and ew work all the same.
EXPECTED_OPERATORS = "eq,co,sw,pr,gt,ge,lt,le"
OPERATORS = ("eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le")
ATTRIBUTE = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*", re.ASCII)
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
LITERALS = {"true": True, "false": False}
PUNCTUATION = "()[]"
TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "co": str.__contains__,
    "sw": str.startswith,
    "ew": str.endswith,
}
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {"gt": gt, "ge": ge, "lt": lt, "le": le}
MAX_DEPTH = 32  # nested parentheses: the parser recurses once per level (inference: Okta states no limit)

# Attribute and operator pairs Okta refuses (E0000031): ``published`` belongs to since/until/after,
# and ``co`` is not supported on the two URL fields.
UNSUPPORTED = "The supplied combination of operator and field is not currently supported. Operator: {op}, Field: {field}"
URL_FIELDS = ("debugContext.debugData.url", "debugContext.debugData.requestUri")


class InvalidLogQuery(OktaError):
    """E0000053, Okta's answer to a System Log filter it cannot read and to a ``since`` too old."""

    code = "E0000053"


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


def parse(text: str) -> Node | None:
    """The filter's expression tree; None for an empty filter (inference: empty is no filter, as
    ``q=`` is in Okta's own self link). A malformed filter is E0000053, a refused pair E0000031."""
    if not text.strip():
        return None
    tree = Parser(text).parse()
    for comparison in comparisons(tree):
        check(comparison)
    return tree


def matches(node: Node, event: dict[str, Any]) -> bool:
    if isinstance(node, Every):
        return all(matches(part, event) for part in node.parts)
    if isinstance(node, Some):
        return any(matches(part, event) for part in node.parts)
    if isinstance(node, Negation):
        return not matches(node.part, event)
    values = log_event.values(event, node.attribute)
    if node.operator == "pr":
        return any(value not in (None, "", [], {}) for value in values)
    if node.operator == "ne":
        return not any(compare("eq", value, node.value) for value in values)
    return any(compare(node.operator, value, node.value) for value in values)


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


def comparisons(node: Node) -> Iterator[Comparison]:
    """The comparisons in the order they were written (nesting is at most MAX_DEPTH deep)."""
    if isinstance(node, Comparison):
        yield node
    elif isinstance(node, Negation):
        yield from comparisons(node.part)
    else:
        for part in node.parts:
            yield from comparisons(part)


def check(comparison: Comparison) -> None:
    field, operator = comparison.attribute, comparison.operator
    if not log_event.known(field):
        raise InvalidLogQuery(f"field is not valid: {field}")
    if field == "published" or (operator == "co" and field in URL_FIELDS):
        raise InvalidSearch(UNSUPPORTED.format(op=operator, field=field))


class Parser:
    """Recursive descent over the tokens: ``or`` of ``and`` of (``not`` group | group | comparison)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(tokenize(text, self.invalid))
        self.index = 0

    def invalid(self, detail: str) -> InvalidLogQuery:
        return InvalidLogQuery(f"Invalid filter '{self.text}': {detail}")

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


def tokenize(text: str, invalid: Callable[[str], InvalidLogQuery]) -> Iterator[Token]:
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
