"""The lab clock and fault rules, directly and through /_lab/."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from simcore.clock import LabClock, isoformat, parse_instant
from simcore.faults import FaultError, FaultInjector, parse_fault
from tests.conftest import NOW, Lab


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


def test_clock_through_the_lab_api(lab: Lab) -> None:
    assert lab.call("GET", "/clock")["now"] == "2026-04-01T09:00:00.000Z"
    assert lab.call("POST", "/clock", {"advance": 60}, expect=200)["now"] == "2026-04-01T09:01:00.000Z"
    assert lab.call("POST", "/clock", {"freeze": "2030-01-01T00:00:00Z"}, expect=200)["frozen"] is True
    lab.call("POST", "/clock", {"advance": "soon"}, expect=400)
    lab.call("POST", "/clock", {"rewind": 5}, expect=400)
    lab.call("POST", "/clock", {"freeze": "not a date"}, expect=400)
    lab.call("POST", "/clock", {"advance": -5}, expect=400)


@pytest.mark.parametrize(
    "spec",
    [
        None,
        {"path": "("},
        {"status": 99},
        {"status": 429, "retry_after": -1},
        {"retry_after": 5},
        {"delay_ms": "x"},
        {"status": 500, "colour": "red"},
        {},
    ],
)
def test_bad_fault_rules_are_refused(spec) -> None:
    with pytest.raises(FaultError):
        parse_fault(spec, 1)


def test_fault_rules_match_and_expire() -> None:
    faults = FaultInjector()
    faults.add({"path": "/Users$", "method": "post", "status": 500, "times": 2})
    assert faults.take("GET", "/x/scim/v2/Users") is None
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users") is None
    assert faults.list() == []


def test_faults_through_the_lab_api(app, lab: Lab) -> None:
    lab.call("POST", "/faults", {"path": "^/$", "status": 503}, expect=201)
    assert lab.call("GET", "/faults")[0]["status"] == 503
    assert app.test_client().get("/").status_code == 503
    lab.call("DELETE", "/faults", expect=204)
    assert app.test_client().get("/").status_code == 200
    assert "status" in lab.call("POST", "/faults", {"status": "x"}, expect=400)["error"]


def test_reset_snapshot_and_restore_through_the_lab_api(lab: Lab) -> None:
    lab.tenant("acme")
    snap = lab.call("GET", "/snapshot")
    lab.tenant("other")
    lab.call("POST", "/restore", snap, expect=200)
    assert [t["subdomain"] for t in lab.call("GET", "/tenants")] == ["acme"]
    assert [u["login"] for u in lab.users("acme")] == ["Administrator"]
    lab.call("POST", "/restore", [1, 2], expect=400)
    lab.call("POST", "/reset", expect=200)
    assert lab.call("GET", "/tenants") == []


def test_lab_control_answers_only_loopback_clients_with_the_key(app) -> None:
    client = app.test_client()
    key = {"X-Lab-Key": app.config["LAB_KEY"]}
    assert client.get("/_lab/clock", headers=key).status_code == 200
    remote = client.get("/_lab/clock", headers=key, environ_base={"REMOTE_ADDR": "192.0.2.5"})
    assert remote.status_code == 403 and "loopback" in remote.get_json()["error"]
    assert client.get("/_lab/clock", headers={"X-Lab-Key": "guess"}).status_code == 403
    spoofed = {**key, "X-Forwarded-For": "127.0.0.1"}
    assert (
        client.get("/_lab/clock", headers=spoofed, environ_base={"REMOTE_ADDR": "192.0.2.5"}).status_code
        == 403
    )


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
