"""okta_sim.provisioning.assignments: assignments made while provisioning is off, and a person assigned through a group."""

from __future__ import annotations

import pytest

from okta_sim import apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound
from okta_sim.provisioning import assignments, integration, mapping, records
from tests.unit.okta_sim.conftest import PROFILE


def test_assignments_without_provisioning_are_flagged(okta: OktaBackend) -> None:
    app = apps.add_app(okta, "cybozu", domain_name="example")
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"], profile={"kintone": "Enable"})
    assert (
        app_user["note"] == records.ASSIGNED_BEFORE_PROVISIONING and app_user["userName"] == PROFILE["login"]
    )
    with pytest.raises(Invalid):
        assignments.assign_user(okta, app["id"], user["id"], profile={"kintone": "Maybe"})
    with pytest.raises(Invalid, match="Enable API integration before"):
        integration.set_provisioning_to_app(okta, app["id"], create=True, update=False, deactivate=False)
    with pytest.raises(Invalid):
        apps.add_app(okta, "cybozu", domain_name="https://example.cybozu.com/")
    with pytest.raises(NotFound):
        apps.add_app(okta, "nope", domain_name="example")
    assert apps.public(app)["provisioning"] == {
        "enabled": False,
        "toApp": {"create": False, "update": False, "deactivate": False},
        "tokenSet": False,
    }


def test_a_person_assigned_only_through_a_group_cannot_be_unassigned_alone(okta: OktaBackend) -> None:
    app = apps.add_app(okta, "cybozu", domain_name="example")
    user = directory_writes.create_user(okta, PROFILE)
    group = directory_writes.create_group(okta, "Sales")
    directory_writes.set_membership(okta, group["id"], user["id"], True)
    assignments.assign_group(okta, app["id"], group["id"], profile={"kintone": "Enable"})
    with pytest.raises(Invalid, match="Alice Smith is assigned through the group\\(s\\) Sales"):
        assignments.unassign_user(okta, app["id"], user["id"])
    assignments.assign_user(okta, app["id"], user["id"], profile={"garoon": "Enable"})
    assignments.unassign_user(okta, app["id"], user["id"])  # the group assignment remains
    remaining = records.get_app_user(okta, app["id"], user["id"])
    assert remaining["individual"] is False and mapping.effective_profile(okta, app, remaining) == {
        "kintone": "Enable"
    }


def test_assigned_user_ids_list_people_as_the_app_users_are_listed(okta: OktaBackend) -> None:
    """The /api/v1 page reads ids from an index; the order is the full listing's (a frozen clock:
    every assignment in the same millisecond keeps the order it was made in)."""
    app = apps.add_app(okta, "cybozu", domain_name="example")
    people = [
        directory_writes.create_user(okta, {**PROFILE, "login": f"u{n}@example.com", "email": f"u{n}@example.com"})
        for n in (3, 1, 2)
    ]
    for person in people:
        assignments.assign_user(okta, app["id"], person["id"])
    assignments.unassign_user(okta, app["id"], people[1]["id"])  # forgotten at once: never provisioned
    listed = [au["user_id"] for au in records.app_users_of_app(okta, app["id"])]
    assert records.assigned_user_ids(okta, app["id"]) == listed == [people[0]["id"], people[2]["id"]]


def test_a_typed_user_name_is_trimmed_and_at_most_100_characters(okta: OktaBackend) -> None:
    """Okta's Apps API reference: an app user's userName is 1 to 100 characters (issue 17 asked
    for the limit to be documented; it was 128, cybozu.com's own limit, with no Okta source)."""
    app = apps.add_app(okta, "cybozu", domain_name="example")
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"], user_name="  alice@example.com\t")
    assert app_user["userName"] == "alice@example.com"
    longest = "a" * 88 + "@example.com"
    assert len(longest) == records.USER_NAME_MAX == 100
    assert assignments.update_assignment(okta, app["id"], user["id"], user_name=longest)["userName"] == longest
    with pytest.raises(Invalid) as refused:
        assignments.update_assignment(okta, app["id"], user["id"], user_name="a" + longest)
    assert refused.value.causes == ["userName: must be at most 100 characters"]
    assert okta.app_users.get(records.app_user_key(app["id"], user["id"]))["userName"] == longest
