"""The article's STEP2 driven only through okta_sim's /api/v1, as an Okta API client would, into cybozu_sim."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from okta_sim import api_tokens
from tests.integration.conftest import Pair

pytestmark = pytest.mark.integration


@pytest.fixture
def api(pair: Pair) -> Iterator[httpx2.Client]:
    _, token = api_tokens.create_token(pair.okta, "t")
    headers = {"Authorization": f"SSWS {token}", "Accept": "application/json"}
    with httpx2.Client(base_url=pair.okta_server.url + "/api/v1", headers=headers, timeout=10.0) as client:
        yield client


def ok(response: httpx2.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def connected_app(api: httpx2.Client, pair: Pair) -> dict[str, Any]:
    """Add the app, save the API integration with cybozu's token, and turn on Provisioning to App."""
    app = ok(api.post("/apps", json={"name": "cybozu", "settings": {"app": {"domainName": "example"}}}))
    connection = ok(
        api.post(
            f"/apps/{app['id']}/connections/default",
            params={"activate": "true"},
            json={"profile": {"authScheme": "TOKEN", "token": pair.token}},
        )
    )
    assert connection["status"] == "ENABLED"
    enabled = {"status": "ENABLED"}
    feature = ok(
        api.put(
            f"/apps/{app['id']}/features/USER_PROVISIONING",
            json={
                "create": {"lifecycleCreate": enabled},
                "update": {"profile": enabled, "lifecycleDeactivate": enabled},
            },
        )
    )
    assert feature["status"] == "ENABLED"
    return ok(api.get(f"/apps/{app['id']}"))  # type: ignore[no-any-return]


def person(api: httpx2.Client, login: str, first: str = "Alice", last: str = "Smith") -> dict[str, Any]:
    profile = {"login": login, "email": login, "firstName": first, "lastName": last}
    return ok(api.post("/users", params={"activate": "true"}, json={"profile": profile}))  # type: ignore[no-any-return]


def test_step2_through_the_management_api(api: httpx2.Client, pair: Pair) -> None:
    app = connected_app(api, pair)
    assert app["features"] == ["PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "PUSH_USER_DEACTIVATION"]
    assert pair.token not in api.get(f"/apps/{app['id']}").text
    schema_path = f"/meta/schemas/apps/{app['id']}/default"
    schema = ok(api.post(schema_path, json={"definitions": {"custom": {"properties": {"office": None}}}}))
    assert "office" not in schema["definitions"]["custom"]["properties"]

    alice = person(api, "alice@example.com")
    assigned = ok(
        api.post(
            f"/apps/{app['id']}/users",
            json={
                "id": alice["id"],
                "scope": "USER",
                "credentials": {"userName": "alice"},
                "profile": {"kintone": "Enable"},
            },
        )
    )
    assert (assigned["status"], assigned["syncState"]) == ("PROVISIONED", "SYNCHRONIZED")
    remote = pair.users()["alice"]
    assert remote["services"] == {"kintone": True} and remote["external_id"] == alice["id"]
    assert assigned["externalId"] == remote["id"] and assigned["profile"]["kintone"] == "Enable"
    assert assigned["profile"]["familyName"] == remote["surname"]

    assert ok(api.post(f"/users/{alice['id']}/lifecycle/deactivate")) == {}
    assert pair.users()["alice"]["status"] == "Inactive"
    # Deactivation removed the assignment: the app user is gone (404), its account Inactive.
    ok(api.get(f"/apps/{app['id']}/users/{alice['id']}"), 404)
    assert "Delete attribute office" in str(
        api.get("/logs", params={"filter": 'eventType eq "application.lifecycle.update"'}).json()
    )
    pushed = api.get("/logs", params={"filter": 'eventType eq "application.provision.user.deactivate"'}).json()
    assert [(e["severity"], e["transaction"]["type"], [t["type"] for t in e["target"]]) for e in pushed] == [
        ("INFO", "JOB", ["User", "AppUser", "AppInstance"])
    ]


def test_a_wrong_token_is_refused_with_oktas_message(api: httpx2.Client, pair: Pair) -> None:
    app = ok(api.post("/apps", json={"name": "cybozu", "settings": {"app": {"domainName": "example"}}}))
    refused = api.post(
        f"/apps/{app['id']}/connections/default?activate=true",
        json={"profile": {"authScheme": "TOKEN", "token": "x" * 40}},
    )
    assert refused.status_code == 400 and refused.headers["Content-Type"] == "application/json"
    body = refused.json()
    assert body["errorCode"] == "E0000001" and "Error authenticating: Unauthorized" in body["errorSummary"]
    assert ok(api.get(f"/apps/{app['id']}/connections/default"))["status"] == "DISABLED"


def test_group_assignment_provisions_the_members(api: httpx2.Client, pair: Pair) -> None:
    app = connected_app(api, pair)
    sales = ok(api.post("/groups", json={"profile": {"name": "Sales"}}))
    carol = person(api, "carol@example.com", "Carol", "King")
    ok(api.put(f"/groups/{sales['id']}/users/{carol['id']}"), 204)
    assigned = ok(
        api.put(
            f"/apps/{app['id']}/groups/{sales['id']}", json={"priority": 0, "profile": {"garoon": "Enable"}}
        )
    )
    assert assigned["id"] == sales["id"] and assigned["profile"] == {"garoon": "Enable"}
    remote = pair.users()["carol@example.com"]  # ${source.login}, the default username template
    assert remote["status"] == "Active" and remote["services"] == {"garoon": True}
    app_user = ok(api.get(f"/apps/{app['id']}/users/{carol['id']}"))
    assert app_user["scope"] == "GROUP" and app_user["syncState"] == "SYNCHRONIZED"
    ok(api.delete(f"/apps/{app['id']}/groups/{sales['id']}"), 204)
    assert pair.users()["carol@example.com"]["status"] == "Inactive"
