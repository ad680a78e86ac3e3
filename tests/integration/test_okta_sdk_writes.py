"""Okta's own Python SDK (okta-sdk-python), unchanged, writing to okta_sim's /api/v1 on a real socket.

Each call's result as the SDK gives it, and okta_sim's state afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from okta.client import Client as OktaClient

import okta_sim.app
from lab.server import ServerThread
from okta_sim import api_tokens, apps
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, records

pytestmark = pytest.mark.integration

Scenario = Callable[[OktaClient, OktaBackend], Awaitable[None]]


@pytest.fixture
def sdk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Scenario], None]]:
    """Run an async scenario against a demo org with the SDK signed in by an API token."""
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")  # the SDK wants https otherwise
    app = okta_sim.app.create_app({"SEED_DEMO": True, "PUSH_MODE": "inline"})
    backend = okta_backend(app)
    _, token = api_tokens.create_token(backend, "sdk")
    with ServerThread(app) as server:

        def run(scenario: Scenario) -> None:
            asyncio.run(scenario(OktaClient({"orgUrl": server.url, "token": token}), backend))

        yield run


def login_id(backend: OktaBackend, login: str) -> str:
    return str(next(u for u in reads.list_users(backend) if u["profile"]["login"] == login)["id"])


def no_error(result: tuple[Any, ...]) -> Any:
    """The SDK answers (value, response, error) or (response, error): the error must be None."""
    assert result[-1] is None, result[-1]
    return result[0] if len(result) == 3 else None


def test_calls_answered_204_succeed_through_the_sdk(sdk: Callable[[Scenario], None]) -> None:
    """204 No Content has no body and no JSON content type, as Okta answers: the SDK parses any body
    it is told is JSON, and an empty one was its "JSON decode error"."""

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        alice, bob = login_id(backend, "alice.smith@example.com"), login_id(backend, "bob.jones@example.com")
        group = next(g for g in reads.list_groups(backend) if g["profile"]["name"] == "cybozu users")
        no_error(await client.unassign_user_from_group(group["id"], bob))
        assert bob not in reads.get_group(backend, group["id"])["members"]
        no_error(await client.assign_user_to_group(group["id"], bob))
        assert bob in reads.get_group(backend, group["id"])["members"]
        no_error(await client.delete_group(group["id"]))
        assert all(g["id"] != group["id"] for g in reads.list_groups(backend))

        app = apps.add_app(backend, "cybozu", domain_name="example")
        assignments.assign_user(backend, app["id"], alice, profile={"kintone": "Enable"})
        no_error(await client.unassign_user_from_application(app["id"], alice))
        assert backend.app_users.get(records.app_user_key(app["id"], alice)) is None

        no_error(await client.delete_user(bob))  # an active user: deactivated first
        assert reads.get_user(backend, bob)["status"] == "DEPROVISIONED"
        no_error(await client.delete_user(bob))  # a deactivated one: deleted
        assert all(u["id"] != bob for u in reads.list_users(backend))

    sdk(scenario)


def test_create_a_user_with_okta_s_whole_default_profile(sdk: Callable[[Scenario], None]) -> None:
    """Every base attribute of Okta's UserProfile schema is accepted, each within its own length."""
    from okta.models import CreateUserRequest, UserProfile

    profile = {
        "login": "erin.new@example.com", "email": "erin.new@example.com", "firstName": "Erin",
        "lastName": "New", "primaryPhone": "+81 3 1234 5678", "mobilePhone": "+81 90 1234 5678",
        "postalAddress": "1-2-3 Nihonbashi\nChuo-ku, Tokyo 103-0027", "streetAddress": "1-2-3 Nihonbashi",
        "city": "Chuo-ku", "state": "Tokyo", "zipCode": "103-0027", "countryCode": "JP",
        "managerId": "00u000manager", "manager": "Alice Smith", "title": "Engineer", "department": "QA",
    }  # fmt: skip

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        body = CreateUserRequest(profile=UserProfile.from_dict(profile))
        created = no_error(await client.create_user(body, activate=False))
        assert (created.status.value, created.profile.primary_phone) == ("STAGED", "+81 3 1234 5678")
        stored = reads.get_user(backend, created.id)["profile"]
        assert stored == profile  # (the SDK itself refuses lengths past the schema's: test_api_v1)

    sdk(scenario)


def test_app_users_and_groups_through_the_sdk(sdk: Callable[[Scenario], None]) -> None:
    """Assign as Okta's SCIM CRUD test does (credentials.userName and the mapped attributes in the
    profile, with a service), read, update, unassign; assign a group with priority and profile."""
    from okta.models import (
        ApplicationGroupAssignment,
        AppUserAssignRequest,
        AppUserProfileRequestPayload,
        AppUserUpdateRequest,
    )

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        app = apps.add_app(backend, "cybozu", domain_name="example")
        alice = login_id(backend, "alice.smith@example.com")
        crud = {"familyName": "Smith", "givenName": "Alice", "emailType": "work", "email": "alice.smith@example.com"}
        request = AppUserAssignRequest.from_dict(
            {"id": alice, "scope": "USER", "credentials": {"userName": "asmith"}, "profile": {**crud, "kintone": "Enable"}}
        )
        assigned = no_error(await client.assign_user_to_application(app["id"], request))
        assert (assigned.credentials.user_name, assigned.profile["kintone"]) == ("asmith", "Enable")
        assert {k: assigned.profile[k] for k in crud} == crud
        assert records.get_app_user(backend, app["id"], alice)["profile"] == {"kintone": "Enable"}
        got = no_error(await client.get_application_user(app["id"], alice))
        assert got.id == alice and got.scope == "USER"
        payload = AppUserProfileRequestPayload.from_dict({"profile": {"garoon": "Enable"}})
        update = AppUserUpdateRequest(actual_instance=payload)
        updated = no_error(await client.update_application_user(app["id"], alice, update))
        assert updated.profile["garoon"] == "Enable" and "kintone" not in updated.profile
        listed = no_error(await client.list_application_users(app["id"]))
        assert [au.id for au in listed] == [alice]

        group = next(g for g in reads.list_groups(backend) if g["profile"]["name"] == "cybozu users")
        body = ApplicationGroupAssignment.from_dict({"priority": 0, "profile": {"kintone": "Enable"}})
        assigned_group = no_error(await client.assign_group_to_application(app["id"], group["id"], body))
        assert (assigned_group.id, assigned_group.priority) == (group["id"], 0)
        groups = no_error(await client.list_application_group_assignments(app["id"]))
        assert [g.id for g in groups] == [group["id"]]
        no_error(await client.unassign_application_from_group(app["id"], group["id"]))
        assert records.app_groups_of_app(backend, app["id"]) == []
        no_error(await client.unassign_user_from_application(app["id"], alice))
        assert records.app_users_of_app(backend, app["id"]) == []

    sdk(scenario)


def test_an_app_is_deactivated_before_it_is_deleted(sdk: Callable[[Scenario], None]) -> None:
    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        app = apps.add_app(backend, "cybozu", domain_name="example")
        alice = login_id(backend, "alice.smith@example.com")
        assignments.assign_user(backend, app["id"], alice, profile={"kintone": "Enable"})
        _, error = await client.delete_application(app["id"])
        assert "E0000056" in str(error) and "Delete application forbidden." in str(error)
        assert apps.get_app(backend, app["id"])["status"] == "ACTIVE"  # nothing half-done
        no_error(await client.deactivate_application(app["id"]))
        assert apps.get_app(backend, app["id"])["status"] == "INACTIVE"
        no_error(await client.activate_application(app["id"]))
        no_error(await client.deactivate_application(app["id"]))
        no_error(await client.delete_application(app["id"]))
        assert backend.apps.get(app["id"]) is None and records.app_users_of_app(backend, app["id"]) == []

    sdk(scenario)


def test_a_person_s_app_links_are_the_active_apps_assigned(sdk: Callable[[Scenario], None]) -> None:
    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        carol = login_id(backend, "carol.white@example.com")  # a member of "cybozu users"
        assert no_error(await client.list_app_links(carol)) == []
        first = apps.add_app(backend, "cybozu", domain_name="example", label="Cybozu (example)")
        second = apps.add_app(backend, "cybozu", domain_name="other", label="Cybozu (other)")
        assignments.assign_user(backend, first["id"], carol, profile={"kintone": "Enable"})
        group = next(g for g in reads.list_groups(backend) if g["profile"]["name"] == "cybozu users")
        assignments.assign_group(backend, second["id"], group["id"], profile={"kintone": "Enable"})
        links = no_error(await client.list_app_links(carol))
        assert [(link.label, link.app_instance_id, link.sort_order) for link in links] == [
            ("Cybozu (example)", first["id"], 0),
            ("Cybozu (other)", second["id"], 1),
        ]
        assert links[0].link_url.endswith(f"/home/cybozu/{first['id']}") and links[0].hidden is False
        apps.set_status(backend, second["id"], False)  # an inactive app is not on the dashboard
        assert [link.app_instance_id for link in no_error(await client.list_app_links(carol))] == [first["id"]]

    sdk(scenario)
