"""Assignments to people and to groups ([Assign to People], [Assign to Groups], [×] then [OK]):
each change is recorded, logged, and then pushed."""

from __future__ import annotations

from typing import Any

from okta_sim import apps, syslog, usernames
from okta_sim.backend import OktaBackend
from okta_sim.directory import model, reads
from okta_sim.errors import Invalid, NotFound
from okta_sim.provisioning.mapping import check_app_profile, groups_for
from okta_sim.provisioning.queue import request_push, request_pushes
from okta_sim.provisioning.records import (
    app_groups_of_app,
    app_user_key,
    check_user_name,
    get_app_user,
    initial_user_name,
    new_app_user,
)


def assign_user(
    backend: OktaBackend, app_id: str, user_id: str, *, user_name: Any = None, profile: Any = None
) -> dict[str, Any]:
    """[Assign to People] > [Assign] > login name and services > [Save and Go Back]."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        user = reads.get_user(backend, user_id)
        clean = check_app_profile(app, profile)
        existing = backend.app_users.get(app_user_key(app["id"], user["id"]))
        if existing and existing.get("pendingRemoval"):
            existing = None
        name = check_user_name(user_name)
        if existing:
            existing["individual"] = True
            existing["profile"] = clean
            if name is not None:
                existing["userName"] = name
            existing["lastUpdated"] = backend.now()
            backend.app_users.put(existing)
        else:
            backend.app_users.delete(app_user_key(app["id"], user["id"]))
            initial = name if name is not None else initial_user_name(app, user)
            backend.app_users.put(new_app_user(backend, app, user, initial, individual=True, profile=clean))
        syslog.record(
            backend,
            "application.user_membership.add",
            f"Add user {user['profile']['login']} to app {app['label']}",
            targets=[
                syslog.target("User", user["id"], user["profile"]["login"]),
                syslog.app_target(app),
            ],
        )
    return request_push(backend, app["id"], user["id"]) or {}


def update_assignment(
    backend: OktaBackend, app_id: str, user_id: str, *, user_name: Any = None, profile: Any = None
) -> dict[str, Any]:
    """Change an app user's login name or services, and push (a changed login name is pushed as
    "Update application username on" allows)."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = get_app_user(backend, app_id, user_id)
        name = check_user_name(user_name)
        if name is not None:
            app_user["userName"] = name
        if profile is not None:
            app_user["profile"] = check_app_profile(app, profile)
            app_user["individual"] = True
        app_user["lastUpdated"] = backend.now()
        backend.app_users.put(app_user)
    return request_push(backend, app["id"], user_id, provision=True) or {}


def unassign_user(backend: OktaBackend, app_id: str, user_id: str) -> None:
    """People list: [×] then [OK]. A user still in an assigned group stays assigned through it."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = get_app_user(backend, app_id, user_id)
        user = reads.get_user(backend, user_id)
        through_groups = groups_for(backend, app_id, user_id)
        if not app_user["individual"] and through_groups:
            names = ", ".join(
                reads.get_group(backend, ag["group_id"])["profile"]["name"] for ag in through_groups
            )
            raise Invalid(
                f"{model.display_name(user)} is assigned through the group(s) {names}: unassign the group "
                "or remove the person from it."
            )
        if through_groups:  # individually and through groups: the group assignment remains
            app_user["individual"] = False
            app_user["profile"] = {}
        else:
            app_user["pendingRemoval"] = True
        backend.app_users.put(app_user)
        syslog.record(
            backend,
            "application.user_membership.remove",
            f"Remove user {user['profile']['login']} from app {app['label']}",
            targets=[
                syslog.target("User", user["id"], user["profile"]["login"]),
                syslog.app_target(app),
            ],
        )
    request_push(backend, app_id, user_id)


def assign_group(
    backend: OktaBackend, app_id: str, group_id: str, *, profile: Any = None, priority: Any = None
) -> dict[str, Any]:
    """[Assign to Groups] > [Assign] > services > [Save and Go Back]: every member gets the app."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        group = reads.get_group(backend, group_id)
        clean = check_app_profile(app, profile)
        existing = backend.app_groups.get(app_user_key(app_id, group_id))
        others = [ag for ag in app_groups_of_app(backend, app_id) if ag["group_id"] != group_id]
        if priority is None:
            priority = existing["priority"] if existing else len(others)
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 100:
            raise Invalid("Api validation failed: priority", ["priority: must be an integer from 0 to 100"])
        stamp = backend.now()
        app_group = {
            "key": app_user_key(app_id, group_id),
            "app_id": app_id,
            "group_id": group_id,
            "priority": priority,
            "profile": clean,
            "created": existing["created"] if existing else stamp,
            "lastUpdated": stamp,
        }
        backend.app_groups.put(app_group)
        for member in group["members"]:
            ensure_group_app_user(backend, app, member)
        syslog.record(
            backend,
            "application.user_membership.add",
            f"Assign group {group['profile']['name']} to app {app['label']}",
            targets=[
                syslog.target("UserGroup", group["id"], group["profile"]["name"]),
                syslog.app_target(app),
            ],
        )
        members = list(group["members"])
    request_pushes(backend, app_id, members)
    return app_group


def ensure_group_app_user(backend: OktaBackend, app: dict[str, Any], user_id: str) -> None:
    """A group member gets the group's app, unless deactivated (their apps come back on activation)."""
    if reads.get_user(backend, user_id)["status"] == model.DEPROVISIONED:
        return
    key = app_user_key(app["id"], user_id)
    existing = backend.app_users.get(key)
    if existing and not existing.get("pendingRemoval"):
        return
    if existing:  # unassigned but not yet deactivated: assigned again
        existing["pendingRemoval"] = False
        existing["individual"] = False
        backend.app_users.put(existing)
        return
    user = reads.get_user(backend, user_id)
    backend.app_users.put(
        new_app_user(backend, app, user, initial_user_name(app, user), individual=False, profile={})
    )


def unassign_group(backend: OktaBackend, app_id: str, group_id: str) -> None:
    """Groups list: [×] then [OK]. Members not assigned otherwise lose the app."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_group = backend.app_groups.get(app_user_key(app_id, group_id))
        if app_group is None:
            raise NotFound(f"Not found: Resource not found: {group_id} (ApplicationGroupAssignment)")
        backend.app_groups.delete(app_group["key"])
        group = reads.get_group(backend, group_id)
        affected = drop_unassigned_members(backend, app_id, group["members"])
        syslog.record(
            backend,
            "application.user_membership.remove",
            f"Unassign group {group['profile']['name']} from app {app['label']}",
            targets=[
                syslog.target("UserGroup", group["id"], group["profile"]["name"]),
                syslog.app_target(app),
            ],
        )
    request_pushes(backend, app_id, affected)


def drop_unassigned_members(backend: OktaBackend, app_id: str, members: list[str]) -> list[str]:
    affected = []
    for member in members:
        app_user = backend.app_users.get(app_user_key(app_id, member))
        if app_user is None or app_user.get("pendingRemoval"):
            continue
        affected.append(member)
        if not app_user["individual"] and not groups_for(backend, app_id, member):
            app_user["pendingRemoval"] = True
            backend.app_users.put(app_user)
    return affected


def follow_username_format(backend: OktaBackend, app_id: str, user_id: str, before: dict[str, Any]) -> None:
    """"Update application username on: Create and update": an app username that follows the
    format follows a change of the Okta attribute behind it (a username the administrator typed
    stays). The next push sends it; okta-developer-docs, guides/create-an-app-integration."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = backend.app_users.get(app_user_key(app_id, user_id))
        if app_user is None or usernames.update_on(app["signOn"]) != usernames.CREATE_AND_UPDATE:
            return
        user = reads.get_user(backend, user_id)
        sign_on = app["signOn"]
        old, new = (
            usernames.initial_user_name(sign_on["usernameFormat"], sign_on["custom"], profile)
            for profile in (before, user["profile"])
        )
        if not new or new == old or app_user["userName"] != old:
            return
        app_user["userName"] = new
        app_user["lastUpdated"] = backend.now()
        backend.app_users.put(app_user)
        syslog.record(
            backend,
            "application.user_membership.change_username",
            "Change user's application username",
            targets=[
                syslog.target("User", user["id"], user["profile"]["login"]),
                syslog.target("AppUser", user["id"], new),
                syslog.app_target(app),
            ],
        )
