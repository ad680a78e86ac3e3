"""What the scenario engine leans on: okta_sim's bulk seeding endpoint, one-write group
membership, unique-key lookups and copies in the store, and cybozu_sim's lab API
staying reachable under a tenant's IP restriction."""

from __future__ import annotations

import pytest

import okta_sim.app
from okta_sim import directory_writes, syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.errors import NotFound
from simcore.store import Store, plain_copy
from tests.conftest import NOW, Lab


@pytest.fixture
def okta_lab() -> Lab:
    from simcore.clock import LabClock

    return Lab(okta_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True}))


def person(number: int, **extra: str) -> dict[str, str]:
    login = f"p{number}@example.com"
    return {"login": login, "email": login, "firstName": "P", "lastName": str(number), **extra}


def test_people_import_creates_people_and_their_group(okta_lab: Lab) -> None:
    answer = okta_lab.call(
        "POST", "/people", {"people": [person(i) for i in range(50)], "group": "All"}, expect=201
    )
    backend = okta_backend(okta_lab.app)
    group = next(g for g in reads.list_groups(backend) if g["profile"]["name"] == "All")
    assert group["members"] == answer["ids"] and len(answer["ids"]) == 50
    adds = [e for e in syslog.events(backend) if e["eventType"] == "group.user_membership.add"]
    assert len(adds) == 50
    # A second import into the same group adds to it.
    okta_lab.call("POST", "/people", {"people": [person(99)], "group": "All"}, expect=201)
    assert len(reads.get_group(backend, group["id"])["members"]) == 51


def test_people_import_is_all_or_nothing(okta_lab: Lab) -> None:
    bad = [person(1), person(2), person(3, email="not-an-email")]
    answer = okta_lab.call("POST", "/people", {"people": bad, "group": "All"}, expect=400)
    assert (
        answer["error"]
        == "person 3: Api validation failed: profile; email: must be in the form of an email address"
    )
    backend = okta_backend(okta_lab.app)
    assert reads.list_users(backend) == [] and reads.list_groups(backend) == []
    duplicate = okta_lab.call("POST", "/people", {"people": [person(1), person(1)]}, expect=400)
    assert duplicate["error"].startswith("person 2: Api validation failed: login")
    for body in [{}, {"people": []}, {"people": [person(1)], "group": 3}, {"people": "x"}]:
        okta_lab.call("POST", "/people", body, expect=400)


def test_change_members_adds_and_removes_many_at_once() -> None:
    from okta_sim.backend import OktaBackend
    from simcore.clock import LabClock

    backend = OktaBackend(clock=LabClock(NOW))
    ids = [directory_writes.create_user(backend, person(i))["id"] for i in range(5)]
    group = directory_writes.create_group(backend, "g")
    directory_writes.change_members(backend, group["id"], [*ids, ids[0]], True)
    assert reads.get_group(backend, group["id"])["members"] == ids
    directory_writes.change_members(backend, group["id"], ids[1:3], False)
    assert reads.get_group(backend, group["id"])["members"] == [ids[0], *ids[3:]]
    with pytest.raises(NotFound):
        directory_writes.change_members(backend, group["id"], ["00u-missing"], True)


def test_unique_lookup_follows_puts_deletes_and_restores() -> None:
    store = Store()
    users = store.collection("users", unique=lambda u: u["login"].lower())
    users.put({"id": "1", "login": "Alice"})
    assert users.lookup("alice") == {"id": "1", "login": "Alice"}
    users.put({"id": "1", "login": "Alicia"})
    assert users.lookup("alice") is None and users.lookup("alicia")["id"] == "1"  # type: ignore[index]
    snapshot = store.snapshot()
    users.delete("1")
    assert users.lookup("alicia") is None
    store.restore(snapshot)
    assert users.lookup("alicia")["id"] == "1"  # type: ignore[index]


def test_plain_copy_shares_nothing_mutable() -> None:
    original = {"a": [1, {"b": [2]}], "c": "x"}
    copied = plain_copy(original)
    copied["a"][1]["b"].append(3)
    assert copied == {"a": [1, {"b": [2, 3]}], "c": "x"} and original == {"a": [1, {"b": [2]}], "c": "x"}


def test_the_lab_api_is_not_behind_a_tenants_ip_restriction(lab: Lab) -> None:
    lab.tenant("acme")
    lab.call(
        "PUT", "/tenants/acme/ip-restriction", {"enabled": True, "allowed": ["192.0.2.0/24"]}, expect=200
    )
    assert lab.client.get("/acme/scim/v2/Users").status_code == 403  # the tenant's own URLs are restricted
    lab.call("GET", "/tenants/acme/users", expect=200)
    lab.call("PUT", "/tenants/acme/ip-restriction", {"enabled": False, "allowed": []}, expect=200)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"people": [{"login": "x\\ud800@example.com", "email": "x@example.com", "firstName": "X", "lastName": "Y"}]}',
        b'{"people": [{"login": "n@example.com", "email": "n@example.com", "firstName": NaN, "lastName": "Y"}]}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"people": "\xff"}',
    ],
    ids=["lone-surrogate", "NaN", "nested", "not-utf8"],
)
def test_people_import_refuses_what_json_or_the_store_cannot_hold(okta_lab: Lab, raw: bytes) -> None:
    before = okta_backend(okta_lab.app).store.snapshot()
    answer = okta_lab.client.post(
        "/_lab/people", data=raw, content_type="application/json", headers=okta_lab.headers
    )
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert okta_backend(okta_lab.app).store.snapshot() == before
