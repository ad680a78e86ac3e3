"""The demo environment `lab up` creates in a new data folder, and tenant creation for the lab."""

from __future__ import annotations

from collections.abc import Mapping

from cybozu_sim import users
from cybozu_sim.backend import Backend
from cybozu_sim.tenants import Tenant, create_tenant

DEMO_SUBDOMAIN = "example"
DEMO_LICENSES = {"kintone": 50, "garoon": 50}
ADMIN_LOGIN = "Administrator"
DEFAULT_ADMIN_PASSWORD = "cybozu-lab-admin"
DEMO_USER_LOGIN = "sato"
DEFAULT_USER_PASSWORD = "cybozu-lab-user"


def create_environment(
    backend: Backend,
    subdomain: str,
    *,
    licenses: Mapping[str, int],
    name: str | None = None,
    admin_password: str = DEFAULT_ADMIN_PASSWORD,
) -> Tenant:
    """A new environment with its administrator (Users & System Administrators)."""
    with backend.store.transaction():
        tenant = create_tenant(backend, subdomain, licenses=licenses, name=name)
        users.add_user(
            backend,
            subdomain,
            login=ADMIN_LOGIN,
            display="Administrator",
            services=list(tenant.licenses),
            password=admin_password,
            administrator=True,
        )
        return tenant


def seed_demo(backend: Backend) -> Tenant:
    """Tenant `example` (kintone and Garoon), its administrator and one ordinary user."""
    with backend.store.transaction():
        tenant = create_environment(backend, DEMO_SUBDOMAIN, licenses=DEMO_LICENSES, name="Example Corp.")
        users.add_user(
            backend,
            DEMO_SUBDOMAIN,
            login=DEMO_USER_LOGIN,
            display="Sato Hanako",
            surname="Sato",
            given="Hanako",
            email="sato@example.com",
            services=["kintone"],
            password=DEFAULT_USER_PASSWORD,
        )
        return tenant
