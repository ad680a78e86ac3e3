"""simcore.control: the lab control API (/_lab/) on an app: clock, faults, reset, snapshot and restore, and who may call it."""

from __future__ import annotations

import json

import pytest

from simcore.wire_faults import CANNOT_DROP
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


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ({"drop": "abort"}, "drop must be reset or close"),
        ({"drop": "reset", "status": 503}, "drop ends the connection without an answer: it takes no status, retry_after, body or slow_body_ms"),
        ({"body": "pdf"}, "body must be html or truncated_json"),
        ({"body": "truncated_json", "status": 500}, "body truncated_json cuts the app's own answer: it takes no status"),
        ({"slow_body_ms": -1}, "slow_body_ms must be an integer from 1 to 600000"),
        ({"status": 503, "probability": 2}, "probability must be a number greater than 0 and at most 1"),
        ({"status": 503, "probability": 0.5, "seed": 1.5}, "seed must be an integer (64 bits)"),
        ([{"status": 503}], "a fault is a JSON object"),
    ],
)
def test_a_fault_rule_the_lab_api_refuses_says_why(lab: Lab, spec: object, error: str) -> None:
    assert lab.call("POST", "/faults", spec, expect=400) == {"error": error, "status": 400}
    assert lab.call("GET", "/faults") == []


def test_body_faults_in_process(app, lab: Lab) -> None:
    """What the test client can show: the page, the cut JSON, the trickled body whole, and that
    it cannot drop a connection (the socket-level behaviour is tests/integration/test_fault_wire.py)."""
    lab.tenant("acme")
    client = app.test_client()
    whole = client.get("/acme/scim/v2/Users").get_data()
    lab.call("POST", "/faults", {"body": "truncated_json", "times": 1}, expect=201)
    cut = client.get("/acme/scim/v2/Users")
    assert cut.get_data() == whole[: len(whole) // 2] and cut.headers["Content-Length"] == str(len(whole) // 2)
    with pytest.raises(ValueError):
        json.loads(cut.get_data())
    lab.call("POST", "/faults", {"body": "html", "status": 502, "times": 1}, expect=201)
    page = client.get("/acme/scim/v2/Users")
    assert (page.status_code, page.content_type) == (502, "text/html; charset=utf-8")
    assert "<title>502 Bad Gateway</title>" in page.get_data(as_text=True)
    lab.call("POST", "/faults", {"slow_body_ms": 30, "chunks": 3, "times": 1}, expect=201)
    assert client.get("/acme/scim/v2/Users").get_data() == whole
    css = client.get("/static/cybozu.css").get_data()  # a file's answer is streamed by Flask ...
    lab.call("POST", "/faults", {"path": "^/static/", "body": "truncated_json", "times": 1}, expect=201)
    assert client.get("/static/cybozu.css").get_data() == css[: len(css) // 2]  # ... and is cut all the same
    lab.call("POST", "/faults", {"drop": "reset", "times": 1}, expect=201)
    refused = client.get("/acme/scim/v2/Users")
    assert (refused.status_code, refused.get_data(as_text=True)) == (500, CANNOT_DROP)


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
