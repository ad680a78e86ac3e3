"""Read a scenario file into plain data while remembering where every value was written.

PyYAML's composer keeps a mark on every node; building the data from the nodes
ourselves lets each validation error name the file, line and column it is
about. Duplicate keys are refused (PyYAML would silently keep the last one) and
alias expansion is bounded, so a hostile file cannot blow up memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]
MAX_BYTES = 2_000_000
MAX_NODES = 200_000
# libyaml's parser where PyYAML was built with it: 16x faster to compose (0.72 s to 0.044 s for the
# 39 scenario and exercise files lab up and W3 read), with the same marks.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, where it is, and (for steps) which step and verb."""

    file: str
    line: int
    column: int
    message: str
    step: int | None = None
    verb: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if self.step is not None:
            where += f": step {self.step}" + (f" ({self.verb})" if self.verb else "")
        return f"{where}: {self.message}"


class InvalidScenario(Exception):
    """A file that cannot be run; ``problems`` lists every error found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """A file's data and the (line, column) of each path in it: keys point at the key, items at the item."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """The position of ``path``, or of its nearest written ancestor (a missing field is the parent's)."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path_, message: str, step: int | None = None, verb: str | None = None) -> Problem:
        line, column = self.where(path)
        return Problem(self.file, line, column, message, step, verb)


def compose(text: str) -> yaml.Node | None:
    """The document's node tree. A file libyaml refuses is parsed again by PyYAML's own parser,
    whose messages say more ("found character '\\t'", "but got '<stream end>'") and are the
    ones reported."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._error(node, f"the file expands to more than {MAX_NODES} values (aliases?)")
        mark = node.start_mark
        self.document.positions.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._error(key_node, "merge keys (<<) are not supported in scenarios")
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str):
                    raise self._error(key_node, f"keys must be text, not {type(key).__name__} {key!r}")
                if key in result:
                    raise self._error(key_node, f"duplicate key {key!r}")
                key_mark = key_node.start_mark
                self.document.positions[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: "2026-12-31" is what the forms take
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self._error(node, str(getattr(error, "problem", None) or error)) from None

    def _error(self, node: yaml.Node, message: str) -> InvalidScenario:
        mark = node.start_mark
        return InvalidScenario([Problem(self.document.file, mark.line + 1, mark.column + 1, message)])


def read(path: str | Path, text: str | None = None) -> Document:
    """Parse one scenario file; syntax errors become a Problem with the parser's position."""
    name = str(path)
    if text is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise InvalidScenario([Problem(name, 1, 1, f"cannot read the file: {error.strerror}")]) from None
        if len(raw) > MAX_BYTES:
            raise InvalidScenario([Problem(name, 1, 1, f"the file is larger than {MAX_BYTES} bytes")])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise InvalidScenario([Problem(name, line, 1, "the file is not valid UTF-8")]) from None
    document = Document(name, None)
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [error.problem, error.context])) or "invalid YAML"
        raise InvalidScenario([Problem(name, line, column, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as error:
        raise InvalidScenario([Problem(name, 1, 1, f"YAML syntax: {error}")]) from None
    except RecursionError:
        raise InvalidScenario([Problem(name, 1, 1, "the YAML is nested too deeply")]) from None
    if node is None:
        raise InvalidScenario([Problem(name, 1, 1, "the file is empty; a scenario needs name and steps")])
    try:
        document.data = _Builder(document).build(node, ())
    except RecursionError:
        raise InvalidScenario([Problem(name, 1, 1, "the YAML is nested too deeply")]) from None
    return document
