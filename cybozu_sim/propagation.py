"""Propagate Provisioning and the bookkeeping behind the article's limitations.

Mechanisms (documented in docs/cybozu_sim.md):

- Linked users: a user an IdP has written through SCIM (created, or matched
  and updated) is "synced" (annotation ``linked`` on the user).
- Tombstones: deleting a synced user in the console keeps a tombstone
  (id, login name, externalId). While it exists, a SCIM create with that
  login name or externalId is refused (409), so another sync does not
  recreate the user.
- Held users: a user added in the console while Propagate Provisioning is
  enabled (annotation ``held``) is invisible to the IdP (the ``userName eq`` lookup does not find
  it, so the IdP's create collides with it: 409).
- Disabling, then enabling Propagate Provisioning clears both: the next sync
  recreates deleted users and matches held ones.
- While Propagate Provisioning is disabled, the SCIM endpoint refuses user
  operations with 403 (discovery still answers).
"""

from __future__ import annotations

from cybozu_sim.backend import Backend
from cybozu_sim.tenants import Tenant, Tombstone, get_tenant, save_tenant
from simcore.clock import isoformat

PROPAGATION_DISABLED = (
    'Propagate Provisioning is disabled for this cybozu.com environment. Set "Propagate '
    'Provisioning" to "Enabled" in cybozu.com Administration > Provisioning.'
)


LINKED = "linked"
HELD = "held"


def set_propagate(backend: Backend, subdomain: str, enabled: bool) -> Tenant:
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        if enabled and not tenant.propagate:
            tenant.tombstones.clear()
            backend.user_storage(subdomain).clear_annotation(HELD)
        tenant.propagate = enabled
        save_tenant(backend, tenant)
        return tenant


def console_user_annotations(tenant: Tenant) -> dict[str, bool]:
    """The annotations of a user added in the console: held from the IdP while propagation is on."""
    return {HELD: True} if tenant.propagate else {}


def note_deleted_user(
    backend: Backend, subdomain: str, *, user_id: str, login: str, external_id: str | None, linked: bool
) -> None:
    """Called after a console deletion: a synced user leaves a tombstone."""
    if not linked:
        return
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        tenant.tombstones.append(Tombstone(user_id, login, external_id, isoformat(backend.clock.now())))
        save_tenant(backend, tenant)


def tombstone_for(tenant: Tenant, user_name: str | None, external_id: str | None) -> Tombstone | None:
    for stone in tenant.tombstones:
        if stone.user_name == user_name or (external_id and stone.external_id == external_id):
            return stone
    return None


def recreate_refused(stone: Tombstone) -> str:
    return (
        f'The user "{stone.user_name}" was deleted from cybozu.com after it was synced, so it is '
        'not recreated by another sync. To recreate it, set "Propagate Provisioning" to '
        '"Disabled" once, then to "Enabled" again, and sync again.'
    )


def held_conflict(login: str) -> str:
    return (
        f'The login name "{login}" belongs to a user that was added in cybozu.com after '
        '"Propagate Provisioning" was enabled, so the IdP cannot link it. Set "Propagate '
        'Provisioning" to "Disabled" once, then to "Enabled" again, and sync again.'
    )
