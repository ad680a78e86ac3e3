"""okta_sim's domain without sockets: username formats, egress pools, SCIM client texts, directory rules."""

from __future__ import annotations

import pytest

from okta_sim import apps, directory_writes, usernames
from okta_sim.backend import Egress, OktaBackend
from okta_sim.directory import reads
from okta_sim.errors import Invalid, NotFound
from okta_sim.provisioning import assignments, integration, mapping, records
from okta_sim.provisioning.scim_client import ScimFailure, filter_user_name, json_complaint, masked
from simcore.clock import LabClock
from tests.conftest import NOW

PROFILE = {
    "login": "alice.smith@example.com",
    "email": "Alice.Smith@Mail.example.com",
    "firstName": "Alice",
    "lastName": "Smith",
}


@pytest.fixture
def okta() -> OktaBackend:
    return OktaBackend(clock=LabClock(NOW))


@pytest.mark.parametrize(
    ("fmt", "custom", "expected"),
    [
        ("okta_username", None, "alice.smith@example.com"),
        ("okta_username_prefix", None, "alice.smith"),
        ("email", None, "Alice.Smith@Mail.example.com"),
        ("email_prefix", None, "Alice.Smith"),
        ("custom", 'String.toLowerCase(user.firstName + "." + user.lastName)', "alice.smith"),
        ("custom", 'String.substringBefore(user.login, "@")', "alice.smith"),
        ("none", None, ""),
    ],
)
def test_each_username_format(fmt: str, custom: str | None, expected: str) -> None:
    usernames.check_format(fmt, custom)
    assert usernames.initial_user_name(fmt, custom, PROFILE) == expected


def test_username_format_labels_follow_the_article() -> None:
    labels = [label for label, _ in usernames.FORMATS.values()]
    assert labels == ["Custom", "Email", "Email Prefix", "Okta username", "Okta username prefix", "(None)"]


@pytest.mark.parametrize(
    ("fmt", "custom", "message"),
    [
        ("custom", "", "Enter an Okta Expression Language expression"),
        ("custom", "user.login +", "Invalid expression"),
        ("custom", "String.nope(user.login)", 'Unknown function "String.nope"'),
        ("fancy", None, "Unknown application username format"),
    ],
)
def test_bad_username_formats_are_refused_at_save(fmt: str, custom: str | None, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        usernames.check_format(fmt, custom)


def test_a_custom_expression_that_yields_nothing_gives_a_blank_name() -> None:
    assert usernames.initial_user_name("custom", "user.nickName", PROFILE) == ""


def test_egress_round_robin_and_rotation() -> None:
    egress = Egress(pools=[["127.0.0.11", "127.0.0.12"], ["127.0.0.21"]])
    assert [egress.next_address() for _ in range(3)] == ["127.0.0.11", "127.0.0.12", "127.0.0.11"]
    assert egress.rotate() == ["127.0.0.21"] and egress.next_address() == "127.0.0.21"
    assert egress.rotate() == ["127.0.0.11", "127.0.0.12"]
    assert Egress(bind=False).next_address() is None


def test_okta_error_texts() -> None:
    assert json_complaint("<!doctype html>").startswith("Invalid JSON: Unexpected character ('<' (code 60))")
    assert json_complaint("<!doctype html>").endswith("at line: 1, column: 2")
    assert json_complaint("\n\n  oops").endswith("at line: 3, column: 4")
    assert json_complaint("") == "Invalid JSON: No content to map due to end-of-input"
    failure = ScimFailure("Conflict", 'The login name "a" is already in use.', 409)
    assert (
        failure.describe()
        == 'Conflict. Errors reported by remote server: The login name "a" is already in use.'
    )
    assert ScimFailure("Read timed out").describe() == "Read timed out"
    assert filter_user_name('a"b\\c') == 'userName eq "a\\"b\\\\c"'
    assert masked({"userName": "a", "password": "secret"}) == {"userName": "a", "password": "********"}


def test_directory_rules(okta: OktaBackend) -> None:
    user = directory_writes.create_user(okta, PROFILE)
    with pytest.raises(Invalid) as clash:
        directory_writes.create_user(okta, {**PROFILE, "login": "ALICE.SMITH@example.com"})
    assert clash.value.causes == [
        "login: An object with this field already exists in the current organization"
    ]
    with pytest.raises(Invalid) as missing:
        directory_writes.create_user(okta, {"login": "bob@example.com", "email": "not-an-email"})
    assert "firstName: The field cannot be left blank" in missing.value.causes
    assert "email: must be in the form of an email address" in missing.value.causes
    with pytest.raises(Invalid):
        directory_writes.create_user(okta, {**PROFILE, "login": "x@example.com", "shoeSize": "42"})
    with pytest.raises(Invalid, match="Cannot suspend a user whose status is STAGED"):
        directory_writes.change_status(
            okta,
            directory_writes.create_user(okta, {**PROFILE, "login": "s@example.com"}, activate=False)["id"],
            "suspend",
        )
    assert reads.get_user(okta, "ALICE.smith@example.com")["id"] == user["id"]
    assert directory_writes.delete_user(okta, user["id"]) is False  # first DELETE deactivates
    assert reads.get_user(okta, user["id"])["status"] == "DEPROVISIONED"
    assert directory_writes.delete_user(okta, user["id"]) is True
    with pytest.raises(NotFound):
        reads.get_user(okta, user["id"])


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


def test_only_the_cybozu_app_can_be_added(okta: OktaBackend) -> None:
    with pytest.raises(Invalid, match="The lab models only the Cybozu"):
        apps.add_app(okta, "slack", domain_name="example")


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


def test_the_mapping_table_the_console_shows_is_what_mapped_pushes(okta: OktaBackend) -> None:
    app = apps.add_app(okta, "cybozu", domain_name="example")
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"], profile={"kintone": "Enable"})
    pushed = mapping.mapped(okta, app, user, app_user)
    assert [name for name, _, _ in mapping.ATTRIBUTE_MAPPINGS] == [k for k in pushed if k != "services"]
