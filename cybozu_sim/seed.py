"""The demo environment `lab up` creates in a new data folder, and tenant creation for the lab."""

from __future__ import annotations

from collections.abc import Mapping

from cybozu_sim import users
from cybozu_sim.backend import Backend
from cybozu_sim.tenants import Tenant, create_tenant
from simcore import passwords

DEMO_SUBDOMAIN = "example"
DEMO_LICENSES = {"kintone": 50, "garoon": 50}
ADMIN_LOGIN = "Administrator"
DEFAULT_ADMIN_PASSWORD = passwords.documented_default(
    "cybozu-lab-admin",
    "scrypt:32768:8:1$ydQibkCHQx52Yavw$2be9b5346e73ccc762c61a42a8044da1c653c66df9852eae7f9710e536b66c59a4d9"
    "c3ec36ed5f66190e2b1a66e910b176720d38f0280d3becef76505e505cb1",
)
DEMO_USER_LOGIN = "sato"
DEFAULT_USER_PASSWORD = passwords.documented_default(
    "cybozu-lab-user",
    "scrypt:32768:8:1$ZMQG09GGpuzoekxS$07e609d763fd9e64e5073c7dda9235487ccf7605596be7adafbffd3009ba2e2bd9d9"
    "ad2ac81d7af879844fdc55edfca6e9562401a93979db3383449efc6d842f",
)


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
