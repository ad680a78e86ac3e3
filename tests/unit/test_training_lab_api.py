"""The lab control endpoints training mode adds: deleting a cybozu.com environment and an
Okta app instance, so that "Reset exercise" can put a run back to its start."""

from __future__ import annotations

import pytest

import cybozu_sim.app
import okta_sim.app
from cybozu_sim import accounts
from cybozu_sim.backend import get_backend as cybozu_backend
from okta_sim import apps, directory_writes, syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments
from simcore.clock import LabClock
from tests.conftest import NOW, Lab


@pytest.fixture
def cybozu_lab() -> Lab:
    return Lab(cybozu_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True}))


@pytest.fixture
def okta_lab() -> Lab:
    return Lab(okta_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True}))


def test_deleting_a_tenant_removes_it_with_its_users_and_tokens(cybozu_lab: Lab) -> None:
    cybozu_lab.tenant("example-t1")
    cybozu_lab.tenant("example-t2")
    cybozu_lab.token("example-t1", notes="Okta")
    cybozu_lab.call(
        "POST",
        "/tenants/example-t1/users",
        {"login": "sato", "display": "Sato", "password": "pw-12345"},
        expect=201,
    )
    cybozu_lab.call("DELETE", "/tenants/example-t1", expect=204)
    assert cybozu_lab.call("GET", "/tenants/example-t1", expect=404)["error"]
    assert [t["subdomain"] for t in cybozu_lab.call("GET", "/tenants", expect=200)] == ["example-t2"]
    # The subdomain can be created afresh: no users, no tokens, no log ins left over.
    created = cybozu_lab.tenant("example-t1")
    assert created["tokens"] == [] and created["users"] == 1  # its new administrator only
    assert [u["login"] for u in cybozu_lab.users("example-t1")] == ["Administrator"]
    backend = cybozu_backend(cybozu_lab.app)
    assert accounts.get_account(backend, "example-t1", "sato") is None
    assert accounts.get_account(backend, "example-t1", "Administrator") is not None
    # The other environment is untouched.
    assert [u["login"] for u in cybozu_lab.users("example-t2")] == ["Administrator"]


def test_deleting_an_unknown_tenant_is_a_404(cybozu_lab: Lab) -> None:
    answer = cybozu_lab.call("DELETE", "/tenants/nowhere", expect=404)
    assert answer == {"error": "There is no cybozu.com environment 'nowhere'.", "status": 404}


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
