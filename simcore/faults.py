"""Fault injection: make an app misbehave on purpose for matching requests.

A scenario asks, through ``/_lab/faults``, for a 429 with Retry-After, a 5xx,
added latency or a stall long enough to trip a client timeout; for a
connection dropped without an answer (reset, or closed with zero bytes); for a
body its client cannot parse (an HTML error page, or the app's own JSON cut
short); or for the app's answer trickled slowly after its headers. Rules match
on method and a path regular expression, can fire a limited number of times,
and can fire with a probability drawn from a seeded generator of their own, so
a rerun of the same requests hits the same ones. How a fired rule reaches the
wire is simcore.wire_faults.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from dataclasses import dataclass, field, fields
from typing import Any

# How a connection is dropped without an answer: "reset" (RST) or "close" (FIN, zero bytes).
DROPS = ("reset", "close")
# A body the client cannot parse: an HTML page instead of the app's answer, or its JSON cut short.
BODIES = ("html", "truncated_json")
SEED_LIMIT = 2**63


class FaultError(ValueError):
    """A fault rule that cannot be accepted; the message says which field is wrong."""


@dataclass
class Fault:
    id: int
    path: str = ".*"
    method: str | None = None
    status: int | None = None
    retry_after: int | None = None
    delay_ms: int = 0
    drop: str | None = None
    body: str | None = None
    slow_body_ms: int = 0
    chunks: int | None = None
    probability: float = 1.0
    seed: int | None = None
    times: int | None = None
    fired: int = 0
    _pattern: re.Pattern[str] = field(default=re.compile(".*"), repr=False, compare=False)
    _draws: random.Random | None = field(default=None, repr=False, compare=False)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method.upper():
            return False
        return bool(self._pattern.search(path))

    def draw(self) -> bool:
        """Whether the rule fires on this matching request: always, or with its probability, from
        a generator seeded by (seed, rule id) so the same requests in the same order draw the same."""
        return self._draws is None or self._draws.random() < self.probability

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}


FIELDS = {
    "path", "method", "status", "retry_after", "delay_ms", "drop", "body", "slow_body_ms", "chunks",
    "probability", "seed", "times",
}  # fmt: skip


def parse_fault(spec: Any, fault_id: int) -> Fault:
    """Validate a fault rule given as JSON."""
    if not isinstance(spec, dict):
        raise FaultError("a fault is a JSON object")
    unknown = set(spec) - FIELDS
    if unknown:
        raise FaultError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    path = spec.get("path", ".*")
    if not isinstance(path, str):
        raise FaultError("path must be a regular expression string")
    try:
        pattern = re.compile(path)
    except re.error as error:
        raise FaultError(f"path is not a valid regular expression: {error}") from None
    method = spec.get("method")
    if method is not None and (not isinstance(method, str) or not method.isalpha()):
        raise FaultError("method must be an HTTP method name")
    drop = _choice(spec, "drop", DROPS)
    body = _choice(spec, "body", BODIES)
    # An HTML page may come with any status, 200 included (a proxy's page); a bare fault is an error.
    status = _int(spec, "status", 200 if body == "html" else 400, 599)
    if body == "html" and status is None:
        status = 200
    delay_ms = _int(spec, "delay_ms", 0, 600_000) or 0
    slow_body_ms = _int(spec, "slow_body_ms", 1, 600_000) or 0
    chunks = _int(spec, "chunks", 2, 1000)
    retry_after = _int(spec, "retry_after", 0, 3600)
    if status is None and not (delay_ms or drop or body or slow_body_ms):
        raise FaultError("a fault needs a status (400-599), a delay_ms, a drop, a body or a slow_body_ms")
    if drop and (status is not None or retry_after is not None or body or slow_body_ms):
        raise FaultError("drop ends the connection without an answer: it takes no status, retry_after, body or slow_body_ms")
    if body == "truncated_json" and status is not None:
        raise FaultError("body truncated_json cuts the app's own answer: it takes no status")
    if retry_after is not None and status is None:
        raise FaultError("retry_after needs a status")
    if chunks is not None and not slow_body_ms:
        raise FaultError("chunks needs a slow_body_ms")
    probability, seed = _probability(spec)
    return Fault(
        id=fault_id,
        path=path,
        method=method.upper() if method else None,
        status=status,
        retry_after=retry_after,
        delay_ms=delay_ms,
        drop=drop,
        body=body,
        slow_body_ms=slow_body_ms,
        chunks=(chunks or 2) if slow_body_ms else None,
        probability=probability,
        seed=seed,
        times=_int(spec, "times", 1, 1_000_000),
        _pattern=pattern,
        _draws=random.Random(f"{seed}:{fault_id}") if probability < 1 else None,
    )


def _probability(spec: dict[str, Any]) -> tuple[float, int | None]:
    value = spec.get("probability")
    seed = spec.get("seed")
    if value is None:
        if seed is not None:
            raise FaultError("seed needs a probability")
        return 1.0, None
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
        raise FaultError("probability must be a number greater than 0 and at most 1")
    if seed is None:
        seed = 0
    if not isinstance(seed, int) or isinstance(seed, bool) or not -SEED_LIMIT <= seed < SEED_LIMIT:
        raise FaultError("seed must be an integer (64 bits)")
    return float(value), seed


def _choice(spec: dict[str, Any], name: str, choices: tuple[str, ...]) -> str | None:
    value = spec.get(name)
    if value is not None and value not in choices:
        raise FaultError(f"{name} must be {' or '.join(choices)}")
    return value


def _int(spec: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = spec.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise FaultError(f"{name} must be an integer from {low} to {high}")
    return value


class FaultInjector:
    """The active fault rules of one app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, spec: Any) -> Fault:
        with self._lock:
            fault = parse_fault(spec, next(self._ids))
            self._rules.append(fault)
            return fault

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_dict() for rule in self._rules]

    def clear(self) -> None:
        """Remove every rule; ids start again at 1, so a lab reset and rerun draws as the first run did."""
        with self._lock:
            self._rules.clear()
            self._ids = itertools.count(1)

    def take(self, method: str, path: str) -> Fault | None:
        """Return the first rule matching the request that fires, and count it as fired."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path) and rule.draw():
                    rule.fired += 1
                    if rule.times is not None and rule.fired >= rule.times:
                        self._rules.remove(rule)
                    return rule
        return None
