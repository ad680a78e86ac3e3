"""The syntax tree of an expression: its nodes (each knows the kind of value it gives), the
attributes a format may read, and the limits on an expression's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from okta_sim.directory.model import PROFILE_FIELDS
from okta_sim.expressions.functions import FUNCTIONS
from okta_sim.expressions.values import BOOLEAN, NULL, NUMBER, TEXT, Value

MAX_LENGTH = 1_000
MAX_DEPTH = 50

# The Okta base profile attributes a username format may read.
ATTRIBUTES = frozenset(PROFILE_FIELDS)

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
        return FUNCTIONS[self.name].kind


@dataclass(frozen=True)
class Concat:
    """``a + b + c`` as one flat node, so a long chain cannot make evaluation recurse deeply."""

    parts: tuple[Expression, ...]
    column: int
    kind: ClassVar[str] = TEXT


@dataclass(frozen=True)
class Arithmetic:
    """``a - b * c``'s levels as flat nodes: ``first``, then each (operator, operand) applied to the
    result so far, left to right, so a long chain cannot make evaluation recurse deeply either."""

    first: Expression
    rest: tuple[tuple[str, Expression], ...]  # the operator is one of + - * / %
    column: int
    kind: ClassVar[str] = NUMBER


@dataclass(frozen=True)
class Negate:
    operand: Expression
    column: int
    kind: ClassVar[str] = NUMBER


@dataclass(frozen=True)
class Compare:
    operator: str  # == != < > <= >=
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


@dataclass(frozen=True)
class Default:
    """``value ?: fallback`` (the Elvis operator): ``fallback`` when ``value`` is null or ""."""

    value: Expression
    fallback: Expression
    column: int
    kind: str  # as Conditional's


Expression = (
    Constant | Attribute | Call | Concat | Arithmetic | Negate | Compare | Logic | Not | Conditional | Default
)
