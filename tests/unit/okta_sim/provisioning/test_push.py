"""The push's decisions, without a cybozu.com: what provisioning.push.sync does before (and
instead of) sending anything, and that it tries to send when Okta would.

The SCIM exchanges themselves are tested end to end in tests/integration/test_okta_provisioning.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from okta_sim import apps, directory_writes, syslog, usernames
from okta_sim.backend import OktaBackend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, outcomes, push, records
from simcore.clock import LabClock
from tests.conftest import NOW

# Nothing listens on the discard port: a request that is sent fails at once, and says so.
NOWHERE = "http://127.0.0.1:9/{domain}/scim/v2"
PROFILE = {"login": "alice@example.com", "email": "alice@example.com", "firstName": "Alice", "lastName": "Smith"}


@pytest.fixture
def okta() -> OktaBackend:
    return OktaBackend(clock=LabClock(NOW), scim_url_template=NOWHERE, scim_timeout=2.0)


def app_with(okta: OktaBackend, *, enabled: bool, create: bool = True, fmt: str | None = None) -> dict[str, Any]:
    """An app whose Provisioning settings are set directly (saving them through the console
    tests the credentials against a cybozu.com, which this test has none of)."""
    app = apps.add_app(okta, "cybozu", domain_name="example")
    if fmt is not None:
        app = apps.set_username_format(okta, app["id"], fmt)
    app["provisioning"] = {
        "enabled": enabled,
        "token": "t" if enabled else None,
        "toApp": {"create": create and enabled, "update": enabled, "deactivate": enabled},
    }
    okta.apps.put(app)
    return app


def test_with_the_integration_off_nothing_is_sent_and_the_app_user_says_why(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=False)
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"])
    assert app_user["syncState"] == records.DISABLED
    assert app_user["note"] == records.ASSIGNED_BEFORE_PROVISIONING
    assert list(okta.exchanges) == []


def test_an_unassignment_while_the_integration_is_off_forgets_the_app_user(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=False)
    user = directory_writes.create_user(okta, PROFILE)
    assignments.assign_user(okta, app["id"], user["id"])
    assignments.unassign_user(okta, app["id"], user["id"])
    assert okta.app_users.get(records.app_user_key(app["id"], user["id"])) is None
    assert list(okta.exchanges) == []


def test_without_create_users_a_new_assignment_waits(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=True, create=False)
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"])
    assert app_user["syncState"] == records.OUT_OF_SYNC and app_user["externalId"] is None
    assert list(okta.exchanges) == []


def test_a_deactivated_person_is_not_created(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=True)
    user = directory_writes.create_user(okta, PROFILE, activate=False)
    directory_writes.change_status(okta, user["id"], "activate")
    directory_writes.change_status(okta, user["id"], "deactivate")
    app_user = assignments.assign_user(okta, app["id"], user["id"])
    assert app_user["externalId"] is None and list(okta.exchanges) == []


def test_a_blank_user_name_fails_before_any_request_with_oktas_text(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=True, fmt="none")
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"])
    expected = f"Automatic provisioning of user Alice Smith to app {app['label']} failed: {usernames.BLANK}"
    assert app_user["syncState"] == records.ERROR and app_user["lastError"] == expected
    [task] = outcomes.list_tasks(okta)
    assert (task["operation"], task["message"]) == ("create", expected)
    assert list(okta.exchanges) == []
    # The System Log as Okta writes it: the catalog's description, the text as the outcome's reason.
    [event] = [e for e in syslog.events(okta) if e["eventType"].startswith("application.provision.user")]
    assert (event["eventType"], event["displayMessage"], event["outcome"], event["severity"]) == (
        "application.provision.user.push",
        "Push new user to external application",
        {"result": "FAILURE", "reason": expected},
        "ERROR",
    )
    assert event["transaction"]["type"] == "JOB"
    assert [(t["type"], t["alternateId"]) for t in event["target"]] == [
        ("User", "alice@example.com"),
        ("AppUser", ""),
        ("AppInstance", app["label"]),
    ]


def test_assigned_before_provisioning_is_pushed_only_when_asked(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=False)
    user = directory_writes.create_user(okta, PROFILE)
    assignments.assign_user(okta, app["id"], user["id"])
    app_with_provisioning = {**apps.get_app(okta, app["id"])}
    app_with_provisioning["provisioning"] = {
        "enabled": True,
        "token": "t",
        "toApp": {"create": True, "update": True, "deactivate": True},
    }
    okta.apps.put(app_with_provisioning)
    waiting = push.sync(okta, app["id"], user["id"])
    assert waiting is not None and waiting["externalId"] is None and list(okta.exchanges) == []
    tried = push.sync(okta, app["id"], user["id"], provision=True)  # "Provision User" / Force Sync
    assert tried is not None and tried["syncState"] == records.ERROR
    assert "Error while verifying if user alice@example.com exists: Connection failed" in tried["lastError"]
    [lookup] = list(okta.exchanges)
    assert (lookup["method"], lookup["status"]) == ("GET", None)
    assert lookup["path"].startswith("/Users?filter=userName+eq")


def test_a_removed_person_is_gone_from_every_app(okta: OktaBackend) -> None:
    app = app_with(okta, enabled=False)
    user = directory_writes.create_user(okta, PROFILE)
    assignments.assign_user(okta, app["id"], user["id"])
    directory_writes.change_status(okta, user["id"], "deactivate")
    assert directory_writes.delete_user(okta, user["id"]) is True
    assert records.app_users_of_app(okta, app["id"], include_pending=True) == []
    assert reads.list_users(okta) == []
