"""simcore.control: the lab control API (/_lab/) on an app: clock, faults, reset, snapshot and restore, and who may call it."""

from __future__ import annotations

from tests.conftest import Lab


def test_clock_through_the_lab_api(lab: Lab) -> None:
    assert lab.call("GET", "/clock")["now"] == "2026-04-01T09:00:00.000Z"
    assert lab.call("POST", "/clock", {"advance": 60}, expect=200)["now"] == "2026-04-01T09:01:00.000Z"
    assert lab.call("POST", "/clock", {"freeze": "2030-01-01T00:00:00Z"}, expect=200)["frozen"] is True
    lab.call("POST", "/clock", {"advance": "soon"}, expect=400)
    lab.call("POST", "/clock", {"rewind": 5}, expect=400)
    lab.call("POST", "/clock", {"freeze": "not a date"}, expect=400)
    lab.call("POST", "/clock", {"advance": -5}, expect=400)


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
