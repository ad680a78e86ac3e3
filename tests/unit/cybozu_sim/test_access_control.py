"""cybozu_sim's access control as every tenant URL meets it: IP address restrictions, then Basic
authentication for addresses outside them; the lab API and the cybozu.com Store stay reachable."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import Lab

SCIM = "/acme/scim/v2/Users"
OUTSIDE = {"REMOTE_ADDR": "203.0.113.5"}


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
def restricted(lab: Lab) -> Lab:
    """acme allows only 127.0.0.1 and asks everyone else for Basic authentication (staff / s3cret)."""
    lab.tenant("acme")
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": ["127.0.0.1"]}, expect=200)
    lab.call("PUT", "/tenants/acme/basic-auth", {"enabled": True, "user": "staff", "password": "s3cret"}, expect=200)
    return lab


def test_outside_the_list_basic_authentication_asks_before_the_login_page(restricted: Lab) -> None:
    asked = restricted.client.get("/acme/login", environ_base=OUTSIDE)
    assert asked.status_code == 401 and asked.content_type.startswith("text/html")
    assert asked.headers["WWW-Authenticate"] == 'Basic realm="cybozu.com", charset="UTF-8"'
    assert restricted.client.get("/acme/login", environ_base=OUTSIDE, headers=basic("staff", "s3cret")).status_code == 200
    for wrong in (basic("staff", "nope"), basic("other", "s3cret"), {"Authorization": "Basic !!!"}):
        assert restricted.client.get("/acme/login", environ_base=OUTSIDE, headers=wrong).status_code == 401
    # From an allowed address nobody is asked.
    assert restricted.client.get("/acme/login").status_code == 200


def test_a_bearer_token_from_outside_meets_the_basic_challenge_in_html(restricted: Lab) -> None:
    token = restricted.token("acme", notes="Okta")
    answer = restricted.client.get(SCIM, environ_base=OUTSIDE, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.get_data(as_text=True).lstrip().startswith("<!doctype html>")
    assert restricted.client.get(SCIM, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_deny_all_with_basic_authentication_is_the_help_pages_simple_setup(restricted: Lab) -> None:
    restricted.call("PUT", "/tenants/acme/ip-restriction", {"mode": "deny_all"}, expect=200)
    assert restricted.client.get("/acme/login").status_code == 401  # 127.0.0.1 is outside too now
    assert restricted.client.get("/acme/login", headers=basic("staff", "s3cret")).status_code == 200


def test_without_basic_authentication_outside_addresses_get_the_403_page(restricted: Lab) -> None:
    state = restricted.call("PUT", "/tenants/acme/basic-auth", {"enabled": False}, expect=200)
    assert state["basic_auth"] == {"enabled": False, "user": "staff"}
    denied = restricted.client.get(SCIM, environ_base=OUTSIDE, headers=basic("staff", "s3cret"))
    assert denied.status_code == 403 and "Access denied" in denied.get_data(as_text=True)


def test_allow_all_never_asks_and_basic_needs_a_restriction(lab: Lab) -> None:
    lab.tenant("acme")
    refused = lab.call("PUT", "/tenants/acme/basic-auth", {"enabled": True, "user": "a", "password": "b"}, expect=400)
    assert "only together with IP address restrictions" in refused["error"]
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "deny_all"}, expect=200)
    lab.call("PUT", "/tenants/acme/basic-auth", {"enabled": True, "user": "a", "password": "b"}, expect=200)
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_all"}, expect=200)
    assert lab.client.get("/acme/login", environ_base=OUTSIDE).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"enabled": True, "user": "", "password": "x"}, "Enter the user name"),
        ({"enabled": True, "user": "a:b", "password": "x"}, "cannot contain a colon"),
        ({"enabled": True, "user": "a"}, "Enter the password"),
        ({"enabled": "yes"}, 'send {"enabled"'),
    ],
)
def test_basic_authentication_settings_are_checked(lab: Lab, body: dict, message: str) -> None:
    lab.tenant("acme")
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "deny_all"}, expect=200)
    assert message in lab.call("PUT", "/tenants/acme/basic-auth", body, expect=400)["error"]


def test_the_lab_api_takes_entries_and_csv_files_all_or_nothing(lab: Lab) -> None:
    lab.tenant("acme")
    entries = ["192.0.2.8", "198.51.100.0/24", {"ip": "203.0.113.1", "memo": "VPN"}]
    state = lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": entries}, expect=200)
    assert state["ip_restriction"]["entries"] == [
        {"ip": "192.0.2.8", "cidr": None, "memo": ""},
        {"ip": "198.51.100.0", "cidr": 24, "memo": ""},
        {"ip": "203.0.113.1", "cidr": None, "memo": "VPN"},
    ]
    bad = lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": ["1.2.3.4", "x"]}, expect=400)
    assert bad["error"] == "Entry 2: 'x' is not an IP address."
    refused = lab.client.put(
        "/_lab/tenants/acme/ip-restriction.csv",
        data=b'"IP Address","CIDR","Memo"\r\n"10.0.0.1","",""\r\n"10.0.0.x","",""\r\n',
        headers=lab.headers,
    )
    assert refused.status_code == 400 and refused.get_json()["error"] == "Line 3: '10.0.0.x' is not an IP address."
    assert len(lab.call("GET", "/tenants/acme")["ip_restriction"]["entries"]) == 3  # nothing half imported
    exported = lab.client.get("/_lab/tenants/acme/ip-restriction.csv", headers=lab.headers).data
    imported = lab.client.put("/_lab/tenants/acme/ip-restriction.csv", data=exported, headers=lab.headers)
    assert imported.status_code == 200 and imported.get_json()["ip_restriction"] == state["ip_restriction"]
