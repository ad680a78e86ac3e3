"""One push: bring cybozu.com in line with Okta for one app user.

A push runs on one of the org's workers (okta_sim.provisioning.queue), or in
the request that caused it with ``PUSH_MODE = "inline"``. Every push goes
through :func:`sync`, which compares what Okta says (assignment, Okta status,
mapped profile) with what it last pushed, and sends only the difference,
within the "Provisioning to App" toggles. Failures leave the app user in
ERROR with a task an administrator can retry.

The store is held while deciding and while recording an outcome, never while
a request is on the wire: one app user is pushed by one thread at a time,
and everything else stays responsive however slow cybozu.com answers.
"""

from __future__ import annotations

from typing import Any

from okta_sim import apps, usernames
from okta_sim.backend import OktaBackend
from okta_sim.directory import reads
from okta_sim.provisioning.integration import client
from okta_sim.provisioning.mapping import mapped, merged, scim_body, should_be_active
from okta_sim.provisioning.outcomes import done, fail, resolve_task, save_push
from okta_sim.provisioning.records import (
    ASSIGNED_BEFORE_PROVISIONING,
    DISABLED,
    ERROR,
    OUT_OF_SYNC,
    app_user_key,
)
from okta_sim.provisioning.scim_client import ScimFailure


def sync(
    backend: OktaBackend, app_id: str, user_id: str, *, provision: bool = False
) -> dict[str, Any] | None:
    """Bring cybozu.com in line with Okta for one app user; return the app user (None once removed).

    ``provision`` is the explicit "Provision User" action (and Force Sync):
    it provisions a user assigned while provisioning was off.
    """
    if backend.store.in_transaction():
        # Called inside a caller's unit of work (seeding people into an assigned group): it already
        # holds the store, and a person who did not exist a moment ago has no push in flight.
        return _sync(backend, app_id, user_id, provision)
    with backend.push_lock(app_user_key(app_id, user_id)):
        return _sync(backend, app_id, user_id, provision)


def _sync(backend: OktaBackend, app_id: str, user_id: str, provision: bool) -> dict[str, Any] | None:
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = backend.app_users.get(app_user_key(app_id, user_id))
        if app_user is None:
            return None
        user = reads.get_user(backend, user_id)
        settings = app["provisioning"]
        toggles = settings["toApp"]
        if not settings["enabled"] or app["status"] != apps.ACTIVE:
            # Nothing is sent: an unassignment is forgotten at once.
            if app_user.get("pendingRemoval"):
                backend.app_users.delete(app_user["key"])
                return None
            if app["status"] != apps.ACTIVE:  # an inactive app pushes nothing, and marks nothing (inference)
                return app_user
            app_user["syncState"] = DISABLED
            if not app_user.get("externalId"):
                app_user["note"] = ASSIGNED_BEFORE_PROVISIONING
            backend.app_users.put(app_user)
            return app_user

        active = should_be_active(user)
        if not app_user.get("pendingRemoval"):
            if not app_user.get("externalId") and (
                not active
                or not toggles["create"]
                or (app_user.get("note") == ASSIGNED_BEFORE_PROVISIONING and not provision)
            ):
                return app_user
            values = mapped(backend, app, user, app_user)

    # What to send was decided on a consistent view; the requests go out without holding the
    # store, so the rest of Okta (console, API, other pushes) is not frozen by a slow cybozu.com.
    if app_user.get("pendingRemoval"):
        return _deprovision_removed(backend, app, user, app_user)
    if not app_user.get("externalId"):
        return _create(backend, app, user, app_user, values)

    pushed = app_user.get("pushed") or {}
    try:
        with client(backend, app, login=user["profile"]["login"]) as scim:
            if active != pushed.get("active", True) and toggles["deactivate"]:
                scim.set_active(app_user["externalId"], active)
                pushed["active"] = active
                app_user["status"] = "PROVISIONED" if active else "DEPROVISIONED"
                app_user["pushed"] = pushed
                done(backend, app, user, app_user, "reactivate" if active else "deactivate")
            # A failed push is sent again (retry, or the next change) even if the values are back to
            # what was last pushed: Okta retries the failed task, so the app user leaves ERROR.
            failed_before = app_user.get("syncState") == ERROR
            if active and (values != pushed.get("values") or failed_before):
                if not toggles["update"]:
                    app_user["syncState"] = OUT_OF_SYNC
                    with backend.store.transaction():
                        save_push(backend, app_user)
                    return app_user
                remote = scim.get(app_user["externalId"])
                scim.replace(app_user["externalId"], merged(remote, user, values, active=True))
                app_user["pushed"] = {"values": values, "active": True}
                done(backend, app, user, app_user, "update")
    except ScimFailure as failure:
        operation = (
            "update" if active == pushed.get("active", True) else ("reactivate" if active else "deactivate")
        )
        fail(backend, app, user, app_user, operation, failure.describe())
    return backend.app_users.get(app_user["key"])


def _create(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    values: dict[str, Any],
) -> dict[str, Any]:
    """Okta's create: look the login name up, match an existing user or POST a new one."""
    if not app_user["userName"]:
        fail(backend, app, user, app_user, "create", usernames.BLANK, step="blank")
        return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
    try:
        with client(backend, app, login=user["profile"]["login"]) as scim:
            try:
                found = scim.find(app_user["userName"])
            except ScimFailure as failure:
                fail(backend, app, user, app_user, "create", failure.describe(), step="verify")
                return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
            if found:
                remote = scim.get(found["id"])
                scim.replace(found["id"], merged(remote, user, values, active=True))
                external_id = found["id"]
            else:
                body = scim_body(user, values, active=True)
                body["password"] = backend.entropy.token_urlsafe(18, key="password")
                created = scim.create(body)
                if not created.get("id"):
                    raise ScimFailure("Create new user returned empty user.")
                external_id = created["id"]
    except ScimFailure as failure:
        fail(backend, app, user, app_user, "create", failure.describe() if failure.status else failure.reason)
        return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
    app_user.update(
        externalId=external_id, status="PROVISIONED", note=None, pushed={"values": values, "active": True}
    )
    done(backend, app, user, app_user, "create")
    return backend.app_users.get(app_user["key"])  # type: ignore[return-value]


def _deprovision_removed(
    backend: OktaBackend, app: dict[str, Any], user: dict[str, Any], app_user: dict[str, Any]
) -> None:
    """An unassigned user: deactivate it in cybozu.com (if allowed), then forget the app user."""
    toggles = app["provisioning"]["toApp"]
    if (
        app_user.get("externalId")
        and toggles["deactivate"]
        and (app_user.get("pushed") or {}).get("active", True)
    ):
        try:
            with client(backend, app, login=user["profile"]["login"]) as scim:
                scim.set_active(app_user["externalId"], False)
        except ScimFailure as failure:
            if failure.status == 404:  # already gone from cybozu.com: nothing left to deactivate
                return _forget(backend, app_user)
            fail(backend, app, user, app_user, "deactivate", failure.describe())
            return None
        # Recorded even though the app user is about to be forgotten: if it was assigned again
        # while this request was on the wire, it stays, and the next push must reactivate it.
        app_user["pushed"] = {**(app_user.get("pushed") or {}), "active": False}
        app_user["status"] = "DEPROVISIONED"
        done(backend, app, user, app_user, "deactivate")
    return _forget(backend, app_user)


def _forget(backend: OktaBackend, app_user: dict[str, Any]) -> None:
    """Drop an unassigned app user, unless it was assigned again while it was being deactivated."""
    with backend.store.transaction():
        current = backend.app_users.get(app_user["key"])
        if current is not None and current.get("pendingRemoval"):
            resolve_task(backend, app_user["key"])
            backend.app_users.delete(app_user["key"])
    return None
