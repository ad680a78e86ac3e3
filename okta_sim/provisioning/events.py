"""The engine's reactions to directory events: directory_writes calls these after a profile or
status change, a membership change, or a deletion, so every way of changing the directory
pushes the same way."""

from __future__ import annotations

from typing import Any

from okta_sim import apps
from okta_sim.backend import OktaBackend
from okta_sim.directory import reads
from okta_sim.provisioning.assignments import (
    drop_unassigned_members,
    ensure_group_app_user,
    follow_username_format,
    unassign_group,
)
from okta_sim.provisioning.queue import request_push


def user_changed(backend: OktaBackend, user_id: str, before: dict[str, Any] | None = None) -> None:
    """A profile or status change: push it to every app the user has. ``before`` is the profile
    before a profile change: an app username that follows the format follows it."""
    for app_user in backend.app_users.find(lambda au: au["user_id"] == user_id):
        if before is not None:
            follow_username_format(backend, app_user["app_id"], user_id, before)
        request_push(backend, app_user["app_id"], user_id)


def user_deactivated(backend: OktaBackend, user_id: str) -> None:
    """Deactivation removes every app assignment (help.okta.com, "Deactivate and delete user
    accounts"; the Users API: "The user is deprovisioned from all assigned applications"): each
    app user is deprovisioned (PATCH active false, if Deactivate Users is on) and forgotten, as an
    unassignment is."""
    for app_user in backend.app_users.find(lambda au: au["user_id"] == user_id):
        with backend.store.transaction():
            current = backend.app_users.get(app_user["key"])
            if current is None:
                continue
            current.update(pendingRemoval=True, individual=False, profile={})
            backend.app_users.put(current)
        request_push(backend, app_user["app_id"], user_id)


def user_reactivated(backend: OktaBackend, user_id: str) -> None:
    """Activation of a deactivated person gives back the apps of the groups they are still in
    (the lifecycle guide, "lcm-deprovision-user": previous app integrations are reassigned);
    individual assignments are not restored: Okta's SCIM CRUD test assigns the user again after
    reactivating (okta-developer-docs, Okta-SCIM-20-CRUD-Test.json)."""
    for app_group in backend.app_groups.all():
        with backend.store.transaction():
            if user_id not in reads.get_group(backend, app_group["group_id"])["members"]:
                continue
            ensure_group_app_user(backend, apps.get_app(backend, app_group["app_id"]), user_id)
        request_push(backend, app_group["app_id"], user_id)


def membership_changed(backend: OktaBackend, group_id: str, user_id: str) -> None:
    for app_group in backend.app_groups.find(lambda ag: ag["group_id"] == group_id):
        app = apps.get_app(backend, app_group["app_id"])
        with backend.store.transaction():
            group = reads.get_group(backend, group_id)
            if user_id in group["members"]:
                ensure_group_app_user(backend, app, user_id)
            else:
                drop_unassigned_members(backend, app["id"], [user_id])
        request_push(backend, app["id"], user_id)


def group_deleted(backend: OktaBackend, group_id: str) -> None:
    for app_group in backend.app_groups.find(lambda ag: ag["group_id"] == group_id):
        unassign_group(backend, app_group["app_id"], group_id)


def user_deleted(backend: OktaBackend, user_id: str) -> None:
    for app_user in backend.app_users.find(lambda au: au["user_id"] == user_id):
        backend.app_users.delete(app_user["key"])
