"""simcore.clock: the lab clock, frozen and running."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from simcore.clock import LabClock, isoformat, parse_instant
from tests.conftest import NOW


def test_a_frozen_clock_stands_still_and_advances_on_demand() -> None:
    clock = LabClock(frozen_at=NOW)
    assert clock.now() == NOW
    assert clock.advance(3600) == datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_a_running_clock_keeps_its_offset() -> None:
    clock = LabClock()
    before = datetime.now(UTC)
    clock.advance(86400 * 365)
    assert (clock.now() - before).days >= 364
    clock.freeze()
    frozen = clock.now()
    assert clock.unfreeze() == frozen and clock.now() >= frozen


def test_instants_round_trip() -> None:
    assert isoformat(NOW) == "2026-04-01T09:00:00.000Z"
    assert parse_instant("2026-04-01T09:00:00Z") == NOW
    assert parse_instant("2026-04-01T18:00:00+09:00") == NOW


def test_sleep_moves_a_frozen_clock_and_waits_on_a_running_one() -> None:
    frozen = LabClock(frozen_at=NOW)
    started = time.perf_counter()
    frozen.sleep(30)
    assert time.perf_counter() - started < 1
    assert (frozen.now() - NOW).total_seconds() == 30
    running = LabClock()
    started = time.perf_counter()
    running.sleep(0.05)
    assert time.perf_counter() - started >= 0.05
