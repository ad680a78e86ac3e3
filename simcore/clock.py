"""The lab clock: the one source of "now" for every time-dependent rule.

Token expiry, timestamps and retries read this clock so that a scenario can
freeze time or jump a year ahead without waiting, through the lab control API.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class LabClock:
    """Real time plus an offset, or a frozen instant; always timezone-aware UTC."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = _utc(frozen_at) if frozen_at else None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    __call__ = now

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the clock at ``at`` (default: the current lab time)."""
        instant = _utc(at) if at else self.now()
        with self._lock:
            self._frozen = instant
        return instant

    def unfreeze(self) -> datetime:
        """Let time run again from the current lab time."""
        current = self.now()
        with self._lock:
            self._frozen = None
            self._offset = current - datetime.now(UTC)
        return current

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (frozen or running)."""
        if seconds < 0:
            raise ValueError("the lab clock only moves forward")
        delta = timedelta(seconds=seconds)
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
            else:
                self._offset += delta
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)

    @property
    def frozen(self) -> bool:
        with self._lock:
            return self._frozen is not None

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of lab time: a frozen clock moves forward at once, a running one waits."""
        if self.frozen:
            self.advance(seconds)
        else:
            time.sleep(seconds)

    def state(self) -> dict[str, object]:
        with self._lock:
            frozen = self._frozen is not None
        return {"now": isoformat(self.now()), "frozen": frozen}


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def isoformat(value: datetime) -> str:
    """ISO 8601 with a Z suffix, as SCIM and Okta print instants."""
    return _utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant (Z or offset; naive means UTC)."""
    return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
