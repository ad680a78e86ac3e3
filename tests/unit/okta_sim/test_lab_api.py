"""okta_sim.lab_api: the seeding endpoint the scenario engine uses for thousands of people (all or nothing)."""

from __future__ import annotations

import pytest

import okta_sim.app
from okta_sim import syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from tests.conftest import NOW, Lab
from tests.unit.okta_sim.conftest import person


@pytest.fixture
def okta_lab() -> Lab:
    from simcore.clock import LabClock

    return Lab(okta_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True}))




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
