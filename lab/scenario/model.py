"""A loaded scenario, as the runner replays it: its metadata and its Steps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPECT_VERB = "expect"
REFERENCE = re.compile(r"\$\{([^}]*)\}")
# A scenario without ``setup.seed``: every run of it hands out the same ids and tokens anyway.
DEFAULT_SEED = 0


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

    @property
    def seed(self) -> int:
        """The one seed of a run: the sandbox's ids and tokens, Faker's people, and whatever
        else a run draws at random (a fault's probability) come from it. The drivers, given
        the setup, read it there (``setup["seed"]``)."""
        return int(self.setup.get("seed", DEFAULT_SEED))
