"""The Okta Expression Language subset used by an app's "Application username format".

An admin types an expression such as ``String.substringBefore(user.login, "@")`` (Custom format) or
Okta picks a template such as ``${fn:substringBefore(source.login, "@")}`` (the built-in formats). The
fake Okta must reject a bad expression when the admin clicks [Save] (``check``) and later turn a user
profile into the username it sends over SCIM (``render``). Both need a real parser: Python's ``eval``
would run arbitrary code typed into a web form, and a regular expression cannot report *where* an
expression is wrong.

The grammar, loosest binding first::

    expression  := or ( "?" expression ":" expression )?         (right-associative)
    or          := and ( ("OR" | "||") and )*
    and         := compare ( ("AND" | "&&") compare )*
    compare     := concat ( ("==" | "!=") concat )?                (does not chain)
    concat      := unary ( "+" unary )*
    unary       := "!" unary | primary
    primary     := string | integer | true | false | null | "(" expression ")"
                 | ("user" | "source") "." attribute
                 | ("String" "." | "fn" ":") function "(" arguments? ")"

Each node knows the kind of value it gives (text, number, true/false or null), so mistakes like
``user.department ? "a" : "b"`` are caught at [Save] instead of on the first provisioning run, and
evaluation never meets a value of the wrong type.

Where this lab departs from (or has to guess at) Okta, on purpose:

* null: a missing attribute is null; ``null + "x"`` is ``"x"`` and ``null + null`` is null; a String
  function given null returns null, except ``len`` (0) and ``append``/``join`` (null counts as "");
  a condition that gives null counts as false.
* ``replace``/``replaceFirst`` match literally, not as a Java regular expression (see _FUNCTIONS).
* ``substring`` clamps its indices instead of failing; ``+`` joins text and never adds two numbers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

MAX_LENGTH = 1_000
MAX_DEPTH = 50
MAX_VALUE_LENGTH = 10_000  # of a text value while evaluating; usernames are at most 128 characters

# The Okta base profile attributes a username format may read.
ATTRIBUTES = frozenset(
    """
    login email firstName lastName displayName locale secondEmail nickName title department employeeNumber
    mobilePhone middleName honorificPrefix honorificSuffix profileUrl preferredLanguage userType organization
    division costCenter manager city state countryCode zipCode streetAddress timezone
    """.split()
)

# The kinds of value a node gives.
TEXT, NUMBER, BOOLEAN, NULL = "text", "number", "boolean", "null"
_DESCRIBE = {TEXT: "text", NUMBER: "a number", BOOLEAN: "true or false", NULL: "null"}

Value = str | int | bool | None


class ExpressionError(ValueError):
    """A bad expression; str(error) is a message an admin can act on, naming the column (1-based) where it
    went wrong. ``column`` is None only for whole-expression problems (empty, too long)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


# ---------------------------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Constant:
    value: Value
    column: int

    @property
    def kind(self) -> str:
        if self.value is None:
            return NULL
        if isinstance(self.value, bool):
            return BOOLEAN
        return NUMBER if isinstance(self.value, int) else TEXT


@dataclass(frozen=True)
class Attribute:
    name: str  # the profile key, e.g. "login" for both user.login and source.login
    column: int
    kind: ClassVar[str] = TEXT


@dataclass(frozen=True)
class Call:
    name: str  # canonical, e.g. "substringBefore" for both String.substringBefore and fn:substringBefore
    args: tuple[Expression, ...]
    column: int

    @property
    def kind(self) -> str:
        return _FUNCTIONS[self.name].kind


@dataclass(frozen=True)
class Concat:
    """``a + b + c`` as one flat node, so a long chain cannot make evaluation recurse deeply."""

    parts: tuple[Expression, ...]
    column: int
    kind: ClassVar[str] = TEXT


@dataclass(frozen=True)
class Compare:
    negated: bool  # True for !=
    left: Expression
    right: Expression
    column: int
    kind: ClassVar[str] = BOOLEAN


@dataclass(frozen=True)
class Logic:
    """``a AND b AND c`` (or OR) as one flat node, evaluated left to right with short-circuiting."""

    any_of: bool  # True for OR, False for AND
    operands: tuple[Expression, ...]
    column: int
    kind: ClassVar[str] = BOOLEAN


@dataclass(frozen=True)
class Not:
    operand: Expression
    column: int
    kind: ClassVar[str] = BOOLEAN


@dataclass(frozen=True)
class Conditional:
    condition: Expression
    then: Expression
    otherwise: Expression
    column: int
    kind: str  # the branches' kind; TEXT (and the result is converted to text) when they differ


Expression = Constant | Attribute | Call | Concat | Compare | Logic | Not | Conditional


# ---------------------------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class _Function:
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


def _string_switch(text: str | None, default: str | None, *pairs: str | None) -> str | None:
    """The value of the first key contained in ``text``; a null key never matches."""
    if text is None:
        return None
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        if key is not None and key in text:
            return value
    return default


# Replace is literal, not a regular expression as in Okta (Java's replaceAll): a username format that
# needs a regex is rare, and a literal match cannot fail at provisioning time on a bad pattern.
_FUNCTIONS: dict[str, _Function] = {
    "append": _Function(lambda a, b: (a or "") + (b or ""), 2, takes_null=True),
    "join": _Function(lambda sep, *items: (sep or "").join(i or "" for i in items), 2, True, takes_null=True),
    "len": _Function(lambda s: len(s or ""), 1, kind=NUMBER, takes_null=True),
    "removeSpaces": _Function(lambda s: s.replace(" ", ""), 1),
    "replace": _Function(_replace, 3),
    "replaceFirst": _Function(lambda s, match, new: s.replace(match, new, 1), 3),
    "stringContains": _Function(lambda s, search: search in s, 2, kind=BOOLEAN),
    "stringSwitch": _Function(_string_switch, 4, True, takes_null=True),
    "substring": _Function(_substring, 3, numbers=(1, 2)),
    "substringAfter": _Function(_substring_after, 2),
    "substringBefore": _Function(_substring_before, 2),
    "toUpperCase": _Function(lambda s: s.upper(), 1),
    "toLowerCase": _Function(lambda s: s.lower(), 1),
}


# ---------------------------------------------------------------------------------------------- tokens


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


# ---------------------------------------------------------------------------------------------- parser


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
        wanted = " or ".join(_DESCRIBE[kind] for kind in allowed if kind != NULL)
        raise ExpressionError(
            f"{what} at column {node.column} gives {_DESCRIBE[node.kind]}; it must give {wanted}", node.column
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
        function = _FUNCTIONS.get(name.text)
        if function is None:
            raise ExpressionError(
                f'Unknown function "{spelling}" at column {prefix.column}'
                + _did_you_mean(name.text, _FUNCTIONS, f"{prefix.text}{separator}"),
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
    def check_arguments(function: _Function, spelling: str, args: list[Expression], column: int) -> None:
        given = len(args)
        if given < function.arity or (given > function.arity and not function.variadic):
            count = f"at least {function.arity}" if function.variadic else str(function.arity)
            plural = "" if function.arity == 1 else "s"
            raise ExpressionError(
                f"{spelling} takes {count} argument{plural} ({given} given) at column {column}", column
            )
        if function.run is _string_switch and given % 2:
            raise ExpressionError(
                f"{spelling} needs a value for every key ({given} arguments given) at column {column}", column
            )
        for position in function.numbers:
            _require(args[position], (NUMBER, NULL), f"Argument {position + 1} of {spelling}")


# ---------------------------------------------------------------------------------------------- evaluation


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
            function = _FUNCTIONS[name]
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


# ---------------------------------------------------------------------------------------------- public API


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


def evaluate(expression: Expression, user: Mapping[str, object]) -> str | None:
    """The username ``expression`` gives for the Okta profile ``user``: text, or None when it is null.

    Numbers and booleans come back as text ("3", "true"), as Okta stores every username as a string.
    """
    value = _value(expression, user)
    return None if value is None else _text(value)


def check(text: str) -> None:
    """Raise ExpressionError if ``text`` is not a valid expression; what [Save] runs on a username format."""
    parse(text)


def render(text: str, user: Mapping[str, object]) -> str | None:
    """Parse and evaluate in one step, for a format that is used once."""
    return evaluate(parse(text), user)
