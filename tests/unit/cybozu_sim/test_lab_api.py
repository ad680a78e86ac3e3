"""cybozu_sim.lab_api: the lab's API stays reachable when a tenant restricts IP addresses."""

from __future__ import annotations

from tests.conftest import Lab


def test_the_lab_api_is_not_behind_a_tenants_ip_restriction(lab: Lab) -> None:
    lab.tenant("acme")
    lab.call(
        "PUT", "/tenants/acme/ip-restriction", {"enabled": True, "allowed": ["192.0.2.0/24"]}, expect=200
    )
    assert lab.client.get("/acme/scim/v2/Users").status_code == 403  # the tenant's own URLs are restricted
    lab.call("GET", "/tenants/acme/users", expect=200)
    lab.call("PUT", "/tenants/acme/ip-restriction", {"enabled": False, "allowed": []}, expect=200)
