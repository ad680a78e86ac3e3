"""okta_sim.lab_api: the seeding endpoint the scenario engine uses for thousands of people (all or nothing), and deleting an app instance with its assignments and tasks (training's "Reset exercise")."""

from __future__ import annotations

import pytest

from okta_sim import apps, directory_writes, syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments
from tests.conftest import Lab
from tests.unit.okta_sim.conftest import person


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






def test_deleting_an_app_removes_its_assignments_and_tasks(okta_lab: Lab) -> None:
    backend = okta_backend(okta_lab.app)
    alice = directory_writes.create_user(
        backend,
        {"login": "alice@example.com", "email": "alice@example.com", "firstName": "A", "lastName": "S"},
    )
    group = directory_writes.create_group(backend, "cybozu users")
    directory_writes.set_membership(backend, group["id"], alice["id"], True)
    gone = apps.add_app(backend, "cybozu", domain_name="example-t1")
    kept = apps.add_app(backend, "cybozu", domain_name="example-t2")
    for app in (gone, kept):
        assignments.assign_user(backend, app["id"], alice["id"], profile={"kintone": "Enable"})
        assignments.assign_group(backend, app["id"], group["id"], profile={})
    backend.tasks.put(
        {"id": "tsk1", "seq": 1, "key": "k", "app_id": gone["id"], "user_id": alice["id"], "status": "OPEN"}
    )
    backend.tasks.put(
        {"id": "tsk2", "seq": 2, "key": "k2", "app_id": kept["id"], "user_id": alice["id"], "status": "OPEN"}
    )

    okta_lab.call("DELETE", f"/apps/{gone['id']}", expect=204)

    assert [a["id"] for a in apps.list_apps(backend)] == [kept["id"]]
    assert {au["app_id"] for au in backend.app_users.all()} == {kept["id"]}
    assert {ag["app_id"] for ag in backend.app_groups.all()} == {kept["id"]}
    assert [t["id"] for t in backend.tasks.all()] == ["tsk2"]
    assert syslog.events(backend)[-1]["eventType"] == "application.lifecycle.delete"
    # The person and the group stay: the Okta org is shared.
    assert reads.get_user(backend, alice["id"])["id"] == alice["id"]
    assert okta_lab.call("GET", f"/apps/{gone['id']}", expect=404)["error"].startswith("Not found")


def test_deleting_an_unknown_app_is_a_404(okta_lab: Lab) -> None:
    answer = okta_lab.call("DELETE", "/apps/0oanothere", expect=404)
    assert answer["status"] == 404 and "0oanothere" in answer["error"]


def test_the_new_endpoints_need_the_lab_key(cybozu_lab: Lab, okta_lab: Lab) -> None:
    cybozu_lab.tenant("example-t1")
    assert cybozu_lab.client.delete("/_lab/tenants/example-t1").status_code == 403
    assert okta_lab.client.delete("/_lab/apps/x").status_code == 403
    cybozu_lab.call("GET", "/tenants/example-t1", expect=200)
