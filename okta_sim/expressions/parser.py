"""Reading an expression: tokens, then a recursive-descent parser that builds the tree and checks
names, arities and kinds of value, so a bad format is refused at [Save] with its column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from okta_sim.expressions.functions import FUNCTIONS, Function, string_switch
from okta_sim.expressions.tree import (
    ATTRIBUTES,
    MAX_DEPTH,
    MAX_LENGTH,
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
from okta_sim.expressions.values import BOOLEAN, DESCRIBE, NULL, NUMBER, TEXT, ExpressionError, Value


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "number", "string", "symbol" or "end"
    text: str  # as written
    column: int
    value: Value = None


_SYMBOLS = ("${", "==", "!=", "&&", "||", "(", ")", ",", ".", ":", "+", "?", "!", "}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]+")  # no subtraction in the language, so "-" only signs a number
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
            tokens.append(_Token("number", match.group(), column, int(match.group())))
            i = match.end()
        elif symbol := next((s for s in _SYMBOLS if text.startswith(s, i)), None):
            tokens.append(_Token("symbol", symbol, column))
            i += len(symbol)
        else:
            raise ExpressionError(f'Unexpected "{text[i]}" at column {column}', column)
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


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
        if not self.at("?"):
            return condition
        question = self.advance()
        _require(condition, (BOOLEAN,), "The condition")
        with self.nested(question.column):
            then = self.expression()
            self.expect(":", '":" of "?"')
            otherwise = self.expression()
        kinds = {then.kind, otherwise.kind} - {NULL}
        kind = kinds.pop() if len(kinds) == 1 else (NULL if not kinds else TEXT)
        return Conditional(condition, then, otherwise, condition.column, kind)

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
        left = self.concat()
        if not self.at("==", "!="):
            return left
        negated = self.advance().text == "!="
        return Compare(negated, left, self.concat(), left.column)

    def concat(self) -> Expression:
        parts = [self.unary()]
        while self.at("+"):
            plus = self.advance()
            parts.append(self.unary())
            if len(parts) == 2 and parts[0].kind == NUMBER and parts[1].kind == NUMBER:
                raise ExpressionError(
                    f'Adding numbers with "+" at column {plus.column} is not supported; "+" joins text',
                    plus.column,
                )
        return parts[0] if len(parts) == 1 else Concat(tuple(parts), parts[0].column)

    def unary(self) -> Expression:
        if not self.at("!"):
            return self.primary()
        bang = self.advance()
        with self.nested(bang.column):
            operand = self.unary()
        _require(operand, (BOOLEAN,), 'The operand of "!"')
        return Not(operand, bang.column)

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
            return self.call(token)
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

    def call(self, prefix: _Token) -> Call:
        separator = "." if prefix.text == "String" else ":"
        self.expect(separator, f'"{separator}" after "{prefix.text}"')
        name = self.expect_name(f'a function name after "{prefix.text}{separator}"')
        spelling = f"{prefix.text}{separator}{name.text}"
        function = FUNCTIONS.get(name.text)
        if function is None:
            raise ExpressionError(
                f'Unknown function "{spelling}" at column {prefix.column}'
                + _did_you_mean(name.text, FUNCTIONS, f"{prefix.text}{separator}"),
                prefix.column,
            )
        opening = self.expect("(", f'"(" after {spelling}')
        args: list[Expression] = []
        with self.nested(opening.column):
            if not self.at(")"):
                args.append(self.expression())
                while self.at(","):
                    self.advance()
                    args.append(self.expression())
            self.expect(")", '"," or ")"')
        self.check_arguments(function, spelling, args, prefix.column)
        return Call(name.text, tuple(args), prefix.column)

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


