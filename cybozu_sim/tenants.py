"""cybozu.com environments ("tenants"), one per subdomain: https://{subdomain}.cybozu.com/.

A tenant holds its service licences, its Propagate Provisioning setting, its
access control (IP address restriction, Basic authentication), and the provisioning bookkeeping that explains the
article's limitations (see propagation.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tinydb import TinyDB, where

from cybozu_sim.backend import Backend
from cybozu_sim.basic_auth import BasicAuth
from cybozu_sim.errors import Conflict, Invalid, NotFound
from cybozu_sim.ip_restriction import IpRestriction
from cybozu_sim.licenses import parse_licenses
from simcore.store import plain_copy

TABLE = "tenants"
SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$")
RESERVED = {"static", "www", "api", "store"}  # paths of the lab's own server (store: the cybozu.com Store)


@dataclass
class Tombstone:
    """What cybozu keeps of a synced user an administrator deleted."""

    id: str
    user_name: str
    external_id: str | None
    deleted_at: str


@dataclass
class Tenant:
    subdomain: str
    name: str
    licenses: dict[str, int]
    propagate: bool = False
    ip: IpRestriction = field(default_factory=IpRestriction)
    basic: BasicAuth = field(default_factory=BasicAuth)
    tombstones: list[Tombstone] = field(default_factory=list)

    def to_doc(self) -> dict[str, Any]:
        return {
            "subdomain": self.subdomain,
            "name": self.name,
            "licenses": self.licenses,
            "propagate": self.propagate,
            "ip": self.ip.to_dict(),
            "basic": self.basic.to_dict(),
            "tombstones": [vars(t) for t in self.tombstones],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Tenant:
        return cls(
            subdomain=doc["subdomain"],
            name=doc["name"],
            licenses=dict(doc["licenses"]),
            propagate=bool(doc["propagate"]),
            ip=IpRestriction.from_dict(doc.get("ip") or {}),
            basic=BasicAuth.from_dict(doc.get("basic") or {}),
            tombstones=[Tombstone(**t) for t in doc.get("tombstones") or ()],
        )


def check_subdomain(subdomain: object) -> str:
    if not isinstance(subdomain, str) or not SUBDOMAIN.match(subdomain):
        raise Invalid(
            "A subdomain has 3 to 32 characters: lowercase letters, digits and hyphens, "
            "not starting or ending with a hyphen."
        )
    if subdomain in RESERVED:
        raise Invalid(f"The subdomain {subdomain!r} is reserved.")
    return subdomain


def create_tenant(backend: Backend, subdomain: str, *, licenses: object, name: str | None = None) -> Tenant:
    """Create an empty environment; administrators are added with accounts.add_account."""
    check_subdomain(subdomain)
    tenant = Tenant(subdomain=subdomain, name=name or subdomain, licenses=parse_licenses(licenses))
    with backend.store.transaction() as db:
        table = db.table(TABLE)
        if table.contains(where("subdomain") == subdomain):
            raise Conflict(f"The subdomain {subdomain!r} is already in use.")
        table.insert(tenant.to_doc())
    return tenant


def get_tenant(backend: Backend, subdomain: str) -> Tenant:
    # Every request to a tenant (the IP gate, then its SCIM endpoint or console) reads it: from a
    # map rebuilt when the table changes, not a TinyDB scan per request (bench/README.md, W1).
    doc = backend.store.cached(TABLE, _by_subdomain).get(subdomain)
    if doc is None:
        raise NotFound(f"There is no cybozu.com environment {subdomain!r}.")
    return Tenant.from_doc(plain_copy(doc))


def _by_subdomain(db: TinyDB) -> dict[str, dict[str, Any]]:
    return {doc["subdomain"]: plain_copy(dict(doc)) for doc in db.table(TABLE)}


def find_tenant(backend: Backend, subdomain: str) -> Tenant | None:
    try:
        return get_tenant(backend, subdomain)
    except NotFound:
        return None


def list_tenants(backend: Backend) -> list[Tenant]:
    with backend.store.transaction() as db:
        return [Tenant.from_doc(doc) for doc in db.table(TABLE).all()]


def save_tenant(backend: Backend, tenant: Tenant) -> None:
    with backend.store.transaction() as db:
        db.table(TABLE).update(tenant.to_doc(), where("subdomain") == tenant.subdomain)
