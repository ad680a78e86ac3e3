"""The tokens of a SCIM filter or PATCH path: punctuation, strings, numbers and words, with
their positions (every syntax error names one) and the limits on length and nesting."""

from __future__ import annotations

import json
import re
from typing import Any

from cybozu_sim.scim.errors import ScimError

MAX_LENGTH = 4096  # characters of a filter or path
MAX_DEPTH = 32  # nested parentheses / not / value paths
WORD = re.compile(r"[A-Za-z][\w:.\-]*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


class Scanner:
    """Tokens of a filter or path: punctuation, strings, numbers and words, with their positions."""

    def __init__(self, text: str, scim_type: str) -> None:
        if len(text) > MAX_LENGTH:
            raise ScimError(400, f"The {_what(scim_type)} is longer than {MAX_LENGTH} characters.", scim_type)
        self.text = text
        self.pos = 0
        self.scim_type = scim_type
        self.depth = 0

    def fail(self, reason: str, pos: int | None = None) -> ScimError:
        at = self.pos if pos is None else pos
        return ScimError(
            400, f"Invalid {_what(self.scim_type)}: {reason} at position {at + 1}.", self.scim_type
        )

    def skip_spaces(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        self.skip_spaces()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_end(self) -> bool:
        return self.peek() == ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f'expected "{char}"')
        self.pos += 1

    def word(self, what: str = "an attribute name") -> str:
        self.skip_spaces()
        match = WORD.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group()

    def peek_word(self) -> str:
        self.skip_spaces()
        match = WORD.match(self.text, self.pos)
        return match.group().lower() if match else ""

    def literal(self) -> Any:
        """A comparison value: a JSON string, number, true, false or null."""
        self.skip_spaces()
        text, start = self.text, self.pos
        if start < len(text) and text[start] == '"':
            end = start + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                raise self.fail("unterminated string", start)
            try:
                value = json.loads(text[start : end + 1])
            except ValueError:
                raise self.fail("invalid string", start) from None
            self.pos = end + 1
            return value
        number = _NUMBER.match(text, start)
        if number:
            self.pos = number.end()
            raw = number.group()
            return float(raw) if any(c in raw for c in ".eE") else int(raw)
        word = self.peek_word()
        if word in ("true", "false", "null"):
            self.pos += len(word)
            return {"true": True, "false": False, "null": None}[word]
        raise self.fail("expected a value (a string in double quotes, a number, true, false or null)")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"more than {MAX_DEPTH} levels of nesting")


def _what(scim_type: str) -> str:
    return "filter" if scim_type == "invalidFilter" else "path"
