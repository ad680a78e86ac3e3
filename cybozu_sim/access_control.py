"""A domain's access control: IP address restrictions and Basic authentication together.

The cybozu.com Store's "Security & Authentication" tab sets both; the console,
the lab API and the gate in front of every tenant URL call these functions, so
one rule decides what a request from a given address gets.
"""

from __future__ import annotations

from enum import Enum

from cybozu_sim import basic_auth, ip_csv, ip_restriction
from cybozu_sim.backend import Backend
from cybozu_sim.ip_restriction import Entry
from cybozu_sim.tenants import Tenant, get_tenant, save_tenant


class Verdict(Enum):
    ADMITTED = "admitted"
    CHALLENGED = "challenged"  # 401: Basic authentication asks for the shared user name and password
    DENIED = "denied"  # 403: the HTML "access denied" page


def verdict(tenant: Tenant, address: str | None, authorization: str | None) -> Verdict:
    """What a request from ``address`` with this Authorization header gets, before the login page."""
    if ip_restriction.allows(tenant.ip, address):
        return Verdict.ADMITTED
    if not tenant.basic.enabled:
        return Verdict.DENIED
    return Verdict.ADMITTED if basic_auth.accepts(tenant.basic, authorization) else Verdict.CHALLENGED


def set_ip_restriction(backend: Backend, subdomain: str, mode: object, entries: list[Entry]) -> Tenant:
    """Save the mode and the list. Basic authentication is left as it is: under "Allow all" no
    address is outside the restriction, so it is never asked (inference)."""
    setting = ip_restriction.restriction(mode, entries)
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        tenant.ip = setting
        save_tenant(backend, tenant)
    return tenant


def import_csv(backend: Backend, subdomain: str, data: bytes) -> Tenant:
    """Replace the list with a CSV file's rows and allow only them; a bad file changes nothing."""
    return set_ip_restriction(backend, subdomain, ip_restriction.ALLOW_SPECIFIC, ip_csv.read_csv(data))


def set_basic_auth(
    backend: Backend, subdomain: str, *, enabled: bool, user: str, password: str | None
) -> Tenant:
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        tenant.basic = basic_auth.configure(
            tenant.basic, enabled=enabled, user=user, password=password, restricted=tenant.ip.restricts
        )
        save_tenant(backend, tenant)
    return tenant
