"""Every flow of the article, okta_sim -> cybozu_sim over real HTTP (driven through okta_sim's domain)."""

from __future__ import annotations

from collections import deque

import httpx2
import pytest

from okta_sim import apps, directory_writes
from okta_sim.errors import Invalid
from okta_sim.provisioning import actions, assignments, integration, outcomes, records
from simcore.control import LAB_KEY_HEADER
from tests.integration.conftest import Pair

pytestmark = pytest.mark.integration


def test_assign_person_creates_the_user_with_okta_requests(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    app_user = assignments.assign_user(
        pair.okta, app["id"], alice["id"], profile={"kintone": "Enable", "garoon": "Enable"}
    )
    assert app_user["status"] == "PROVISIONED" and app_user["syncState"] == "SYNCHRONIZED"
    user = pair.users()["alice@example.com"]
    assert (user["display"], user["surname"], user["given"], user["email"]) == (
        "Alice Smith",
        "Smith",
        "Alice",
        "alice@example.com",
    )
    assert user["services"] == {"kintone": True, "garoon": True} and user["external_id"] == alice["id"]
    assert app_user["externalId"] == user["id"]
    wire = [e for e in pair.okta.exchanges if e["app_id"] == app["id"]]
    assert [(e["method"], e["path"].split("?")[0], e["status"]) for e in wire[-2:]] == [
        ("GET", "/Users", 200),
        ("POST", "/Users", 201),
    ]
    assert "userName+eq+%22alice%40example.com%22" in wire[-2]["path"]
    assert (
        wire[-1]["request"]["password"] == "********" and wire[-1]["source"] in pair.okta.egress.addresses()
    )


def test_test_api_credentials_and_the_ip_restriction_error(pair: Pair) -> None:
    app = apps.add_app(pair.okta, "cybozu", domain_name="example")
    ok = integration.test_credentials(pair.okta, app, pair.token)
    assert ok.ok and ok.message == "Cybozu (cybozu.com) was verified successfully!"
    wrong = integration.test_credentials(pair.okta, app, "x" * 40)
    assert (
        wrong.message
        == "Error authenticating: Unauthorized. Errors reported by remote server: The API token is invalid."
    )
    pair.cybozu.call(
        "PUT", "/tenants/example/ip-restriction", {"mode": "allow_specific", "entries": ["127.0.0.1"]}, expect=200
    )
    blocked = integration.test_credentials(pair.okta, app, pair.token)
    assert blocked.message.startswith(
        "Error authenticating: Forbidden. Errors reported by remote server: Invalid JSON: Unexpected character"
    )
    with pytest.raises(Exception, match="Invalid JSON: Unexpected character"):
        integration.configure_api_integration(pair.okta, app["id"], enabled=True, token=pair.token)


def test_egress_rotation_breaks_an_allowlist_of_okta_ips(pair: Pair) -> None:
    app = pair.cybozu_app()
    allowed = ["127.0.0.1", *pair.okta.egress.addresses()]
    pair.cybozu.call(
        "PUT", "/tenants/example/ip-restriction", {"mode": "allow_specific", "entries": allowed}, expect=200
    )
    assert integration.test_credentials(pair.okta, app, pair.token).ok
    pair.okta.egress.rotate()
    assert "Invalid JSON" in integration.test_credentials(pair.okta, app, pair.token).message


def test_profile_update_deactivate_and_reactivate(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    directory_writes.update_user(pair.okta, alice["id"], {"lastName": "Liddell", "displayName": "Alice L."})
    user = pair.users()["alice@example.com"]
    assert (user["surname"], user["display"]) == ("Liddell", "Alice L.")
    directory_writes.change_status(pair.okta, alice["id"], "deactivate")
    assert pair.users()["alice@example.com"]["status"] == "Inactive"
    assert pair.okta.app_users.get(records.app_user_key(app["id"], alice["id"])) is None
    # The reactivation path a script takes (Okta's SCIM CRUD test): activate, then assign again.
    directory_writes.change_status(pair.okta, alice["id"], "activate")
    assert pair.users()["alice@example.com"]["status"] == "Inactive"
    reassigned = assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assert (reassigned["status"], reassigned["externalId"]) == ("PROVISIONED", pair.users()["alice@example.com"]["id"])
    assert pair.users()["alice@example.com"]["status"] == "Active"


def test_unassign_deactivates_and_reassign_reactivates(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assignments.unassign_user(pair.okta, app["id"], alice["id"])
    assert pair.users()["alice@example.com"]["status"] == "Inactive"
    assert records.app_users_of_app(pair.okta, app["id"]) == []
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assert pair.users()["alice@example.com"]["status"] == "Active"


def test_group_assignment_membership_and_priority(pair: Pair) -> None:
    app = pair.cybozu_app()
    apps.set_username_format(pair.okta, app["id"], "email_prefix")
    sales = directory_writes.create_group(pair.okta, "Sales")
    support = directory_writes.create_group(pair.okta, "Support")
    bob, carol = (
        pair.person("bob@example.com", "Bob", "Jones"),
        pair.person("carol@example.com", "Carol", "White"),
    )
    directory_writes.set_membership(pair.okta, sales["id"], bob["id"], True)
    assignments.assign_group(pair.okta, app["id"], sales["id"], profile={"kintone": "Enable"}, priority=1)
    assert pair.users()["bob"]["services"] == {"kintone": True}
    directory_writes.set_membership(pair.okta, sales["id"], carol["id"], True)  # joins later: provisioned
    assert pair.users()["carol"]["status"] == "Active"
    directory_writes.set_membership(pair.okta, support["id"], bob["id"], True)
    assignments.assign_group(pair.okta, app["id"], support["id"], profile={"garoon": "Enable"}, priority=0)
    assert pair.users()["bob"]["services"] == {
        "kintone": True,
        "garoon": True,
    }  # higher priority group wins; kintone kept
    directory_writes.set_membership(pair.okta, sales["id"], carol["id"], False)  # leaves: deactivated
    assert pair.users()["carol"]["status"] == "Inactive"
    assignments.unassign_group(pair.okta, app["id"], support["id"])
    assert pair.users()["bob"]["status"] == "Active"  # still assigned through Sales


def test_none_username_format_fails_group_assignment_until_fixed(pair: Pair) -> None:
    app = pair.cybozu_app()
    apps.set_username_format(pair.okta, app["id"], "none")
    group = directory_writes.create_group(pair.okta, "Sales")
    bob = pair.person("bob@example.com", "Bob", "Jones")
    directory_writes.set_membership(pair.okta, group["id"], bob["id"], True)
    assignments.assign_group(pair.okta, app["id"], group["id"], profile={"kintone": "Enable"})
    app_user = records.get_app_user(pair.okta, app["id"], bob["id"])
    assert app_user["syncState"] == "ERROR"
    (task,) = outcomes.list_tasks(pair.okta)
    assert task["message"] == (
        "Automatic provisioning of user Bob Jones to app Cybozu (cybozu.com) failed: "
        "Blank is an invalid value for userName field"
    )
    assignments.update_assignment(pair.okta, app["id"], bob["id"], user_name="bob")  # Save Assignment and Retry
    assert "bob" in pair.users() and outcomes.list_tasks(pair.okta) == []


def test_matching_a_user_already_in_cybozu(pair: Pair) -> None:
    pair.cybozu.call("PUT", "/tenants/example/propagate-provisioning", {"enabled": False}, expect=200)
    pair.cybozu.call(
        "POST", "/tenants/example/users", {"login": "alice@example.com", "display": "Old Name"}, expect=201
    )
    pair.cybozu.call("PUT", "/tenants/example/propagate-provisioning", {"enabled": True}, expect=200)
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    users = [u for u in pair.cybozu.users("example") if u["login"] == "alice@example.com"]
    assert len(users) == 1 and users[0]["display"] == "Alice Smith" and users[0]["linked"]


def test_a_user_deleted_in_cybozu_is_not_recreated_until_propagation_is_toggled(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    pair.cybozu.call(
        "DELETE", f"/tenants/example/users/{pair.users()['alice@example.com']['id']}", expect=204
    )
    assignments.unassign_user(pair.okta, app["id"], alice["id"])  # nothing left to deactivate: done
    assert outcomes.list_tasks(pair.okta) == []
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    (task,) = outcomes.list_tasks(pair.okta)
    assert (
        "Error while creating user alice@example.com: Conflict. Errors reported by remote server: The user"
        in task["message"]
    )
    assert "alice@example.com" not in pair.users()
    pair.cybozu.call("PUT", "/tenants/example/propagate-provisioning", {"enabled": False}, expect=200)
    pair.cybozu.call("PUT", "/tenants/example/propagate-provisioning", {"enabled": True}, expect=200)
    actions.retry_tasks(pair.okta, [task["id"]])
    assert pair.users()["alice@example.com"]["status"] == "Active" and outcomes.list_tasks(pair.okta) == []


def test_a_new_login_name_is_pushed_and_cybozu_refuses_it(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    changed = assignments.update_assignment(pair.okta, app["id"], alice["id"], user_name="alice2")
    assert (changed["userName"], changed["syncState"]) == ("alice2", "ERROR")
    assert "Login names of synced users cannot be updated" in changed["lastError"]
    assert "alice2" not in pair.users() and "alice@example.com" in pair.users()


def test_turn_off_changes_while_off_restart_and_force_sync(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    integration.configure_api_integration(pair.okta, app["id"], enabled=False)
    directory_writes.update_user(pair.okta, alice["id"], {"lastName": "Changed"})
    bob = pair.person("bob@example.com", "Bob", "Jones")
    assigned_while_off = assignments.assign_user(pair.okta, app["id"], bob["id"], profile={"kintone": "Enable"})
    assert assigned_while_off["note"] == records.ASSIGNED_BEFORE_PROVISIONING
    assert pair.users()["alice@example.com"]["surname"] == "Smith" and "bob@example.com" not in pair.users()
    # Restarting: enable the integration, then Provisioning to App again (it was reset)
    app = integration.configure_api_integration(pair.okta, app["id"], enabled=True)
    assert app["provisioning"]["toApp"] == {"create": False, "update": False, "deactivate": False}
    integration.set_provisioning_to_app(pair.okta, app["id"], create=True, update=True, deactivate=True)
    assert pair.users()["alice@example.com"]["surname"] == "Smith"  # re-enabling pushes nothing by itself
    before = len(pair.okta.exchanges)
    counts = actions.force_sync(pair.okta, app["id"])
    assert counts == 2
    assert pair.users()["alice@example.com"]["surname"] == "Changed" and "bob@example.com" in pair.users()
    pushed = len(pair.okta.exchanges) - before
    actions.force_sync(pair.okta, app["id"])
    assert len(pair.okta.exchanges) - before == pushed  # nothing changed: nothing sent


def test_deleted_service_attribute_is_no_longer_pushed_and_restart_restores_it(pair: Pair) -> None:
    app = pair.cybozu_app()
    apps.delete_attribute(pair.okta, app["id"], "office")
    with pytest.raises(Invalid) as refused:
        assignments.assign_user(
            pair.okta, app["id"], pair.person("x@example.com")["id"], profile={"office": "Enable"}
        )
    assert refused.value.causes == ["office: Property name 'office' is not defined in the app user profile"]
    integration.configure_api_integration(pair.okta, app["id"], enabled=False)
    app = integration.configure_api_integration(pair.okta, app["id"], enabled=True)
    assert "office" in app["attributes"]


def test_unlicensed_service_fails_with_cybozus_message(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"office": "Enable"})
    (task,) = outcomes.list_tasks(pair.okta)
    assert task["message"].endswith(
        'Bad Request. Errors reported by remote server: The service "Cybozu Office" (office) is not licensed for this '
        "cybozu.com environment (example). Delete its attribute in the IdP or leave it unset."
    )


def test_rate_limit_is_retried_after_retry_after(pair: Pair) -> None:
    app = pair.cybozu_app()
    pair.cybozu.call(
        "POST",
        "/faults",
        {"path": "/scim/v2/Users$", "method": "POST", "status": 429, "retry_after": 1, "times": 1},
        expect=201,
    )
    alice = pair.person("alice@example.com")
    app_user = assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assert app_user["status"] == "PROVISIONED"
    statuses = [e["status"] for e in pair.okta.exchanges if e["method"] == "POST"]
    assert statuses[-2:] == [429, 201]
    from okta_sim import syslog

    assert any(
        e["eventType"] == "application.integration.rate_limit_exceeded" for e in syslog.events(pair.okta)
    )


def test_a_revoked_token_fails_the_lookup_with_okta_text(pair: Pair) -> None:
    app = pair.cybozu_app()
    token_id = pair.cybozu.call("GET", "/tenants/example")["tokens"][0]["id"]
    pair.cybozu.call("PUT", f"/tenants/example/tokens/{token_id}", {"enabled": False}, expect=200)
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    (task,) = outcomes.list_tasks(pair.okta)
    assert task["message"] == (
        "Automatic provisioning of user Alice Smith to app Cybozu (cybozu.com) failed: Error while verifying "
        "if user alice@example.com exists: Unauthorized. Errors reported by remote server: The API token is disabled."
    )
    pair.cybozu.call("PUT", f"/tenants/example/tokens/{token_id}", {"enabled": True}, expect=200)
    (retried,) = actions.retry_tasks(pair.okta, [task["id"]])
    assert retried["status"] == "RESOLVED" and "alice@example.com" in pair.users()


def test_an_unreachable_cybozu_gives_a_connection_failure(pair: Pair) -> None:
    app = pair.cybozu_app()
    pair.okta.scim_url_template = "http://127.0.0.1:9/{domain}/scim/v2"  # discard port: nothing listens
    outcome = integration.test_credentials(pair.okta, app, pair.token)
    assert outcome.message.startswith(
        "Error authenticating: Connection failed. Errors reported by remote server: could not connect to"
    )


def test_service_changes_are_pushed(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assignments.update_assignment(
        pair.okta, app["id"], alice["id"], profile={"kintone": "Disable", "garoon": "Enable"}
    )
    assert pair.users()["alice@example.com"]["services"] == {"kintone": False, "garoon": True}


def test_the_lab_counts_every_request_sent_beyond_the_wire_log(pair: Pair) -> None:
    app = pair.cybozu_app()
    headers = {LAB_KEY_HEADER: pair.okta_app.config["LAB_KEY"]}

    def total() -> int:
        return int(httpx2.get(pair.okta_server.url + "/_lab/exchanges/total", headers=headers).json()["total"])

    before = total()  # [Test API Credentials] sent one
    pair.okta.exchanges = deque(maxlen=3)  # the real log keeps 5,000; a bulk push sends far more
    for number in range(3):
        person = pair.person(f"p{number}@example.com")
        assignments.assign_user(pair.okta, app["id"], person["id"], profile={"kintone": "Enable"})
    assert (before, len(pair.okta.exchanges), total() - before) == (1, 3, 6)  # lookup + create each


@pytest.mark.parametrize("update_on", ["create_and_update", "create_only"])
def test_update_application_username_on_decides_whether_a_new_email_is_pushed(pair: Pair, update_on: str) -> None:
    app = pair.cybozu_app()
    apps.set_username_format(pair.okta, app["id"], "email", update_on=update_on)
    alice = pair.person("alice@example.com")
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    directory_writes.update_user(pair.okta, alice["id"], {"email": "alice.new@example.com"})
    app_user = records.get_app_user(pair.okta, app["id"], alice["id"])
    put = [e for e in pair.okta.exchanges if e["method"] == "PUT"][-1]
    if update_on == "create_and_update":
        # The username follows the email, is pushed, and cybozu.com refuses to rename a synced user.
        assert (app_user["userName"], app_user["syncState"]) == ("alice.new@example.com", "ERROR")
        assert (put["request"]["userName"], put["status"]) == ("alice.new@example.com", 400)
        (task,) = outcomes.list_tasks(pair.okta)
        assert task["message"].startswith(
            "Automatic profile push of user Alice Smith to app Cybozu (cybozu.com) failed: Error while trying "
            "to push profile update for alice.new@example.com: Bad Request. Errors reported by remote server: "
            'Login names of synced users cannot be updated (login name "alice@example.com").'
        )
        assert pair.users()["alice@example.com"]["email"] == "alice@example.com"
    else:
        # Create only: the username stays what it was created with; the new email goes through.
        assert (app_user["userName"], app_user["syncState"]) == ("alice@example.com", "SYNCHRONIZED")
        assert (put["request"]["userName"], put["status"]) == ("alice@example.com", 200)
        assert pair.users()["alice@example.com"]["email"] == "alice.new@example.com"
        assert outcomes.list_tasks(pair.okta) == []


def test_suspend_pushes_nothing_and_deactivation_removes_the_assignments(pair: Pair) -> None:
    app = pair.cybozu_app()
    alice = pair.person("alice@example.com")
    bob = pair.person("bob@example.com", "Bob", "Jones")
    group = directory_writes.create_group(pair.okta, "Sales")
    directory_writes.set_membership(pair.okta, group["id"], bob["id"], True)
    assignments.assign_user(pair.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assignments.assign_group(pair.okta, app["id"], group["id"], profile={"kintone": "Enable"})
    sent = len(pair.okta.exchanges)
    directory_writes.change_status(pair.okta, alice["id"], "suspend")
    directory_writes.change_status(pair.okta, alice["id"], "unsuspend")
    assert len(pair.okta.exchanges) == sent and pair.users()["alice@example.com"]["status"] == "Active"
    for person in (alice, bob):
        directory_writes.change_status(pair.okta, person["id"], "deactivate")
        assert pair.okta.app_users.get(records.app_user_key(app["id"], person["id"])) is None
    assert [pair.users()[login]["status"] for login in ("alice@example.com", "bob@example.com")] == [
        "Inactive",
        "Inactive",
    ]
    # Activation gives back the group's app (and reactivates the account), not Alice's own assignment.
    for person in (alice, bob):
        directory_writes.change_status(pair.okta, person["id"], "activate")
    assert pair.okta.app_users.get(records.app_user_key(app["id"], alice["id"])) is None
    assert records.get_app_user(pair.okta, app["id"], bob["id"])["syncState"] == "SYNCHRONIZED"
    assert pair.users()["bob@example.com"]["status"] == "Active"
    assert pair.users()["alice@example.com"]["status"] == "Inactive"
