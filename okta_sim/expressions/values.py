"""The kinds of value an expression gives (text, number, true/false, null), the longest text it may
build, and the error an admin sees: what every part of the language shares."""

from __future__ import annotations

MAX_VALUE_LENGTH = 10_000  # of a text value while evaluating; an assignment's User Name is at most 100 (records.USER_NAME_MAX)

# The kinds of value a node gives.
TEXT, NUMBER, BOOLEAN, NULL = "text", "number", "boolean", "null"
DESCRIBE = {TEXT: "text", NUMBER: "a number", BOOLEAN: "true or false", NULL: "null"}

Value = str | int | bool | None


class ExpressionError(ValueError):
    """A bad expression; str(error) is a message an admin can act on, naming the column (1-based) where it
    went wrong. ``column`` is None only for whole-expression problems (empty, too long)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column
