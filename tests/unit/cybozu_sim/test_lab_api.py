"""cybozu_sim.lab_api: the lab's API stays reachable when a tenant restricts IP addresses, and an environment can be deleted whole (training's "Reset exercise")."""

from __future__ import annotations

from cybozu_sim import accounts
from cybozu_sim.backend import get_backend as cybozu_backend
from tests.conftest import Lab


def test_the_lab_api_is_not_behind_a_tenants_ip_restriction(lab: Lab) -> None:
    lab.tenant("acme")
    lab.call(
        "PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": ["192.0.2.0/24"]}, expect=200
    )
    assert lab.client.get("/acme/scim/v2/Users").status_code == 403  # the tenant's own URLs are restricted
    lab.call("GET", "/tenants/acme/users", expect=200)
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_all"}, expect=200)




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
