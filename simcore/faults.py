"""Fault injection: make an app misbehave on purpose for matching requests.

A scenario asks, through ``/_lab/faults``, for a 429 with Retry-After, a 5xx,
added latency or a stall long enough to trip a client timeout. Rules match on
method and a path regular expression and can fire a limited number of times.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any


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
    times: int | None = None
    fired: int = 0
    _pattern: re.Pattern[str] = field(default=re.compile(".*"), repr=False, compare=False)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method.upper():
            return False
        return bool(self._pattern.search(path))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_pattern")
        return data


FIELDS = {"path", "method", "status", "retry_after", "delay_ms", "times"}


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
    status = _int(spec, "status", 400, 599)
    delay_ms = _int(spec, "delay_ms", 0, 600_000) or 0
    if status is None and not delay_ms:
        raise FaultError("a fault needs a status (400-599) or a delay_ms")
    retry_after = _int(spec, "retry_after", 0, 3600)
    if retry_after is not None and status is None:
        raise FaultError("retry_after needs a status")
    return Fault(
        id=fault_id,
        path=path,
        method=method.upper() if method else None,
        status=status,
        retry_after=retry_after,
        delay_ms=delay_ms,
        times=_int(spec, "times", 1, 1_000_000),
        _pattern=pattern,
    )


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
        with self._lock:
            self._rules.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """Return the first rule matching the request and count it as fired."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.fired += 1
                    if rule.times is not None and rule.fired >= rule.times:
                        self._rules.remove(rule)
                    return rule
        return None
