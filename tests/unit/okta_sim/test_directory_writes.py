"""okta_sim.directory_writes: the profile rules a change must follow, the lifecycle, Okta's DELETE, and membership changes."""

from __future__ import annotations

import pytest

from okta_sim import directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.directory import reads
from okta_sim.errors import Invalid, NotFound
from simcore.clock import LabClock
from tests.conftest import NOW
from tests.unit.okta_sim.conftest import PROFILE, person


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
    with pytest.raises(Invalid, match="Api validation failed: suspendUser"):
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


def test_change_members_adds_and_removes_many_at_once() -> None:
    from okta_sim.backend import OktaBackend

    backend = OktaBackend(clock=LabClock(NOW))
    ids = [directory_writes.create_user(backend, person(i))["id"] for i in range(5)]
    group = directory_writes.create_group(backend, "g")
    directory_writes.change_members(backend, group["id"], [*ids, ids[0]], True)
    assert reads.get_group(backend, group["id"])["members"] == ids
    directory_writes.change_members(backend, group["id"], ids[1:3], False)
    assert reads.get_group(backend, group["id"])["members"] == [ids[0], *ids[3:]]
    with pytest.raises(NotFound):
        directory_writes.change_members(backend, group["id"], ["00u-missing"], True)
