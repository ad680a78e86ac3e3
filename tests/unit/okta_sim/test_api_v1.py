"""okta_sim's /api/v1 in process: Okta's shapes, errors, pagination and rate limits.

No cybozu.com runs here: the SCIM endpoint is a port nobody listens on, so
provisioning stays off (or a credential test fails at once) and the app-user
endpoints are checked for what they validate. The live flow is in
tests/integration/test_api_v1_live.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

import okta_sim.app
from okta_sim import api_tokens, apps
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER, OBSERVER_HEADER
from tests.conftest import NOW, Lab

ERROR_ID = re.compile(r"^oae[A-Za-z0-9]{22}$")
PASSWORD = "Kv7J2LEa"  # Okta's SCIM CRUD test's: meets the default password policy
CUSTOM = '${fn:substringBefore(source.email, "@") + ".cybozu"}'


class Api:
    """An Okta API client on the in-process app: ``Authorization: SSWS <token>`` on every call."""

    def __init__(self, app: Flask, token: str) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"SSWS {token}", "Accept": "application/json"}

    def __call__(self, method: str, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        url = path if path.startswith("http") else f"/api/v1{path}"
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def ok(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = self(method, path, body)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json(silent=True)

    def person(self, login: str, first: str = "Alice", last: str = "Smith", **query: str) -> dict[str, Any]:
        suffix = "".join(f"?{k}={v}" for k, v in query.items())
        profile = {"login": login, "email": login, "firstName": first, "lastName": last}
        body = {"profile": profile, "credentials": {"password": {"value": PASSWORD}}}
        return self.ok("POST", f"/users{suffix}", body)  # type: ignore[no-any-return]

    def group(self, name: str) -> dict[str, Any]:
        return self.ok("POST", "/groups", {"profile": {"name": name}})  # type: ignore[no-any-return]

    def cybozu_app(self, **body: Any) -> dict[str, Any]:
        return self.ok(  # type: ignore[no-any-return]
            "POST", "/apps", {"name": "cybozu", "settings": {"app": {"domainName": "example"}}, **body}
        )


def assert_error(
    response: TestResponse, status: int, code: str, summary: str | None = None
) -> dict[str, Any]:
    """Okta's error JSON, with the summary (when given) and the ids Okta makes."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}
    assert body["errorCode"] == body["errorLink"] == code and ERROR_ID.match(body["errorId"])
    if summary is not None:
        assert body["errorSummary"] == summary
    return body  # type: ignore[no-any-return]


def causes(response: TestResponse) -> list[str]:
    return [cause["errorSummary"] for cause in response.get_json()["errorCauses"]]


def links(response: TestResponse) -> dict[str, str]:
    """The ``Link`` header as {rel: url}."""
    found = re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", ""))
    return {rel: url for url, rel in found}


@pytest.fixture
def make_okta(closed_port: int) -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        return okta_sim.app.create_app(
            {
                "TESTING": True,
                "CLOCK": LabClock(frozen_at=NOW),
                "SCIM_URL_TEMPLATE": f"http://127.0.0.1:{closed_port}/{{domain}}/scim/v2",
                "SCIM_TIMEOUT": 2.0,
                "EGRESS_BIND": False,
                **config,
            }
        )

    return make


@pytest.fixture
def okta(make_okta: Callable[..., Flask]) -> Flask:
    return make_okta()


@pytest.fixture
def backend(okta: Flask) -> OktaBackend:
    return okta_backend(okta)  # type: ignore[no-any-return]


@pytest.fixture
def api(okta: Flask, backend: OktaBackend) -> Api:
    _, token = api_tokens.create_token(backend, "test")
    return Api(okta, token)


def enable_provisioning_without_a_server(backend: OktaBackend, app_id: str, token: str) -> None:
    """What saving a verified integration stores (its credential test needs a live cybozu.com)."""
    app = apps.get_app(backend, app_id)
    app["provisioning"].update(enabled=True, token=token)
    backend.apps.put(app)


# -- authentication, errors, rate limits ----------------------------------------


def test_every_request_needs_a_valid_ssws_token(okta: Flask, api: Api) -> None:
    client = okta.test_client()
    for headers in ({}, {"Authorization": "SSWS wrong"}, {"Authorization": api.headers["Authorization"][5:]}):
        response = client.get("/api/v1/users", headers=headers)
        assert_error(response, 401, "E0000011", "Invalid token provided")
        assert response.headers["X-Rate-Limit-Limit"] == "600"
    assert_error(client.get("/api/v1/nothing-here"), 401, "E0000011")
    assert api("GET", "/users").status_code == 200


def test_protocol_errors_are_okta_error_json(api: Api) -> None:
    assert_error(
        api("GET", "/users/00uNOBODY"), 404, "E0000007", "Not found: Resource not found: 00uNOBODY (User)"
    )
    assert_error(
        api("GET", "/widgets"), 404, "E0000007", "Not found: Resource not found: /api/v1/widgets (Api)"
    )
    wrong = assert_error(api("PATCH", "/users"), 405, "E0000022")
    assert wrong["errorSummary"] == "The endpoint does not support the provided HTTP method"
    assert api("PATCH", "/users").headers["Allow"] == "GET, POST"
    # A newline in an id, with a method no view of that path takes: Okta's 405, not werkzeug's HTML.
    assert_error(api("PUT", "/apps/%0A/users/x"), 405, "E0000022")
    for data in ("{not json", "[1, 2]", "", '"text"', "[" * 100_000, b"\xff\xfe{"):
        malformed = api("POST", "/users", data=data, content_type="application/json")
        assert_error(malformed, 400, "E0000003", "The request body was not well-formed.")
    too_large = api("POST", "/users", data="x" * (1024 * 1024 + 1), content_type="application/json")
    assert_error(too_large, 413, "E0000001")
    assert_error(api("GET", '/users?filter=title sw "x"'), 400, "E0000031", "Invalid search criteria.")
    for limit in ("0", "-1", "ten"):
        assert_error(api("GET", f"/users?limit={limit}"), 400, "E0000001")
    assert_error(api("GET", "/users?after=00uNOBODY"), 400, "E0000001")
    assert_error(api("POST", "/users?activate=maybe", {"profile": {}}), 400, "E0000001")


def test_validation_errors_list_their_causes(api: Api) -> None:
    profile = {"login": "alice@example.com", "email": "alice@example.com", "lastName": "Smith"}
    missing = api("POST", "/users", {"profile": profile})
    assert_error(missing, 400, "E0000001", "Api validation failed: profile")
    assert causes(missing) == ["firstName: The field cannot be left blank"]
    bad = api("POST", "/users", {"profile": {**profile, "firstName": "A", "shoeSize": "9"}})
    assert causes(bad) == ["shoeSize: Property name 'shoeSize' is not defined in the user profile"]
    assert causes(api("POST", "/users", {"profile": {**profile, "firstName": "A"}, "credentials": "pw"})) == [
        "credentials: must be an object"
    ]
    # Each base attribute within the UserProfile schema's own lengths, and nothing is created.
    long = {**profile, "firstName": "A" * 51, "countryCode": "JPN", "postalAddress": "p" * 4096}
    assert sorted(causes(api("POST", "/users", {"profile": long}))) == [
        "countryCode: must be at most 2 characters",
        "firstName: must be at most 50 characters",
    ]
    assert api.ok("GET", "/users?q=alice") == []


def test_rate_limit_per_family_and_minute(make_okta: Callable[..., Flask]) -> None:
    okta = make_okta(OKTA_RATE_LIMIT=3)
    backend: OktaBackend = okta_backend(okta)
    api = Api(okta, api_tokens.create_token(backend, "test")[1])
    reset = str(int(NOW.timestamp()) + 60)
    remaining = [api("GET", "/users").headers["X-Rate-Limit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    over = api("GET", "/users")
    assert_error(over, 429, "E0000047", "API call exceeded rate limit due to too many requests.")
    assert (over.headers["X-Rate-Limit-Limit"], over.headers["X-Rate-Limit-Remaining"]) == ("3", "0")
    assert over.headers["X-Rate-Limit-Reset"] == reset
    assert api("GET", "/users/00uNOBODY").status_code == 429  # the whole family shares the budget
    assert api("GET", "/groups").headers["X-Rate-Limit-Remaining"] == "2"
    backend.clock.advance(60)
    fresh = api("GET", "/users")
    assert fresh.status_code == 200 and fresh.headers["X-Rate-Limit-Reset"] == str(int(reset) + 60)


def test_the_lab_observing_the_org_spends_none_of_its_rate_limit(make_okta: Callable[..., Flask]) -> None:
    """Issue 16: a class's checklists used up the org's budget, and API-token users got 429s."""
    okta = make_okta(OKTA_RATE_LIMIT=2)
    api = Api(okta, api_tokens.create_token(okta_backend(okta), "test")[1])
    observer = {OBSERVER_HEADER: "training", LAB_KEY_HEADER: okta.config["LAB_KEY"]}
    for _ in range(5):
        assert api("GET", "/users", headers=observer).status_code == 200
    assert api("GET", "/users").headers["X-Rate-Limit-Remaining"] == "1"  # the client's whole budget
    # Without the lab key, the header is nobody's pass.
    assert api("GET", "/users", headers={OBSERVER_HEADER: "training"}).status_code == 200
    assert api("GET", "/users", headers={OBSERVER_HEADER: "training", LAB_KEY_HEADER: "guess"}).status_code == 429


# -- users -------------------------------------------------------------------------


def test_create_user_answers_200_in_oktas_shape(api: Api) -> None:
    created = api("POST", "/users?activate=true", {"profile": {"login": "a@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B"}, "credentials": {"password": {"value": PASSWORD}}})  # fmt: skip
    assert created.status_code == 200 and created.content_type == "application/json"
    user = created.get_json()
    assert set(user) == {
        "id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
        "passwordChanged", "type", "profile", "credentials", "_links",
    }  # fmt: skip
    assert (
        user["id"].startswith("00u") and user["status"] == "ACTIVE" and user["activated"] == user["created"]
    )
    assert user["_links"]["self"]["href"] == f"http://localhost/api/v1/users/{user['id']}"
    assert set(user["_links"]) == {"self", "deactivate", "suspend"}
    assert user["credentials"]["password"] == {} and user["passwordChanged"] == user["created"]
    staged = api.person("b@example.com", activate="false")
    assert staged["status"] == "STAGED" and staged["activated"] is None
    assert set(staged["_links"]) == {"self", "activate", "deactivate"}


def test_a_person_activated_without_a_password_is_pending_until_they_finish(api: Api) -> None:
    """createUser "without credentials": activated, the person is PROVISIONED ("Pending user action")."""
    profile = {"login": "p@example.com", "email": "p@example.com", "firstName": "P", "lastName": "Q"}
    pending = api.ok("POST", "/users?activate=true", {"profile": profile})
    assert pending["status"] == "PROVISIONED" and "password" not in pending["credentials"]
    assert pending["passwordChanged"] is None
    assert set(pending["_links"]) == {"self", "reactivate", "deactivate"}


@pytest.mark.parametrize(
    "password",
    ["Sh0rt", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "Pat-Tester9"],  # the last has "pat" of the login
)
def test_a_password_meets_oktas_default_policy(api: Api, password: str) -> None:
    profile = {"login": "pat.tester@example.com", "email": "pat.tester@example.com", "firstName": "P", "lastName": "T"}
    refused = api("POST", "/users", {"profile": profile, "credentials": {"password": {"value": password}}})
    assert_error(refused, 400, "E0000001", "Api validation failed: password")
    assert causes(refused) == [
        "password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase"
        " letter, an uppercase letter, a number, no parts of your username."
    ]
    assert api.ok("GET", "/users?search=id pr") == []  # nobody was created


def test_create_user_with_group_ids(api: Api) -> None:
    group = api.group("Sales")
    body = {
        "profile": {"login": "a@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B"}
    }
    assert_error(api("POST", "/users", {**body, "groupIds": ["00gNOPE"]}), 404, "E0000007")
    assert api.ok("GET", "/users") == []  # nothing was created
    assert_error(api("POST", "/users", {**body, "groupIds": "00g"}), 400, "E0000001")
    user = api.ok("POST", "/users", {**body, "groupIds": [group["id"]]})
    assert [g["id"] for g in api.ok("GET", f"/users/{user['id']}/groups")] == [group["id"]]


def test_get_update_and_replace_a_user(api: Api) -> None:
    user = api.person("alice@example.com")
    assert api.ok("GET", f"/users/{user['id']}")["id"] == user["id"]
    assert api.ok("GET", "/users/ALICE@example.com")["id"] == user["id"]  # by login, case-insensitively
    updated = api.ok("POST", f"/users/{user['id']}", {"profile": {"title": "Engineer"}})
    assert updated["profile"]["title"] == "Engineer" and updated["profile"]["firstName"] == "Alice"
    replaced = api.ok(
        "PUT",
        f"/users/{user['id']}",
        {
            "profile": {
                "login": "alice@example.com",
                "email": "alice@example.com",
                "firstName": "Al",
                "lastName": "S",
            }
        },
    )
    assert "title" not in replaced["profile"] and replaced["profile"]["firstName"] == "Al"
    partial = api("PUT", f"/users/{user['id']}", {"profile": {"firstName": "Al"}})
    assert_error(partial, 400, "E0000001")
    assert "login: The field cannot be left blank" in causes(partial)
    assert_error(api("POST", "/users/00uNOBODY", {"profile": {}}), 404, "E0000007")


# status -> how to reach it from a new active person (PROVISIONED: created without a password)
REACH = {
    "STAGED": [],
    "ACTIVE": [],
    "PROVISIONED": [],
    "SUSPENDED": ["suspend"],
    "DEPROVISIONED": ["deactivate"],
    "LOCKED_OUT": ["lock-out"],
}
# (action, status) -> (HTTP status, errorCode) when Okta refuses; the others answer 200
REFUSED = {
    ("activate", "ACTIVE"): (403, "E0000016"),
    ("activate", "SUSPENDED"): (403, "E0000038"),
    ("activate", "PROVISIONED"): (403, "E0000038"),
    ("activate", "LOCKED_OUT"): (403, "E0000038"),
    ("reactivate", "STAGED"): (403, "E0000038"),
    ("reactivate", "ACTIVE"): (403, "E0000038"),
    ("reactivate", "SUSPENDED"): (403, "E0000038"),
    ("reactivate", "DEPROVISIONED"): (403, "E0000038"),
    ("reactivate", "LOCKED_OUT"): (403, "E0000038"),
    ("deactivate", "DEPROVISIONED"): (403, "E0000038"),
    ("unlock", "STAGED"): (403, "E0000032"),
    ("unlock", "PROVISIONED"): (403, "E0000032"),
    ("unlock", "SUSPENDED"): (403, "E0000032"),
    ("unlock", "DEPROVISIONED"): (403, "E0000032"),
    **{("suspend", s): (400, "E0000001") for s in REACH if s != "ACTIVE"},
    **{("unsuspend", s): (400, "E0000001") for s in REACH if s != "SUSPENDED"},
}
AFTER = {"activate": "ACTIVE", "reactivate": "ACTIVE", "deactivate": "DEPROVISIONED", "suspend": "SUSPENDED", "unsuspend": "ACTIVE", "unlock": "ACTIVE"}  # fmt: skip


@pytest.mark.parametrize("status", list(REACH))
@pytest.mark.parametrize("action", list(AFTER))
def test_lifecycle_follows_oktas_rules(okta: Flask, api: Api, action: str, status: str) -> None:
    """Every operation from every status: the new status, or Okta's error and nothing changed."""
    query = {"STAGED": "?activate=false"}.get(status, "")
    profile = {"login": "bob@example.com", "email": "bob@example.com", "firstName": "B", "lastName": "J"}
    body: dict[str, Any] = {"profile": profile}
    if status != "PROVISIONED":
        body["credentials"] = {"password": {"value": PASSWORD}}
    user = api.ok("POST", f"/users{query}", body)
    for step in REACH[status]:
        if step == "lock-out":
            Lab(okta).call("POST", f"/users/{user['id']}/lock-out", expect=200)
        else:
            api.ok("POST", f"/users/{user['id']}/lifecycle/{step}")
    assert api.ok("GET", f"/users/{user['id']}")["status"] == status
    response = api("POST", f"/users/{user['id']}/lifecycle/{action}")
    if (action, status) in REFUSED:
        assert_error(response, *REFUSED[(action, status)])
        assert api.ok("GET", f"/users/{user['id']}")["status"] == status
    else:
        assert response.status_code == 200 and response.get_json() == {}
        assert api.ok("GET", f"/users/{user['id']}")["status"] == AFTER[action]


def test_activation_tokens_and_unknown_operations(api: Api) -> None:
    staged = api.person("bob@example.com", activate="false")
    path = f"/users/{staged['id']}/lifecycle"
    token = api.ok("POST", f"{path}/activate?sendEmail=false")
    assert set(token) == {"activationUrl", "activationToken"} and token["activationUrl"].endswith(token["activationToken"])
    assert_error(api("POST", f"{path}/explode"), 404, "E0000007")
    assert_error(api("GET", f"{path}/activate"), 405, "E0000022")
    assert_error(api("POST", f"{path}/reactivate?sendEmail=maybe"), 400, "E0000001")


def test_delete_deactivates_first_then_deletes(api: Api) -> None:
    user = api.person("carol@example.com")
    assert api("DELETE", f"/users/{user['id']}").status_code == 204
    assert api.ok("GET", f"/users/{user['id']}")["status"] == "DEPROVISIONED"
    gone = api("DELETE", f"/users/{user['id']}")
    assert (gone.status_code, gone.content_type, gone.data) == (204, None, b"")  # as Okta: no body, no type
    assert gone.headers["X-Rate-Limit-Remaining"]
    assert_error(api("GET", f"/users/{user['id']}"), 404, "E0000007")


def test_users_paginate_with_link_next(api: Api) -> None:
    made = [api.person(f"user{n}@example.com")["id"] for n in range(5)]
    seen: list[str] = []
    url = "/users?limit=2"
    pages = 0
    while url:
        response = api("GET", url)
        assert response.status_code == 200
        seen += [u["id"] for u in response.get_json()]
        assert links(response)["self"].startswith("http://localhost/api/v1/users")
        url = links(response).get("next", "")
        pages += 1
    assert sorted(seen) == sorted(made) and pages == 3  # each user once (a frozen clock orders by id)
    first = api("GET", "/users?limit=2&q=user")
    assert links(first)["next"] == f"http://localhost/api/v1/users?q=user&after={seen[1]}&limit=2"
    assert len(api.ok("GET", "/users?limit=500")) == 5  # clamped to the maximum, not refused
    assert "next" not in links(api("GET", "/users"))


# -- groups ------------------------------------------------------------------------


def test_groups_and_membership(api: Api) -> None:
    sales = api.ok("POST", "/groups", {"profile": {"name": "Sales", "description": "Sellers"}})
    assert set(sales) == {
        "id", "created", "lastUpdated", "lastMembershipUpdated", "objectClass", "type", "profile", "_links",
    }  # fmt: skip
    assert sales["objectClass"] == ["okta:user_group"] and sales["type"] == "OKTA_GROUP"
    assert sales["profile"] == {"name": "Sales", "description": "Sellers"}
    assert_error(api("POST", "/groups", {"profile": {"name": "sales"}}), 400, "E0000001")
    assert_error(api("POST", "/groups", {"profile": {}}), 400, "E0000001")
    api.group("Support")
    assert [g["profile"]["name"] for g in api.ok("GET", "/groups?q=sal")] == ["Sales"]
    assert api.ok("GET", f"/groups/{sales['id']}") == sales
    renamed = api.ok("PUT", f"/groups/{sales['id']}", {"profile": {"name": "Sales EMEA", "description": ""}})
    assert renamed["profile"] == {"name": "Sales EMEA", "description": ""}
    assert_error(api("PUT", f"/groups/{sales['id']}", {"profile": {"name": "support"}}), 400, "E0000001")
    api.ok("PUT", f"/groups/{sales['id']}", {"profile": {"name": "Sales", "description": "Sellers"}})
    alice = api.person("alice@example.com")
    member = f"/groups/{sales['id']}/users/{alice['id']}"
    assert api("PUT", member).status_code == 204
    assert [u["id"] for u in api.ok("GET", f"/groups/{sales['id']}/users")] == [alice["id"]]
    assert [g["id"] for g in api.ok("GET", f"/users/{alice['id']}/groups")] == [sales["id"]]
    assert "members" not in api.ok("GET", f"/groups/{sales['id']}")
    assert api("DELETE", member).status_code == 204
    assert api.ok("GET", f"/groups/{sales['id']}/users") == []
    assert_error(api("PUT", f"/groups/{sales['id']}/users/00uNOBODY"), 404, "E0000007")
    assert api("DELETE", f"/groups/{sales['id']}").status_code == 204
    assert_error(api("GET", f"/groups/{sales['id']}"), 404, "E0000007")


def test_groups_paginate_20_by_default(api: Api) -> None:
    for n in range(21):
        api.group(f"Team {n:02}")
    first = api("GET", "/groups")
    rest = api("GET", links(first)["next"])
    assert len(first.get_json()) == 20 and "next" not in links(rest)
    names = {g["profile"]["name"] for g in first.get_json() + rest.get_json()}
    assert names == {f"Team {n:02}" for n in range(21)}


# -- apps --------------------------------------------------------------------------


def test_create_get_and_update_an_app(api: Api) -> None:
    app = api.cybozu_app(label="Cybozu")
    assert app["id"].startswith("0oa") and app["name"] == "cybozu" and app["label"] == "Cybozu"
    assert (app["status"], app["signOnMode"], app["features"]) == ("ACTIVE", "SAML_2_0", [])
    assert app["settings"] == {"app": {"domainName": "example"}}
    assert app["credentials"] == {
        "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN", "pushStatus": "PUSH"}
    }
    assert app["_links"]["self"]["href"] == f"http://localhost/api/v1/apps/{app['id']}"
    assert api.ok("GET", f"/apps/{app['id']}") == app
    assert [a["id"] for a in api.ok("GET", "/apps")] == [app["id"]]
    path = f"/apps/{app['id']}"
    email = {"credentials": {"userNameTemplate": {"template": "${source.email}", "type": "BUILT_IN"}}}
    changed = api.ok("PUT", path, {"label": "kintone", "settings": {"app": {"domainName": "other"}}, **email})
    assert changed["label"] == "kintone" and changed["settings"]["app"]["domainName"] == "other"
    assert changed["credentials"]["userNameTemplate"] == {
        "template": "${source.email}",
        "type": "BUILT_IN",
        "pushStatus": "PUSH",
    }
    # "Update application username on: Create only" is pushStatus DONT_PUSH; it stays until changed.
    custom = {"credentials": {"userNameTemplate": {"template": CUSTOM, "type": "CUSTOM", "pushStatus": "DONT_PUSH"}}}
    assert api.ok("PUT", path, custom)["credentials"]["userNameTemplate"] == {
        "template": CUSTOM,
        "type": "CUSTOM",
        "pushStatus": "DONT_PUSH",
    }
    none = api.ok("PUT", path, {"credentials": {"userNameTemplate": {"type": "NONE", "pushStatus": "NOT_SPECIFIED"}}})
    assert none["credentials"]["userNameTemplate"] == {"template": None, "type": "NONE", "pushStatus": "DONT_PUSH"}
    bad = {"credentials": {"userNameTemplate": {"type": "NONE", "pushStatus": "SOMETIMES"}}}
    assert_error(api("PUT", path, bad), 400, "E0000001")
    assert_error(api("PUT", path, {"settings": {"app": {"domainName": "Not A Domain!"}}}), 400, "E0000001")
    assert_error(api("GET", "/apps/0oaNOPE"), 404, "E0000007")


def test_username_templates_are_checked_before_the_app_exists(api: Api) -> None:
    broken = {"credentials": {"userNameTemplate": {"template": "${source.email", "type": "CUSTOM"}}}
    refused = api(
        "POST", "/apps", {"name": "cybozu", "settings": {"app": {"domainName": "example"}}, **broken}
    )
    assert_error(refused, 400, "E0000001", "Api validation failed: userNameTemplate")
    assert causes(refused)[0].startswith("Invalid expression:")
    assert api.ok("GET", "/apps") == []
    unknown = {"credentials": {"userNameTemplate": {"template": "${source.nickName}", "type": "BUILT_IN"}}}
    assert_error(api("POST", "/apps", {"name": "cybozu", "settings": {"app": {"domainName": "example"}}, **unknown}), 400, "E0000001")  # fmt: skip
    kind = {"credentials": {"userNameTemplate": {"template": "x", "type": "FANCY"}}}
    assert_error(api("POST", "/apps", {"name": "cybozu", **kind}), 400, "E0000001")
    assert_error(api("POST", "/apps", {"settings": {"app": {"domainName": "example"}}}), 400, "E0000001")
    assert_error(api("POST", "/apps", {"name": "cybozu", "settings": {"app": {}}}), 400, "E0000001")
    assert api.ok("GET", "/apps") == []
    app = api.cybozu_app(**{"credentials": {"userNameTemplate": {"template": CUSTOM, "type": "CUSTOM"}}})
    assert app["credentials"]["userNameTemplate"]["template"] == CUSTOM


def test_the_api_token_never_appears_in_app_answers(api: Api, backend: OktaBackend) -> None:
    app = api.cybozu_app()
    secret = "s3cr3t-" * 6
    enable_provisioning_without_a_server(backend, app["id"], secret)
    answers = [
        api(method, path)
        for method, path in (
            ("GET", "/apps"),
            ("GET", f"/apps/{app['id']}"),
            ("GET", f"/apps/{app['id']}/connections/default"),
            ("GET", f"/apps/{app['id']}/features"),
            ("GET", f"/apps/{app['id']}/features/USER_PROVISIONING"),
            ("GET", f"/meta/schemas/apps/{app['id']}/default"),
        )
    ]
    answers.append(api("PUT", f"/apps/{app['id']}", {"label": "Renamed"}))
    for answer in answers:
        assert answer.status_code == 200 and secret not in answer.get_data(as_text=True)


def test_provisioning_connection_without_a_server(api: Api, backend: OktaBackend) -> None:
    app = api.cybozu_app()
    path = f"/apps/{app['id']}/connections/default"
    assert api.ok("GET", path)["status"] == "DISABLED"
    failed = api("POST", f"{path}?activate=true", {"profile": {"authScheme": "TOKEN", "token": "t" * 40}})
    body = assert_error(failed, 400, "E0000001")
    assert body["errorSummary"].startswith("Error authenticating: ")
    assert_error(api("POST", f"{path}?activate=false", {"profile": {"token": "x"}}), 400, "E0000001")
    assert_error(api("POST", path, {"profile": {"authScheme": "OAUTH2", "token": "x"}}), 400, "E0000001")
    enable_provisioning_without_a_server(backend, app["id"], "t" * 40)
    enabled = api.ok("GET", path)
    assert (
        enabled["authScheme"] == "TOKEN"
        and enabled["status"] == "ENABLED"
        and "deactivate" in enabled["_links"]
    )
    assert api("POST", f"{path}/lifecycle/deactivate").status_code == 204
    assert api.ok("GET", path)["status"] == "DISABLED"
    assert_error(
        api("POST", f"{path}/lifecycle/activate"), 400, "E0000001"
    )  # the stored token is tested again
    assert_error(api("POST", f"{path}/lifecycle/restart"), 404, "E0000007")


def test_user_provisioning_feature(api: Api, backend: OktaBackend) -> None:
    app = api.cybozu_app()
    path = f"/apps/{app['id']}/features/USER_PROVISIONING"
    everything = {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {"profile": {"status": "ENABLED"}, "lifecycleDeactivate": {"status": "ENABLED"}},
    }
    refused = api("PUT", path, everything)
    assert_error(refused, 400, "E0000001", "Enable API integration before enabling Provisioning to App.")
    enable_provisioning_without_a_server(backend, app["id"], "t" * 40)
    feature = api.ok("PUT", path, everything)
    assert feature["name"] == "USER_PROVISIONING" and feature["status"] == "ENABLED"
    assert feature["capabilities"] == {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {
            "profile": {"status": "ENABLED"},
            "lifecycleDeactivate": {"status": "ENABLED"},
            "password": {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"},
        },
    }
    assert api.ok("GET", f"/apps/{app['id']}")["features"] == [
        "PUSH_NEW_USERS",
        "PUSH_PROFILE_UPDATES",
        "PUSH_USER_DEACTIVATION",
    ]
    partial = api.ok("PUT", path, {"update": {"profile": {"status": "DISABLED"}}})
    assert partial["capabilities"]["update"]["profile"]["status"] == "DISABLED"
    assert partial["capabilities"]["create"]["lifecycleCreate"]["status"] == "ENABLED"
    round_trip = api.ok("PUT", path, {**feature, "capabilities": feature["capabilities"]})
    assert round_trip["capabilities"] == feature["capabilities"]
    assert api.ok("GET", f"/apps/{app['id']}/features") == [round_trip]
    assert_error(api("PUT", path, {"update": {"password": {"status": "ENABLED"}}}), 400, "E0000001")
    assert_error(api("PUT", path, {"create": {"lifecycleCreate": {"status": "ON"}}}), 400, "E0000001")
    assert_error(api("GET", f"/apps/{app['id']}/features/INBOUND_PROVISIONING"), 404, "E0000007")


def test_app_user_schema_lists_and_deletes_service_attributes(api: Api) -> None:
    app = api.cybozu_app()
    path = f"/meta/schemas/apps/{app['id']}/default"
    schema = api.ok("GET", path)
    assert (schema["name"], schema["title"]) == ("cybozu", "Cybozu (cybozu.com) User")
    assert "userName" in schema["definitions"]["base"]["properties"]
    custom = schema["definitions"]["custom"]["properties"]
    assert set(custom) == {"kintone", "garoon", "office", "mailwise", "secure_access"}
    assert custom["office"] == {"title": "Cybozu Office", "type": "string", "enum": ["Enable", "Disable"]}
    changed = api.ok("POST", path, {"definitions": {"custom": {"properties": {"office": None, "kintone": custom["kintone"]}}}})  # fmt: skip
    assert "office" not in changed["definitions"]["custom"]["properties"]
    assert "kintone" in changed["definitions"]["custom"]["properties"]
    added = api("POST", path, {"definitions": {"custom": {"properties": {"salary": {"type": "string"}, "garoon": None}}}})  # fmt: skip
    assert_error(added, 400, "E0000001", "Only the attributes of the Cybozu (cybozu.com) app can be used.")
    assert "garoon" in api.ok("GET", path)["definitions"]["custom"]["properties"]  # nothing was applied
    assert_error(
        api("POST", path, {"definitions": {"custom": {"properties": {"office": None}}}}), 400, "E0000001"
    )
    assert_error(api("GET", "/meta/schemas/apps/0oaNOPE/default"), 404, "E0000007")


# -- app users and app groups (provisioning off: nothing is pushed) ------------------


def test_app_user_assignment_and_its_validation(api: Api) -> None:
    app = api.cybozu_app()
    alice = api.person("alice@example.com")
    users = f"/apps/{app['id']}/users"
    assert_error(api("POST", users, {"id": "00uNOBODY", "scope": "USER"}), 404, "E0000007")
    assert_error(api("POST", users, {"scope": "USER"}), 400, "E0000001")
    assert_error(api("POST", users, {"id": alice["id"], "scope": "GROUP"}), 400, "E0000001")
    bad = api("POST", users, {"id": alice["id"], "scope": "USER", "profile": {"kintone": "Maybe"}})
    assert_error(bad, 400, "E0000001", "Api validation failed: profile")
    assert causes(bad) == ["kintone: must be Enable or Disable"]
    assert api.ok("GET", users) == []
    assigned = api.ok(
        "POST",
        users,
        {
            "id": alice["id"],
            "scope": "USER",
            "credentials": {"userName": "alice"},
            "profile": {"kintone": "Enable"},
        },
    )
    assert assigned["id"] == alice["id"] and assigned["scope"] == "USER" and assigned["externalId"] is None
    assert (assigned["status"], assigned["syncState"], assigned["lastSync"]) == ("STAGED", "DISABLED", None)
    # The profile holds the mapped attributes (as the Attribute Mappings give them) and the services.
    mapped = {
        "givenName": "Alice", "familyName": "Smith", "email": "alice@example.com", "emailType": "work",
        "displayName": "Alice Smith", "locale": "en_US",
    }  # fmt: skip
    assert assigned["credentials"] == {"userName": "alice"} and assigned["profile"] == {**mapped, "kintone": "Enable"}
    assert assigned["_links"]["user"]["href"] == f"http://localhost/api/v1/users/{alice['id']}"
    assert assigned["_links"]["app"]["href"] == f"http://localhost/api/v1/apps/{app['id']}"
    one = f"{users}/{alice['id']}"
    assert api.ok("GET", one) == assigned
    updated = api.ok("POST", one, {"credentials": {"userName": "alice.s"}, "profile": {"garoon": "Enable"}})
    assert updated["credentials"]["userName"] == "alice.s" and updated["profile"] == {**mapped, "garoon": "Enable"}
    # Okta's SCIM CRUD test assigns with the mapped attributes: accepted; the mappings still give them.
    crud = {"familyName": "Other", "givenName": "Name", "emailType": "work", "email": "x@example.com"}
    assert api.ok("POST", one, {"profile": {**crud, "kintone": "Enable"}})["profile"] == {**mapped, "kintone": "Enable"}
    assert causes(api("POST", one, {"profile": {"familyName": 7}})) == ["familyName: must be a string"]
    assert [au["id"] for au in api.ok("GET", users)] == [alice["id"]]
    assert api("DELETE", one).status_code == 204
    assert_error(api("GET", one), 404, "E0000007")
    default_name = api.ok("POST", users, {"id": "alice@example.com"})
    assert default_name["credentials"]["userName"] == "alice@example.com"  # ${source.login}


def test_app_group_assignment(api: Api) -> None:
    app = api.cybozu_app()
    sales = api.group("Sales")
    alice = api.person("alice@example.com")
    api.ok("PUT", f"/groups/{sales['id']}/users/{alice['id']}", status=204)
    path = f"/apps/{app['id']}/groups/{sales['id']}"
    assigned = api.ok("PUT", path, {"priority": 0, "profile": {"kintone": "Enable"}})
    assert (assigned["id"], assigned["priority"], assigned["profile"]) == (
        sales["id"],
        0,
        {"kintone": "Enable"},
    )
    assert assigned["_links"]["group"]["href"] == f"http://localhost/api/v1/groups/{sales['id']}"
    member = api.ok("GET", f"/apps/{app['id']}/users/{alice['id']}")
    assert member["scope"] == "GROUP" and member["profile"]["kintone"] == "Enable"
    assert api.ok("GET", path) == assigned
    assert [ag["id"] for ag in api.ok("GET", f"/apps/{app['id']}/groups")] == [sales["id"]]
    assert_error(api("PUT", path, {"priority": "first"}), 400, "E0000001")
    support = api.group("Support")
    assert (
        api.ok("PUT", f"/apps/{app['id']}/groups/{support['id']}")["priority"] == 1
    )  # an empty body is fine
    assert api("DELETE", path).status_code == 204
    assert_error(api("GET", path), 404, "E0000007")
    assert_error(api("GET", f"/apps/{app['id']}/users/{alice['id']}"), 404, "E0000007")


def test_the_ssws_scheme_with_or_without_a_space(okta: Flask, backend: OktaBackend) -> None:
    """okta-sdk-python 3.x sends "SSWS<token>"; Okta accepts it, and so does the lab."""
    _, token = api_tokens.create_token(backend, "sdk")
    client = okta.test_client()
    assert client.get("/api/v1/users", headers={"Authorization": f"SSWS{token}"}).status_code == 200
    assert client.get("/api/v1/users", headers={"Authorization": f"SSWS {token}"}).status_code == 200
    assert client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 401


# -- regressions found by tests/fuzz/test_api_v1_fuzz.py ----------------------------


def test_a_method_no_route_lists_is_oktas_405(okta: Flask, api: Api) -> None:
    """TRACE and PROPFIND failed in routing, outside the blueprint: werkzeug's HTML 405 without authentication."""
    for method in ("TRACE", "PROPFIND"):
        wrong = api(method, "/users")
        assert_error(wrong, 405, "E0000022", "The endpoint does not support the provided HTTP method")
        assert wrong.headers["Allow"] == "GET, POST"
        assert_error(api(method, "/widgets"), 404, "E0000007")
        assert_error(okta.test_client().open("/api/v1/users", method=method), 401, "E0000011")


def test_a_token_that_cannot_be_an_http_header_is_refused(api: Api) -> None:
    """A non-ASCII API token raised UnicodeEncodeError (500) while building the SCIM request."""
    app = api.cybozu_app()
    for token in ("tökén", "t\u2028x"):
        refused = api("POST", f"/apps/{app['id']}/connections/default", {"profile": {"token": token}})
        assert_error(refused, 400, "E0000001", "Api validation failed: token")
        assert causes(refused) == ["API Token: Use printable ASCII characters only"]


def test_json_that_is_not_rfc_8259_is_malformed(api: Api) -> None:
    """NaN and lone surrogates parse in Python. A surrogate in an app username was a 500 (the SCIM
    client cannot encode it), and any stored one broke every later save of a file store."""
    app = api.cybozu_app()
    alice = api.person("alice@example.com")
    profile = '{"login": "%s@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B"}'
    for path, data in (
        ("/users", '{"profile": %s}' % (profile % "\\ud800")),
        ("/users", '{"profile": %s}' % (profile % "a\\udfffb")),
        ("/users", '{"profile": NaN}'),
        (f"/apps/{app['id']}/users", '{"id": "' + alice["id"] + '", "credentials": {"userName": "\\ud800"}}'),
        (f"/apps/{app['id']}/groups/00g", '{"priority": -Infinity}'),
    ):
        malformed = api(
            "POST" if "groups" not in path else "PUT", path, data=data, content_type="application/json"
        )
        assert_error(malformed, 400, "E0000003", "The request body was not well-formed.")
    assert [u["id"] for u in api.ok("GET", "/users")] == [alice["id"]]
    assert api.ok("GET", f"/apps/{app['id']}/users") == []


def test_an_unexpected_exception_is_oktas_500(
    make_okta: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside tests Flask gives the handler an InternalServerError: it was labelled E0000001."""
    okta = make_okta(TESTING=False)
    api = Api(okta, api_tokens.create_token(okta_backend(okta), "test")[1])

    def broken(*_: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("okta_sim.directory.reads.list_users", broken)
    assert_error(api("GET", "/users"), 500, "E0000009", "Internal Server Error")
