"""Reading an expression: tokens, then a recursive-descent parser that builds the tree and checks
names, arities and kinds of value, so a bad format is refused at [Save] with its column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from okta_sim.expressions.arithmetic import MAX_NUMBER
from okta_sim.expressions.functions import FUNCTIONS, LEGACY, Function, string_switch
from okta_sim.expressions.tree import (
    ATTRIBUTES,
    MAX_DEPTH,
    MAX_LENGTH,
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
from okta_sim.expressions.values import BOOLEAN, DESCRIBE, NULL, NUMBER, TEXT, ExpressionError, Value


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "number", "string", "symbol" or "end"
    text: str  # as written
    column: int
    value: Value = None


# Longest first, so that "<=" is not read as "<" then "=".
_SYMBOLS = ("${", "==", "!=", "<=", ">=", "&&", "||", "?:")
_SYMBOLS += tuple("(),.:+-*/%<>?!}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")  # unsigned: "-" is an operator, so String.len(x)-20 subtracts
_EQUALITY, _ORDER = ("==", "!="), ("<", ">", "<=", ">=")
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        column = i + 1
        if text[i] in "\"'":
            value, i = _read_string(text, i)
            tokens.append(_Token("string", text[column - 1 : i], column, value))
        elif match := _NAME.match(text, i):
            tokens.append(_Token("name", match.group(), column))
            i = match.end()
        elif match := _NUMBER.match(text, i):
            tokens.append(_Token("number", match.group(), column, _whole_number(match, column)))
            i = match.end()
        elif symbol := next((s for s in _SYMBOLS if text.startswith(s, i)), None):
            tokens.append(_Token("symbol", symbol, column))
            i += len(symbol)
        else:
            raise ExpressionError(f'Unexpected "{text[i]}" at column {column}', column)
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def _whole_number(match: re.Match[str], column: int) -> int:
    """A literal's value: a Java int, as SpEL reads ``1234``; decimals (``3.141``) have no use in a username."""
    if match.group(1):
        raise ExpressionError(
            f"Decimal numbers such as {match.group()} at column {column} are not supported; use a whole number",
            column,
        )
    if int(match.group()) > MAX_NUMBER:
        raise ExpressionError(
            f"The number {match.group()} at column {column} is too large; the largest is {MAX_NUMBER:,}",
            column,
        )
    return int(match.group())


def _read_string(text: str, start: int) -> tuple[str, int]:
    """The value of the string literal whose quote is at ``start``, and the index just past it."""
    quote, chars, i = text[start], [], start + 1
    while i < len(text):
        char = text[i]
        if char == quote:
            return "".join(chars), i + 1
        if char == "\\":
            escape = text[i + 1 : i + 2]
            if not escape:
                break
            if escape not in _ESCAPES:
                raise ExpressionError(
                    f'Unknown escape "\\{escape}" at column {i + 1}; use \\", \\\', \\\\, \\n or \\t', i + 1
                )
            chars.append(_ESCAPES[escape])
            i += 2
            continue
        chars.append(char)
        i += 1
    raise ExpressionError(f"Unterminated string starting at column {start + 1}", start + 1)


def _did_you_mean(word: str, choices: Iterable[str], prefix: str = "") -> str:
    """A hint for a typo such as user.firstname or String.toLowercase; "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {prefix}{close[0]}?" if close else ""


def _unexpected(token: _Token) -> ExpressionError:
    if token.kind == "end":
        return ExpressionError(f"Unexpected end of the expression at column {token.column}", token.column)
    shown = token.text if len(token.text) <= 30 else token.text[:27] + "..."
    what = f"string {shown}" if token.kind == "string" else f'"{shown}"'
    return ExpressionError(f"Unexpected {what} at column {token.column}", token.column)


def _require(node: Expression, allowed: tuple[str, ...], what: str) -> None:
    """Reject a node whose kind of value cannot work where it stands, e.g. text used as a condition."""
    if node.kind not in allowed:
        wanted = " or ".join(DESCRIBE[kind] for kind in allowed if kind != NULL)
        raise ExpressionError(
            f"{what} at column {node.column} gives {DESCRIBE[node.kind]}; it must give {wanted}", node.column
        )


def _either(first: Expression, second: Expression) -> str:
    """The kind of a value that is one of two nodes' (a ternary's branches, ?:'s sides): text when they differ."""
    kinds = {first.kind, second.kind} - {NULL}
    return kinds.pop() if len(kinds) == 1 else (NULL if not kinds else TEXT)


class _Parser:
    """Recursive descent over the token list; ``depth`` bounds the recursion so that a hostile
    expression gets an ExpressionError rather than a RecursionError."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def at(self, *texts: str) -> bool:
        return self.peek.kind in ("symbol", "name") and self.peek.text in texts

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def expect(self, text: str, what: str | None = None) -> _Token:
        if not self.at(text):
            wanted = what or f'"{text}"'
            raise ExpressionError(f"Expected {wanted} at column {self.peek.column}", self.peek.column)
        return self.advance()

    @contextmanager
    def nested(self, column: int) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"The expression is nested more than {MAX_DEPTH} levels deep at column {column}", column
            )
        yield
        self.depth -= 1

    def parse(self) -> Expression:
        template = self.at("${")
        if template:
            self.advance()
        if self.peek.kind == "end" or (template and self.at("}")):
            raise ExpressionError("The expression is empty.")
        expression = self.expression()
        if template:
            self.expect("}", '"}" to close "${"')
        if self.peek.kind != "end":
            if template or self.at("${"):
                column = self.peek.column
                raise ExpressionError(
                    f"Unexpected text at column {column}; a template must be a single ${{...}} "
                    "with nothing around it",
                    column,
                )
            raise _unexpected(self.peek)
        return expression

    def expression(self) -> Expression:
        condition = self.logic(any_of=True)
        if self.at("?:"):
            with self.nested(self.advance().column):
                fallback = self.expression()
            return Default(condition, fallback, condition.column, _either(condition, fallback))
        if not self.at("?"):
            return condition
        question = self.advance()
        _require(condition, (BOOLEAN,), "The condition")
        with self.nested(question.column):
            then = self.expression()
            self.expect(":", '":" of "?"')
            otherwise = self.expression()
        return Conditional(condition, then, otherwise, condition.column, _either(then, otherwise))

    def logic(self, any_of: bool) -> Expression:
        symbols = ("OR", "||") if any_of else ("AND", "&&")
        operand = self.logic(False) if any_of else self.compare()
        operands = [operand]
        while self.at(*symbols):
            operator = self.advance().text
            if len(operands) == 1:
                _require(operand, (BOOLEAN,), f"The operand of {operator}")
            operands.append(self.logic(False) if any_of else self.compare())
            _require(operands[-1], (BOOLEAN,), f"The operand of {operator}")
        return operand if len(operands) == 1 else Logic(any_of, tuple(operands), operand.column)

    def compare(self) -> Expression:
        left = self.sum()
        if not self.at(*_EQUALITY, *_ORDER):
            return left
        operator = self.advance()
        right = self.sum()
        if operator.text in _ORDER:
            self.check_order(operator, left, right)
        return Compare(operator.text, left, right, left.column)

    @staticmethod
    def check_order(operator: _Token, left: Expression, right: Expression) -> None:
        """< > <= >= compare two numbers or two texts (Java's Comparable); anything else is a mistake."""
        for side in (left, right):
            _require(side, (NUMBER, TEXT, NULL), f'The operand of "{operator.text}"')
        if {left.kind, right.kind} == {NUMBER, TEXT}:
            raise ExpressionError(
                f'"{operator.text}" at column {operator.column} compares {DESCRIBE[left.kind]} with '
                f"{DESCRIBE[right.kind]}; compare numbers with numbers and text with text",
                operator.column,
            )

    def sum(self) -> Expression:
        """``+`` adds when both sides give numbers and joins as text otherwise; ``-`` only subtracts."""
        node = self.product()
        while self.at("+", "-"):
            operator = self.advance()
            right = self.product()
            if operator.text == "+" and not node.kind == right.kind == NUMBER:
                parts = node.parts if isinstance(node, Concat) else (node,)
                node = Concat((*parts, right), node.column)
            else:
                node = self.arithmetic(node, operator, right)
        return node

    def product(self) -> Expression:
        node = self.unary()
        while self.at("*", "/", "%"):
            operator = self.advance()
            node = self.arithmetic(node, operator, self.unary())
        return node

    @staticmethod
    def arithmetic(left: Expression, operator: _Token, right: Expression) -> Arithmetic:
        for side in (left, right):
            _require(side, (NUMBER, NULL), f'The operand of "{operator.text}"')
        step = ((operator.text, right),)
        if isinstance(left, Arithmetic):  # applied to the result so far, so the chain stays flat
            return Arithmetic(left.first, left.rest + step, left.column)
        return Arithmetic(left, step, left.column)

    def unary(self) -> Expression:
        if not self.at("!", "-"):
            return self.primary()
        sign = self.advance()
        with self.nested(sign.column):
            operand = self.unary()
        if sign.text == "-":
            _require(operand, (NUMBER, NULL), 'The operand of "-"')
            return Negate(operand, sign.column)
        _require(operand, (BOOLEAN,), 'The operand of "!"')
        return Not(operand, sign.column)

    def primary(self) -> Expression:
        token = self.advance()
        if token.kind in ("string", "number"):
            return Constant(token.value, token.column)
        if token.kind == "symbol" and token.text == "(":
            with self.nested(token.column):
                inner = self.expression()
                self.expect(")")
            return inner
        if token.kind != "name" or token.text in ("AND", "OR"):
            raise _unexpected(token)
        if token.text in ("true", "false", "null"):
            return Constant({"true": True, "false": False, "null": None}[token.text], token.column)
        if token.text in ("user", "source"):
            return self.attribute(token)
        if token.text in ("String", "fn"):
            separator = "." if token.text == "String" else ":"
            self.expect(separator, f'"{separator}" after "{token.text}"')
            name = self.expect_name(f'a function name after "{token.text}{separator}"')
            return self.call(token.column, f"{token.text}{separator}", name.text, FUNCTIONS)
        if token.text in LEGACY or self.at("("):
            return self.call(token.column, "", token.text, LEGACY)
        word = token.text
        if word in ATTRIBUTES:
            hint = f"; did you mean user.{word}?"
        else:
            hint = _did_you_mean(word, ["user", "source", "String"]) or f'; put text in quotes: "{word}"'
        raise ExpressionError(f'Unknown name "{word}" at column {token.column}{hint}', token.column)

    def attribute(self, root: _Token) -> Attribute:
        self.expect(".", f'"." after "{root.text}"')
        name = self.expect_name(f'an attribute name after "{root.text}."')
        if name.text not in ATTRIBUTES:
            raise ExpressionError(
                f'Unknown attribute "{root.text}.{name.text}" at column {root.column}'
                + _did_you_mean(name.text, ATTRIBUTES, f"{root.text}."),
                root.column,
            )
        return Attribute(name.text, root.column)

    def call(self, column: int, prefix: str, name: str, known: Iterable[str]) -> Call:
        """``prefix`` + ``name`` + arguments, where ``known`` lists the names this spelling may call."""
        spelling = prefix + name
        if name not in known:
            hint = (
                f"; did you mean String.{name}?" if name in FUNCTIONS else _did_you_mean(name, known, prefix)
            )
            raise ExpressionError(f'Unknown function "{spelling}" at column {column}{hint}', column)
        function = FUNCTIONS[name]
        opening = self.expect("(", f'"(" after {spelling}')
        args: list[Expression] = []
        with self.nested(opening.column):
            if not self.at(")"):
                args.append(self.expression())
                while self.at(","):
                    self.advance()
                    args.append(self.expression())
            self.expect(")", '"," or ")"')
        self.check_arguments(function, spelling, args, column)
        return Call(name, tuple(args), column)

    def expect_name(self, what: str) -> _Token:
        if self.peek.kind != "name":
            raise ExpressionError(f"Expected {what} at column {self.peek.column}", self.peek.column)
        return self.advance()

    @staticmethod
    def check_arguments(function: Function, spelling: str, args: list[Expression], column: int) -> None:
        given = len(args)
        if given < function.arity or (given > function.arity and not function.variadic):
            count = f"at least {function.arity}" if function.variadic else str(function.arity)
            plural = "" if function.arity == 1 else "s"
            raise ExpressionError(
                f"{spelling} takes {count} argument{plural} ({given} given) at column {column}", column
            )
        if function.run is string_switch and given % 2:
            raise ExpressionError(
                f"{spelling} needs a value for every key ({given} arguments given) at column {column}", column
            )
        for position in function.numbers:
            _require(args[position], (NUMBER, NULL), f"Argument {position + 1} of {spelling}")


def parse(text: str) -> Expression:
    """Parse ``text`` (optionally wrapped as one ``${...}`` template) into a tree that ``evaluate`` runs.

    Raises ExpressionError for syntax errors, unknown names, functions and attributes, wrong argument
    counts, values of the wrong kind, and expressions over MAX_LENGTH characters or MAX_DEPTH levels.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"The expression is {len(text):,} characters long; the limit is {MAX_LENGTH:,}."
        )
    return _Parser(_tokenize(text)).parse()


def check(text: str) -> None:
    """Raise ExpressionError if ``text`` is not a valid expression; what [Save] runs on a username format."""
    parse(text)
