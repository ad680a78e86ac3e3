"""No secret (API tokens, provisioned passwords, the lab key) reaches a log, a report or a URL:
a scenario run writes its console summary, JUnit XML and HTML report, and every one of them,
plus Python logging, is searched for every secret the run created."""

from __future__ import annotations

import logging
import secrets
import textwrap
from pathlib import Path

import pytest
from flask import Flask

from lab.cli import main
from lab.replay import reports
from lab.replay.runner import StepRecord
from okta_sim import apps, syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import integration
from tests.security.conftest import Secrets, csrf, lab_call

SETUP = """
setup:
  cybozu:
    tenants:
      - subdomain: example
        licenses: {kintone: 5}
  okta:
    people:
      - {login: alice@example.com, first_name: Alice, last_name: Smith}
      - {login: bob@example.com, first_name: Bob, last_name: Jones}
"""
PASSING = """
name: Provisioned with a token and passwords
steps:
  - lab.connect: {}
    save: {token: token}
  - okta.assign_people: {user: alice@example.com, services: [kintone]}
  - okta.test_api_credentials: {token: "${token}"}
    expect:
      message: Cybozu (cybozu.com) was verified successfully!
"""
FAILING = """
name: A failing step shows its SCIM exchange
steps:
  - lab.connect: {}
    save: {token: token}
  - okta.configure_api_integration: {token: "${token}"}
  - okta.assign_people: {user: alice@example.com, services: [kintone]}
  - okta.assign_people: {user: bob@example.com, user_name: "bad/name", services: [kintone]}
"""


def test_a_scenario_run_writes_no_secret_to_its_reports_or_logs(
    tmp_path: Path, created: Secrets, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, body in (("passing.yaml", PASSING), ("failing.yaml", FAILING)):
        (tmp_path / name).write_text(textwrap.dedent(body).lstrip() + SETUP)
    out = tmp_path / "out"
    code = main(
        ["run", str(tmp_path / "passing.yaml"), str(tmp_path / "failing.yaml"),
         "--junit", str(out / "junit.xml"), "--report", str(out / "report")]
    )  # fmt: skip
    console = capsys.readouterr()
    assert code == 1, console.out
    assert "SCIM: POST /Users -> 400" in console.out  # the failing step shows the request behind it
    # the run really handled secrets: two cybozu tokens, two SSWS tokens, two passwords, lab keys
    assert len(created.values) >= 8
    produced = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in produced} >= {"junit.xml", "index.html"}
    report = (out / "report" / "index.html").read_text()
    assert (
        "Authorization: Bearer ********" in report and "&quot;password&quot;: &quot;********&quot;" in report
    )
    for path in produced:
        created.check(str(path.relative_to(tmp_path)), path.read_text(errors="replace"))
    created.check("the console summary", console.out + console.err)
    created.check("Python logging", caplog.text)
    for record in caplog.records:
        created.check(f"log record {record.name}", repr(record.args) + str(record.msg))


def test_the_system_log_never_holds_a_password_or_token(okta: Flask, closed_port: int) -> None:
    backend = okta_backend(okta)
    client = okta.test_client()
    password = "Wrong-Password-" + secrets.token_hex(8)
    page = client.get("/login").get_data(as_text=True)
    refused = client.post(
        "/login", data={"csrf_token": csrf(page), "username": "admin@example.com", "password": password}
    )
    assert refused.status_code == 200
    cybozu_token = "T" + secrets.token_hex(20)
    app = apps.add_app(backend, "cybozu", domain_name="example")
    assert not integration.test_credentials(backend, app, cybozu_token).ok  # nobody listens there
    ssws = lab_call(okta, "POST", "/api-tokens", {"name": "sdk"}).get_json()["token"]
    logs = client.get("/api/v1/logs", headers={"Authorization": f"SSWS {ssws}"})
    events = syslog.events(backend)
    assert {e["eventType"] for e in events} >= {
        "user.session.start",
        "application.integration.authentication_failure",
    }
    for text in (repr(events), logs.get_data(as_text=True)):
        for secret in (password, cybozu_token, ssws):
            assert secret not in text


def test_reports_mask_secrets_even_in_an_unmasked_wire_log() -> None:
    """Defence in depth: whatever fills the wire log, the report masks credentials."""
    token, password = "T" + secrets.token_hex(20), "P" + secrets.token_hex(12)
    exchange = {
        "method": "POST",
        "path": "/Users",
        "status": 400,
        "headers": {
            "Authorization": f"Bearer {token}",
            "X-Lab-Key": token,
            "Accept": "application/scim+json",
        },
        "request": {"userName": "alice", "password": password, "emails": [{"value": "a@example.com"}]},
        "response": {"detail": "refused", "echo": {"password": password}},
        "source": "127.0.0.11",
    }
    record = StepRecord(step=None, exchanges=[exchange])  # type: ignore[arg-type]
    page = reports.wire_log(record) + reports.exchange_line(exchange)
    assert token not in page and password not in page
    assert "Authorization: Bearer ********" in page and "Accept: application/scim+json" in page
    assert "alice" in page and "a@example.com" in page  # only the secrets are masked
