"""``search``, ``filter``, ``q``, ``sortBy`` and ``expand`` on /api/v1/users, /groups and /apps, as
Okta's management API reference gives them (okta_sim/api_v1/resource_filter.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

import okta_sim.app
from okta_sim import api_tokens
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from simcore.clock import LabClock
from tests.conftest import NOW
from tests.unit.okta_sim.test_api_v1 import PASSWORD, Api, assert_error, causes

INVALID = "Invalid search criteria."


@pytest.fixture
def clock() -> LabClock:
    return LabClock(frozen_at=NOW)


@pytest.fixture
def okta(clock: LabClock) -> Flask:
    return okta_sim.app.create_app({"TESTING": True, "CLOCK": clock, "EGRESS_BIND": False})


@pytest.fixture
def backend(okta: Flask) -> OktaBackend:
    return okta_backend(okta)  # type: ignore[no-any-return]


@pytest.fixture
def api(okta: Flask, backend: OktaBackend) -> Api:
    _, token = api_tokens.create_token(backend, "test")
    return Api(okta, token)


@pytest.fixture
def ids(api: Api) -> Callable[..., list[str]]:
    def listed(path: str, **query: str) -> list[str]:
        response = api("GET", path, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [item["id"] for item in response.get_json()]

    return listed


@pytest.fixture
def people(api: Api, clock: LabClock) -> dict[str, dict[str, Any]]:
    """Alice (active, Engineering), Bob (staged, a minute later) and Carol (deactivated, later still)."""
    alice = api.ok("POST", "/users", with_password({"profile": {**profile("alice@example.com", "Alice", "Smith"), "department": "Engineering"}}))  # fmt: skip
    clock.advance(60)
    bob = api.ok("POST", "/users?activate=false", {"profile": profile("bob@corp.example", "Bob", "Jones")})
    clock.advance(60)
    carol = api.ok("POST", "/users", with_password({"profile": profile("carol@example.com", "Carol", "Adams")}))
    api.ok("POST", f"/users/{carol['id']}/lifecycle/deactivate")
    return {"alice": alice, "bob": bob, "carol": carol}


def profile(login: str, first: str, last: str) -> dict[str, str]:
    return {"login": login, "email": login, "firstName": first, "lastName": last}


def with_password(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "credentials": {"password": {"value": PASSWORD}}}


def test_listing_and_q_omit_deprovisioned_people_and_search_and_filter_do_not(
    people: dict[str, Any], ids: Callable[..., list[str]]
) -> None:
    alice, bob, carol = (people[n]["id"] for n in ("alice", "bob", "carol"))
    assert ids("/users") == [alice, bob]
    assert ids("/users", q="carol") == []
    assert ids("/users", q="JON") == [bob]  # firstName, lastName or email, starts with, any case
    assert ids("/users", q="corp") == []  # not the login's domain: q does not look inside values
    assert ids("/users", filter='status eq "DEPROVISIONED"') == [carol]
    assert ids("/users", search='status eq "DEPROVISIONED"') == [carol]


def test_user_search_takes_any_profile_attribute_case_insensitively(
    people: dict[str, Any], ids: Callable[..., list[str]]
) -> None:
    alice, bob, carol = (people[n]["id"] for n in ("alice", "bob", "carol"))
    assert ids("/users", search='profile.department eq "engineering"') == [alice]
    assert ids("/users", search='profile.lastName sw "jo"') == [bob]
    assert ids("/users", search='profile.email co "EXAMPLE.COM"') == [alice, carol]
    assert ids("/users", search='profile.department pr') == [alice]
    assert ids("/users", search=f'id eq "{bob}"') == [bob]
    assert ids("/users", search='type.id eq "oty_default"') == [alice, bob, carol]
    # Okta's own example: "in the department of Engineering ... or have a status of ACTIVE"
    both = 'profile.department eq "Engineering" and (created lt "2014-01-01T00:00:00.000Z" or status eq "ACTIVE")'
    assert ids("/users", search=both) == [alice]
    assert ids("/users", search=f'created gt "{people["alice"]["created"]}"') == [bob, carol]
    assert ids("/users", search='(status lt "STAGED" or status gt "STAGED")') == [alice, carol]  # Okta's "ne"


def test_search_sorts_with_sort_by_and_sort_order(people: dict[str, Any], ids: Callable[..., list[str]]) -> None:
    alice, bob, carol = (people[n]["id"] for n in ("alice", "bob", "carol"))
    everyone = 'type.id eq "oty_default"'
    assert ids("/users", search=everyone, sortBy="profile.lastName") == [carol, bob, alice]
    assert ids("/users", search=everyone, sortBy="profile.lastName", sortOrder="desc") == [alice, bob, carol]
    assert ids("/users", search=everyone, sortBy="profile.department") == [alice, *sorted([bob, carol])]
    assert ids("/users", sortBy="profile.lastName") == [alice, bob]  # "for search queries only"


def test_user_filter_is_the_documented_subset_and_case_sensitive(
    people: dict[str, Any], ids: Callable[..., list[str]]
) -> None:
    alice, bob, _ = (people[n]["id"] for n in ("alice", "bob", "carol"))
    assert ids("/users", filter='profile.login eq "bob@corp.example"') == [bob]
    assert ids("/users", filter='profile.login eq "Bob@corp.example"') == []  # filter values are case-sensitive
    assert ids("/users", filter='status eq "ACTIVE" or status eq "STAGED"') == [alice, bob]
    window = f'lastUpdated ge "{people["alice"]["lastUpdated"]}" and lastUpdated lt "{people["bob"]["lastUpdated"]}"'
    assert ids("/users", filter=window) == [alice]


@pytest.mark.parametrize(
    ("parameter", "expression", "reason"),
    [
        ("filter", 'profile.department eq "Engineering"', "The attribute 'profile.department' cannot be searched here."),
        ("filter", 'profile.login sw "a"', "The operator 'sw' is not supported on 'profile.login'."),
        ("filter", 'not (status eq "ACTIVE")', "The logical operator 'not' is not supported here."),
        ("filter", 'status gt "A"', "The operator 'gt' is not supported on 'status'."),
        ("search", 'status ne "STAGED"', "The operator 'ne' is not supported on 'status'."),
        ("search", 'profile.title co "x"', "The operator 'co' is not supported on 'profile.title'."),
        ("search", 'profile.nothing eq "x"', "The attribute 'profile.nothing' cannot be searched here."),
        ("search", 'lastUpdated gt "yesterday"', "'lastUpdated' compares with an ISO 8601 instant, such as \"2014-01-01T00:00:00.000Z\"."),  # fmt: skip
        ("search", "status eq ACTIVE", "Unrecognized value 'ACTIVE' at position 10"),
        ("search", 'status eq "ACTIVE" and', "Expected an attribute name at position 22"),
        ("search", '(status eq "ACTIVE"', "Expected ')' at position 19"),
    ],
)
def test_user_search_and_filter_refuse_what_okta_does_not_take(
    api: Api, parameter: str, expression: str, reason: str
) -> None:
    response = api("GET", "/users", query_string={parameter: expression})
    assert_error(response, 400, "E0000031", INVALID)
    assert causes(response) == [reason]


def test_a_bad_sort_order_or_sort_attribute_is_refused(api: Api) -> None:
    assert_error(api("GET", "/users", query_string={"search": 'status eq "ACTIVE"', "sortOrder": "up"}), 400, "E0000001")
    response = api("GET", "/users", query_string={"search": 'status eq "ACTIVE"', "sortBy": "password"})
    assert_error(response, 400, "E0000031", INVALID)


def test_q_defaults_to_ten_people(api: Api, ids: Callable[..., list[str]]) -> None:
    for n in range(12):
        api.person(f"user{n}@example.com", "User", f"N{n}")
    assert len(ids("/users", q="user")) == 10
    assert len(ids("/users", q="user", limit="12")) == 12
    assert len(ids("/users")) == 12


def test_groups_search_filter_q_and_stats(api: Api, clock: LabClock, ids: Callable[..., list[str]]) -> None:
    sales = api.ok("POST", "/groups", {"profile": {"name": "Sales EMEA", "description": "Sellers in Europe"}})
    clock.advance(60)
    support = api.ok("POST", "/groups", {"profile": {"name": "Support", "description": "Helpers"}})
    alice = api.person("alice@example.com")
    api.ok("PUT", f"/groups/{support['id']}/users/{alice['id']}", status=204)
    assert ids("/groups", q="sal") == [sales["id"]]
    assert ids("/groups", search='profile.name eq "support"') == [support["id"]]
    assert ids("/groups", search='profile.description co "europe"') == [sales["id"]]
    assert ids("/groups", search='type eq "OKTA_GROUP" and profile.name sw "S"') == [sales["id"], support["id"]]
    assert ids("/groups", filter=f'lastMembershipUpdated gt "{sales["lastMembershipUpdated"]}"') == [support["id"]]
    assert ids("/groups", filter='type eq "OKTA_GROUP"') == [sales["id"], support["id"]]
    assert_error(api("GET", "/groups", query_string={"filter": 'profile.name eq "Sales"'}), 400, "E0000031")
    assert_error(api("GET", "/groups", query_string={"search": 'type co "OKTA"'}), 400, "E0000031")
    stats = {g["id"]: g["_embedded"]["stats"]["usersCount"] for g in api.ok("GET", "/groups?expand=stats")}
    assert stats == {sales["id"]: 0, support["id"]: 1}
    assert "_embedded" not in api.ok("GET", "/groups")[0]
    assert_error(api("GET", "/groups?expand=members"), 400, "E0000001")


def test_apps_q_filter_and_expand_the_assigned_app_user(api: Api, ids: Callable[..., list[str]]) -> None:
    first = api.cybozu_app(label="Cybozu Tokyo")
    second = api.cybozu_app(label="Kintone Osaka")
    api.ok("POST", f"/apps/{second['id']}/lifecycle/deactivate")
    alice = api.person("alice@example.com")
    group = api.group("Sales")
    api.ok("POST", f"/apps/{first['id']}/users", {"id": alice["id"], "credentials": {"userName": "alice"}})
    api.ok("PUT", f"/apps/{second['id']}/groups/{group['id']}", {})
    assert ids("/apps", q="kintone") == [second["id"]]
    assert set(ids("/apps", q="cybozu")) == {first["id"], second["id"]}  # the name, cybozu, starts with it too
    assert ids("/apps", filter='status eq "ACTIVE"') == [first["id"]]
    assert ids("/apps", filter='name eq "cybozu" and status eq "INACTIVE"') == [second["id"]]
    assert ids("/apps", filter=f'user.id eq "{alice["id"]}"') == [first["id"]]
    assert ids("/apps", filter=f'group.id eq "{group["id"]}"') == [second["id"]]
    expanded = api.ok("GET", f'/apps?filter=user.id eq "{alice["id"]}"&expand=user/{alice["id"]}')
    assert [app["_embedded"]["user"]["id"] for app in expanded] == [alice["id"]]
    assert expanded[0]["_embedded"]["user"]["credentials"]["userName"] == "alice"
    assert_error(api("GET", f"/apps?expand=user/{alice['id']}"), 400, "E0000001")
    assert_error(api("GET", "/apps", query_string={"filter": 'label eq "Cybozu Tokyo"'}), 400, "E0000031")
