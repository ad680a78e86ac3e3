"""Okta's own Python SDK (okta-sdk-python), unchanged, writing to okta_sim's /api/v1 on a real socket.

Each call's result as the SDK gives it, and okta_sim's state afterwards."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from okta.client import Client as OktaClient

import okta_sim.app
from lab.server import ServerThread
from okta_sim import api_tokens, apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, integration, records
from tests.integration.conftest import Pair
from tests.integration.event_loop import run_apart

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
            run_apart(scenario(OktaClient({"orgUrl": server.url, "token": token}), backend))

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


def test_a_person_s_lifecycle_and_searches_through_the_sdk(sdk: Callable[[Scenario], None]) -> None:
    """Create with a password (ACTIVE) and without (PROVISIONED), search and filter, update partly
    and wholly, suspend, unsuspend, lock out and unlock, deactivate and activate."""
    from okta.models import CreateUserRequest, UpdateUserRequest, UserProfile

    def profile(login: str, **extra: str) -> UserProfile:
        return UserProfile.from_dict({"login": login, "email": login, "firstName": "Dana", "lastName": "Lee", **extra})

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        body = CreateUserRequest.from_dict(
            {"profile": profile("dana@example.com", department="QA").to_dict(), "credentials": {"password": {"value": "Kv7J2LEa"}}}  # fmt: skip
        )
        dana = no_error(await client.create_user(body, activate=True))
        pending = no_error(await client.create_user(CreateUserRequest(profile=profile("pat@example.com")), activate=True))
        assert (dana.status.value, pending.status.value) == ("ACTIVE", "PROVISIONED")
        found = no_error(await client.list_users(search='profile.department eq "qa"'))
        assert [u.id for u in found] == [dana.id]
        found = no_error(await client.list_users(filter='profile.login eq "pat@example.com"'))
        assert [u.id for u in found] == [pending.id]
        updated = no_error(await client.update_user(dana.id, UpdateUserRequest(profile=profile("dana@example.com", title="Lead"))))  # fmt: skip
        assert (updated.profile.title, updated.profile.department) == ("Lead", "QA")  # partial: merged
        replaced = no_error(await client.replace_user(dana.id, UpdateUserRequest(profile=profile("dana@example.com"))))
        assert replaced.profile.department is None  # full: replaced
        for operation, status in (
            (client.suspend_user, "SUSPENDED"),
            (client.unsuspend_user, "ACTIVE"),
        ):
            no_error(await operation(dana.id))
            assert reads.get_user(backend, dana.id)["status"] == status
        directory_writes.lock_out(backend, dana.id)
        no_error(await client.unlock_user(dana.id))
        assert reads.get_user(backend, dana.id)["status"] == "ACTIVE"
        refused = (await client.unlock_user(pending.id))[-1]
        assert refused is not None and "E0000032" in str(refused)
        by_login = no_error(await client.get_user("dana@example.com"))
        assert by_login.id == dana.id
        everyone: list[str] = []
        after = None
        while True:  # the SDK's pages, by the Link header's rel="next" cursor
            page, response, error = await client.list_users(limit=2, after=after)
            assert error is None and len(page) <= 2
            everyone += [u.id for u in page]
            following = re.search(r'<([^>]+)>; rel="next"', response.headers["Link"])
            if following is None:
                break
            after = parse_qs(urlsplit(following.group(1)).query)["after"][0]
        assert len(everyone) == len(set(everyone)) == len(reads.list_users(backend))
        reactivated = (await client.reactivate_user(pending.id, send_email=False))[-1]
        assert reactivated is None and reads.get_user(backend, pending.id)["status"] == "ACTIVE"
        assert no_error(await client.list_user_groups(dana.id)) == []
        no_error(await client.deactivate_user(dana.id))
        token = no_error(await client.activate_user(dana.id, send_email=False))
        assert token.activation_token and reads.get_user(backend, dana.id)["status"] == "ACTIVE"
        again = (await client.activate_user(dana.id))[-1]
        assert again is not None and "E0000016" in str(again)

    sdk(scenario)


def test_groups_through_the_sdk(sdk: Callable[[Scenario], None]) -> None:
    from okta.models import AddGroupRequest, OktaUserGroupProfile

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        body = AddGroupRequest(profile=OktaUserGroupProfile(name="QA Team", description="Testers"))
        group = no_error(await client.add_group(body))
        assert no_error(await client.get_group(group.id)).profile.actual_instance.name == "QA Team"
        found = no_error(await client.list_groups(search='profile.name sw "qa"'))
        assert [g.id for g in found] == [group.id]
        assert [g.id for g in no_error(await client.list_groups(q="QA"))] == [group.id]
        renamed = AddGroupRequest(profile=OktaUserGroupProfile(name="QA Guild", description="Testers"))
        no_error(await client.replace_group(group.id, renamed))
        assert reads.get_group(backend, group.id)["profile"]["name"] == "QA Guild"
        alice = login_id(backend, "alice.smith@example.com")
        no_error(await client.assign_user_to_group(group.id, alice))
        assert [u.id for u in no_error(await client.list_group_users(group.id))] == [alice]
        no_error(await client.unassign_user_from_group(group.id, alice))
        no_error(await client.delete_group(group.id))
        assert backend.groups.get(group.id) is None

    sdk(scenario)


def test_apps_through_the_sdk(sdk: Callable[[Scenario], None]) -> None:
    """The catalog app is added with the SDK's request executor: okta-sdk-python's SamlApplication
    drops ``name`` (readOnly in its schema), so a catalog app cannot be named through the typed
    call, against real Okta either. The rest goes through the typed calls."""
    from okta.models import CapabilitiesObject, SamlApplication, UpdateFeatureForApplicationRequest

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        executor = client.get_request_executor()
        body = {"name": "cybozu", "label": "Cybozu Osaka", "signOnMode": "SAML_2_0", "settings": {"app": {"domainName": "osaka"}}}  # fmt: skip
        request, error = await executor.create_request("POST", "/api/v1/apps", body, {})
        assert error is None
        response, _, error = await executor.execute(request)
        assert error is None and response.status == 200
        osaka = next(a for a in apps.list_apps(backend) if a["label"] == "Cybozu Osaka")
        assert (osaka["name"], osaka["settings"]["domainName"]) == ("cybozu", "osaka")
        found = no_error(await client.list_applications(q="Cybozu Os"))
        assert [a.id for a in found] == [osaka["id"]]
        alice = login_id(backend, "alice.smith@example.com")
        assignments.assign_user(backend, osaka["id"], alice, user_name="alice.osaka")
        # (expand=user/{id} is left out: the SDK's ApplicationEmbedded wants every property of the
        # embedded app user to be an object, as its schema says, so it cannot read a real one either)
        assigned = no_error(await client.list_applications(filter=f'user.id eq "{alice}"'))
        assert [a.id for a in assigned] == [osaka["id"]]
        got = no_error(await client.get_application(osaka["id"]))
        assert got.label == "Cybozu Osaka" and got.sign_on_mode.value == "SAML_2_0"
        renamed = SamlApplication.from_dict({"label": "Cybozu Kansai", "signOnMode": "SAML_2_0"})
        no_error(await client.replace_application(osaka["id"], renamed))
        assert apps.get_app(backend, osaka["id"])["label"] == "Cybozu Kansai"
        connection = no_error(await client.get_default_provisioning_connection_for_application(osaka["id"]))
        assert connection.status.value == "DISABLED"
        features = no_error(await client.list_features_for_application(osaka["id"]))
        assert [f.name.value for f in features] == ["USER_PROVISIONING"]
        feature = no_error(await client.get_feature_for_application(osaka["id"], "USER_PROVISIONING"))
        assert feature.status.value == "DISABLED"
        capabilities = CapabilitiesObject.from_dict({"create": {"lifecycleCreate": {"status": "DISABLED"}}})
        request_body = UpdateFeatureForApplicationRequest(actual_instance=capabilities)
        no_error(await client.update_feature_for_application(osaka["id"], "USER_PROVISIONING", request_body))
        assert apps.get_app(backend, osaka["id"])["provisioning"]["toApp"]["create"] is False
        refused = (await client.get_application("0oanothere"))[-1]
        assert refused is not None and "E0000007" in str(refused)

    sdk(scenario)


def test_bad_input_through_the_sdk_is_oktas_error_and_changes_nothing(sdk: Callable[[Scenario], None]) -> None:
    """A duplicate login, an unknown id, a refused transition and a bad search: the SDK gets Okta's
    error (its OktaAPIError carries the code and summary) and the directory is as it was."""
    from okta.models import CreateUserRequest, UserProfile

    async def scenario(client: OktaClient, backend: OktaBackend) -> None:
        def directory() -> Any:  # the token's last use moves with every call: not the directory
            return {name: value for name, value in backend.snapshot().items() if name != "api_tokens"}

        before = directory()
        duplicate = UserProfile.from_dict({"login": "ALICE.smith@example.com", "email": "a@example.com", "firstName": "A", "lastName": "S"})  # fmt: skip
        error = (await client.create_user(CreateUserRequest(profile=duplicate)))[-1]
        assert error is not None and "E0000001" in str(error) and "already exists" in str(error)
        error = (await client.get_user("00unobody"))[-1]
        assert error is not None and "E0000007" in str(error)
        staged = login_id(backend, "alice.smith@example.com")
        error = (await client.unsuspend_user(staged))[-1]
        assert error is not None and "E0000001" in str(error)
        error = (await client.list_users(search='status ne "ACTIVE"'))[-1]
        assert error is not None and "E0000031" in str(error)
        error = (await client.assign_user_to_group("00gnothere", staged))[-1]
        assert error is not None and "E0000007" in str(error)
        assert directory() == before

    sdk(scenario)


def test_the_provisioning_connection_and_a_push_through_the_sdk(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STEP2 with the SDK against a live cybozu_sim: a wrong token is Okta's "Error authenticating",
    the right one enables the connection, and an assignment creates the cybozu.com user."""
    from okta.models import (
        AppUserAssignRequest,
        ProvisioningConnectionTokenRequest,
        UpdateDefaultProvisioningConnectionForApplicationRequest,
    )

    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    app = apps.add_app(pair.okta, "cybozu", domain_name="example")
    person = pair.person("frank@example.com", "Frank", "Ito")
    _, token = api_tokens.create_token(pair.okta, "sdk")

    def connection(value: str) -> UpdateDefaultProvisioningConnectionForApplicationRequest:
        body = ProvisioningConnectionTokenRequest.from_dict({"profile": {"authScheme": "TOKEN", "token": value}})
        return UpdateDefaultProvisioningConnectionForApplicationRequest(actual_instance=body)

    async def scenario() -> None:
        client = OktaClient({"orgUrl": pair.okta_server.url, "token": token})
        refused = (await client.update_default_provisioning_connection_for_application(app["id"], connection("wrong"), activate=True))[-1]  # fmt: skip
        assert refused is not None and "Error authenticating" in str(refused)
        saved = no_error(await client.update_default_provisioning_connection_for_application(app["id"], connection(pair.token), activate=True))  # fmt: skip
        assert saved.status.value == "ENABLED"
        integration.set_provisioning_to_app(pair.okta, app["id"], create=True, update=True, deactivate=True)
        request = AppUserAssignRequest.from_dict({"id": person["id"], "scope": "USER", "credentials": {"userName": "frank@example.com"}})  # fmt: skip
        no_error(await client.assign_user_to_application(app["id"], request))

    run_apart(scenario())
    assert pair.users()["frank@example.com"]["status"] == "Active"
