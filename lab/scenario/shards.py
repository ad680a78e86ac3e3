"""``lab run --shard I/N`` and ``pytest --scenario-shard I/N``: which scenarios one of N CI
jobs runs.

The split must be the same on every machine and whatever order the files are listed in,
keep the jobs about equally busy, and move few scenarios when one is added (so a shard's
history in CI stays comparable). A hash modulo N moves none, but leaves the jobs uneven
(35 scenarios over 4 shards can give 5 and 13); a greedy longest-first split balances
well, but one new scenario can reshuffle most of them. So: the scenarios are ordered by a
stable hash of their id (zlib.crc32, the same in every process, unlike ``hash()``), laid
end to end by weight (steps plus one for the sandbox each starts), and the line is cut
into N equal lengths; a scenario belongs to the shard its middle falls in. Each shard's
weight is within one scenario's of the total over N, and adding a scenario only moves
those next to the N - 1 cuts it shifts (docs/ci.md).
"""

from __future__ import annotations

import argparse
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lab.scenario.model import Scenario

T = TypeVar("T")
FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class BadShard(argparse.ArgumentTypeError):
    """A malformed I/N; argparse (``lab run``) and pytest both print its message as a usage error."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse(text: str) -> Shard:
    """``I/N`` with 1 <= I <= N; anything else is a BadShard saying what is wrong."""
    form = FORM.fullmatch(text)
    if not form:
        raise BadShard(f"{text!r} is not I/N: two whole numbers, e.g. 2/4 (the second of four shards)")
    index, total = int(form.group(1)), int(form.group(2))
    if total < 1:
        raise BadShard(f"{text!r}: N, the number of shards, must be at least 1")
    if not 1 <= index <= total:
        raise BadShard(f"{text!r}: I counts the shards from 1 to N, so it must be between 1 and {total}")
    return Shard(index, total)


@dataclass(frozen=True)
class Work:
    """What the split knows of a scenario: its id (the file's stem), a tie-breaker for two
    files of the same stem (the scenario's name), and its weight."""

    id: str
    name: str
    weight: int


def work(scenario: Scenario) -> Work:
    return Work(scenario.id, scenario.name, 1 + len(scenario.steps))


def assign(works: Sequence[Work], total: int) -> list[int]:
    """The shard (1..total) of each of ``works``, in their order."""
    order = sorted(range(len(works)), key=lambda i: _position(works[i]))
    weight = sum(max(w.weight, 1) for w in works)
    shards = [0] * len(works)
    start = 0
    for i in order:
        size = max(works[i].weight, 1)
        # the middle of [start, start + size) times total / weight, in integers
        shards[i] = (2 * start + size) * total // (2 * weight) + 1
        start += size
    return shards


def select(things: Sequence[T], shard: Shard, describe: Callable[[T], Work]) -> list[T]:
    """Those of ``things`` in ``shard``, in their given order."""
    shards = assign([describe(t) for t in things], shard.total)
    return [t for t, s in zip(things, shards, strict=True) if s == shard.index]


def _position(item: Work) -> tuple[int, str, str, int]:
    return zlib.crc32(item.id.encode("utf-8")), item.id, item.name, item.weight
