"""API tokens of both apps: stored as a digest, shown once, compared in constant time,
refused when expired or revoked (401 in each protocol's own error format)."""

from __future__ import annotations

import hmac
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cybozu_sim import tokens
from cybozu_sim.backend import get_backend as cybozu_backend
from okta_sim import api_tokens
from okta_sim.backend import get_backend as okta_backend
from simcore.clock import LabClock
from tests.security.conftest import csrf, cybozu_admin, lab_call, okta_admin

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_USERS = "/example/scim/v2/Users"
DAY = 86400


def every_text(app: Flask, data_file: Path) -> str:
    """What an onlooker of the store can read: the TinyDB file and the lab snapshot."""
    snapshot = lab_call(app, "GET", "/snapshot")
    assert snapshot.status_code == 200
    return data_file.read_text() + snapshot.get_data(as_text=True)


def create_cybozu_token_in_console(browser: FlaskClient, notes: str = "Okta") -> tuple[str, Any]:
    form = browser.get("/example/admin/provisioning/tokens/new").get_data(as_text=True)
    answer = browser.post(
        "/example/admin/provisioning/tokens/new",
        data={"csrf_token": csrf(form), "notes": notes, "validity": "1 year"},
    )
    assert answer.status_code == 200
    value = re.search(r'id="api-token" readonly value="([A-Za-z0-9]{40})"', answer.get_data(as_text=True))
    assert value, "the dialog shows the token"
    return value.group(1), answer


def create_okta_token_in_console(browser: FlaskClient, name: str = "sdk") -> tuple[str, Any]:
    form = browser.get("/admin/security/api").get_data(as_text=True)
    answer = browser.post("/admin/security/api", data={"csrf_token": csrf(form), "name": name})
    assert answer.status_code == 200
    value = re.search(r'id="token-value" readonly value="(00[^"]+)"', answer.get_data(as_text=True))
    assert value, "the page shows the token"
    return value.group(1), answer


def scim_get(cybozu: Flask, token: str) -> Any:
    return cybozu.test_client().get(SCIM_USERS, headers={"Authorization": f"Bearer {token}"})


def okta_get(okta: Flask, token: str) -> Any:
    return okta.test_client().get("/api/v1/users", headers={"Authorization": f"SSWS {token}"})


def assert_scim_401(answer: Any, detail: str) -> None:
    assert answer.status_code == 401
    body = json.loads(answer.get_data(as_text=True))
    assert body["schemas"] == [SCIM_ERROR]
    assert str(body["status"]) == "401" and body["detail"] == detail
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def assert_okta_401(answer: Any) -> None:
    assert answer.status_code == 401
    body = answer.get_json()
    assert body["errorCode"] == "E0000011" and body["errorSummary"] == "Invalid token provided"


# -- 1. stored hashed, shown once ------------------------------------------------


def test_cybozu_token_is_stored_as_a_digest_and_shown_only_in_the_dialog(
    cybozu: Flask, tmp_path: Path
) -> None:
    browser = cybozu_admin(cybozu)
    value, dialog = create_cybozu_token_in_console(browser)
    assert dialog.headers["Cache-Control"] == "no-store"
    assert value not in json.dumps(dict(dialog.headers))  # not in a Location or a cookie
    stored = every_text(cybozu, tmp_path / "cybozu.json")
    assert value not in stored and value[:-4] not in stored
    assert tokens.digest(value) in stored
    # never again: the list shows the last four characters, the form is empty, the lab lists metadata
    listing = browser.get("/example/admin/provisioning").get_data(as_text=True)
    assert value not in listing and f"••••{value[-4:]}" in listing
    assert value not in browser.get("/example/admin/provisioning/tokens/new").get_data(as_text=True)
    assert value not in lab_call(cybozu, "GET", "/tenants").get_data(as_text=True)
    assert scim_get(cybozu, value).status_code == 200  # and it is the token that works


def test_cybozu_token_minted_by_the_lab_api_is_returned_once(cybozu: Flask, tmp_path: Path) -> None:
    created = lab_call(cybozu, "POST", "/tenants/example/tokens", {"notes": "cli"})
    assert created.status_code == 201
    value = created.get_json()["token"]
    assert value not in every_text(cybozu, tmp_path / "cybozu.json")
    assert value not in lab_call(cybozu, "GET", "/tenants").get_data(as_text=True)
    assert value not in lab_call(cybozu, "GET", "/tenants/example").get_data(as_text=True)


def test_okta_token_is_stored_as_a_digest_and_shown_only_once(okta: Flask, tmp_path: Path) -> None:
    browser = okta_admin(okta)
    value, page = create_okta_token_in_console(browser)
    assert page.headers["Cache-Control"] == "no-store"
    assert value not in json.dumps(dict(page.headers))
    stored = every_text(okta, tmp_path / "okta.json")
    assert value not in stored and value[:-4] not in stored
    assert api_tokens.digest(value) in stored
    listing = browser.get("/admin/security/api").get_data(as_text=True)
    assert value not in listing and f"••••{value[-4:]}" in listing
    assert okta_get(okta, value).status_code == 200
    # using it shows nothing more: the list, the System Log (console and API) stay without it
    for path in ("/admin/security/api", "/admin/reports/system-log"):
        assert value not in browser.get(path).get_data(as_text=True)
    assert value not in okta_get(okta, value).get_data(as_text=True)
    logs = okta.test_client().get("/api/v1/logs", headers={"Authorization": f"SSWS {value}"})
    assert logs.status_code == 200 and value not in logs.get_data(as_text=True)
    assert value not in every_text(okta, tmp_path / "okta.json")


def test_okta_token_minted_by_the_lab_api_is_returned_once(okta: Flask, tmp_path: Path) -> None:
    created = lab_call(okta, "POST", "/api-tokens", {"name": "cli"})
    assert created.status_code == 201
    value = created.get_json()["token"]
    assert value not in every_text(okta, tmp_path / "okta.json")


# -- 2. constant-time comparison -----------------------------------------------------


class CompareSpy:
    """hmac.compare_digest, recording its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any]] = []
        self.real = hmac.compare_digest

    def __call__(self, a: Any, b: Any) -> bool:
        self.calls.append((a, b))
        return self.real(a, b)


@pytest.fixture
def compare_spy(monkeypatch: pytest.MonkeyPatch) -> CompareSpy:
    spy = CompareSpy()
    monkeypatch.setattr(hmac, "compare_digest", spy)
    return spy


def test_cybozu_checks_a_token_against_every_digest_with_compare_digest(
    cybozu: Flask, compare_spy: CompareSpy
) -> None:
    values = [lab_call(cybozu, "POST", "/tenants/example/tokens", {}).get_json()["token"] for _ in range(3)]
    digests = {tokens.digest(v) for v in values}
    compare_spy.calls.clear()
    assert scim_get(cybozu, values[0]).status_code == 200
    # the first token matches, yet every stored digest is compared: no early exit, no ==
    assert {stored for stored, _ in compare_spy.calls} == digests
    assert {presented for _, presented in compare_spy.calls} == {tokens.digest(values[0])}
    compare_spy.calls.clear()
    assert scim_get(cybozu, "x" * 40).status_code == 401
    assert len(compare_spy.calls) == 3


def test_okta_checks_a_token_against_every_digest_with_compare_digest(
    okta: Flask, compare_spy: CompareSpy
) -> None:
    values = [lab_call(okta, "POST", "/api-tokens", {"name": f"t{i}"}).get_json()["token"] for i in range(3)]
    compare_spy.calls.clear()
    assert okta_get(okta, values[0]).status_code == 200
    token_calls = [c for c in compare_spy.calls if c[1] == api_tokens.digest(values[0])]
    assert {stored for stored, _ in token_calls} == {api_tokens.digest(v) for v in values}
    compare_spy.calls.clear()
    assert_okta_401(okta_get(okta, "00" + "x" * 40))
    assert len(compare_spy.calls) == 3


# -- 3. expired and revoked tokens are refused ---------------------------------------


def test_cybozu_refuses_an_expired_token_with_a_scim_401(cybozu: Flask, clock: LabClock) -> None:
    created = lab_call(cybozu, "POST", "/tenants/example/tokens", {"expires": "2026-04-02"}).get_json()
    assert scim_get(cybozu, created["token"]).status_code == 200
    clock.advance(DAY)  # 2026-04-02 09:00: still valid through the end of the day
    assert scim_get(cybozu, created["token"]).status_code == 200
    clock.advance(DAY)
    assert_scim_401(scim_get(cybozu, created["token"]), "The API token expired on 2026-04-02.")


def test_cybozu_refuses_a_disabled_or_deleted_token_with_a_scim_401(cybozu: Flask) -> None:
    browser = cybozu_admin(cybozu)
    value, _ = create_cybozu_token_in_console(browser)
    token_id = tokens.list_tokens(cybozu_backend(cybozu), "example")[0].id
    page = browser.get("/example/admin/provisioning").get_data(as_text=True)
    action = f"/example/admin/provisioning/tokens/{token_id}"
    assert browser.post(action, data={"csrf_token": csrf(page), "action": "disable"}).status_code == 302
    assert_scim_401(scim_get(cybozu, value), "The API token is disabled.")
    assert browser.post(action, data={"csrf_token": csrf(page), "action": "delete"}).status_code == 302
    assert_scim_401(scim_get(cybozu, value), "The API token is invalid.")


def test_okta_refuses_a_revoked_token_with_e0000011(okta: Flask) -> None:
    browser = okta_admin(okta)
    value, _ = create_okta_token_in_console(browser)
    assert okta_get(okta, value).status_code == 200
    token_id = api_tokens.list_tokens(okta_backend(okta))[0]["id"]
    path = f"/admin/security/api/tokens/{token_id}/revoke"
    dialog = browser.get(path).get_data(as_text=True)
    assert browser.post(path, data={"csrf_token": csrf(dialog)}).status_code == 302
    assert_okta_401(okta_get(okta, value))


def test_okta_token_expires_after_30_days_unused_and_each_use_renews_it(okta: Flask, clock: LabClock) -> None:
    unused = lab_call(okta, "POST", "/api-tokens", {"name": "unused"}).get_json()["token"]
    used = lab_call(okta, "POST", "/api-tokens", {"name": "used"}).get_json()["token"]
    clock.advance(29 * DAY)
    assert okta_get(okta, used).status_code == 200  # renewed: now valid until day 59
    clock.advance(DAY)
    assert_okta_401(okta_get(okta, unused))  # 30 days without a use
    clock.advance(28 * DAY)
    assert okta_get(okta, used).status_code == 200
    clock.advance(30 * DAY)
    assert_okta_401(okta_get(okta, used))
    listed = {t["name"]: t for t in api_tokens.list_tokens(okta_backend(okta))}
    assert listed["used"]["expiresAt"] == "2026-06-28T09:00:00.000Z"
