"""Asking for a push. Okta queues provisioning: the request that caused it returns at once and
a worker pushes a moment later (okta_sim.jobs). ``PUSH_MODE = "inline"`` (``lab up
--inline-pushes``) pushes inside the request instead, as the lab did before; queued is the
default because that is what a real org does, so a scenario that passes here waits for pushes
the way a script against Okta must."""

from __future__ import annotations

from typing import Any

from okta_sim.backend import OktaBackend
from okta_sim.provisioning.push import sync
from okta_sim.provisioning.records import app_user_key

QUEUED, INLINE = "queued", "inline"
MODES = (QUEUED, INLINE)


def request_push(
    backend: OktaBackend, app_id: str, user_id: str, *, provision: bool = False
) -> dict[str, Any] | None:
    """Push one app user (queued, or now); return the app user as it stands (None once removed).

    ``provision`` is the explicit "Provision User" (Force Sync, Retry): it provisions a user
    assigned while provisioning was off."""
    if backend.push_mode == INLINE:
        return sync(backend, app_id, user_id, provision=provision)
    install(backend)
    key = app_user_key(app_id, user_id)
    backend.jobs.enqueue(key, {"app_id": app_id, "user_id": user_id, "provision": provision}, _merge)
    return backend.app_users.get(key)


def request_pushes(backend: OktaBackend, app_id: str, user_ids: list[str], *, provision: bool = False) -> None:
    """Push many app users (a group assignment, Force Sync): queued in one write of the store."""
    if backend.push_mode == INLINE:
        for user_id in user_ids:
            sync(backend, app_id, user_id, provision=provision)
        return
    with backend.store.transaction():
        for user_id in user_ids:
            request_push(backend, app_id, user_id, provision=provision)


def install(backend: OktaBackend) -> None:
    """Give the org's queue its worker's job (the app factory calls this, so that jobs stored
    before a restart are pushed without waiting for a new request)."""
    if backend.jobs.runner is None:
        backend.jobs.runner = lambda job: _run(backend, job)
        backend.jobs.reload()


def settle(backend: OktaBackend, timeout: float) -> bool:
    """Wait until nothing is queued or being pushed; False if ``timeout`` passed first."""
    return backend.jobs.wait_idle(timeout)


def _merge(waiting: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {**new, "provision": bool(waiting.get("provision") or new["provision"])}


def _run(backend: OktaBackend, job: dict[str, Any]) -> None:
    # What the push draws (its System Log events' ids, the password it sends) is keyed by its app
    # user, whom no other worker pushes meanwhile: a seeded org draws the same whatever the timing.
    with backend.entropy.scope(job["key"]):
        sync(backend, job["app_id"], job["user_id"], provision=job["provision"])
