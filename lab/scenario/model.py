"""A loaded scenario, as the runner replays it: its metadata and its Steps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPECT_VERB = "expect"
REFERENCE = re.compile(r"\$\{([^}]*)\}")


@dataclass
class Step:
    index: int  # 1-based, as in messages
    verb: str
    params: dict[str, Any]
    line: int
    title: str = ""
    expect: dict[str, Any] | None = None
    expect_error: dict[str, Any] | None = None
    save: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"step {self.index} ({self.verb})" + (f" {self.title!r}" if self.title else "")


@dataclass
class Scenario:
    file: str
    name: str
    description: str
    tags: list[str]
    covers: list[str]
    setup: dict[str, Any]
    steps: list[Step]
    exercise: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return Path(self.file).stem
