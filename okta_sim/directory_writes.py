"""Changing the Okta directory: people (with their lifecycle) and groups.

Every change that matters to an application (profile, status, group
membership) is handed to the provisioning engine's directory events, so the
console, /api/v1 and scenarios trigger the same pushes. The directory's
reads and rules are the okta_sim.directory package, which the engine imports.
"""

from __future__ import annotations

from typing import Any

from okta_sim import ids, syslog
from okta_sim.backend import OktaBackend
from okta_sim.directory import model
from okta_sim.directory.model import ACTIVE, DEPROVISIONED, LIFECYCLE, LOCKED_OUT, PROVISIONED, STAGED
from okta_sim.directory.reads import get_group, get_user
from okta_sim.errors import Invalid, NotFound
from okta_sim.provisioning import events

# -- people -----------------------------------------------------------------


def create_user(
    backend: OktaBackend,
    profile: Any,
    *,
    activate: bool = True,
    password: Any = None,
    set_by_user: bool = False,
) -> dict[str, Any]:
    """Okta's createUser. Activated with a password (or by an admin's console, whose password the
    lab does not ask for) the person is ACTIVE; activated without one ("set by user") they are
    PROVISIONED until they finish activation. The password is checked, never kept."""
    with backend.store.transaction():
        clean = model.check_profile(backend, profile)
        if password is not None:
            model.check_password(password, clean)
        stamp = backend.now()
        status = (PROVISIONED if set_by_user and password is None else ACTIVE) if activate else STAGED
        credentials: dict[str, Any] = {"provider": {"type": "OKTA", "name": "OKTA"}}
        if password is not None:
            credentials = {"password": {}, **credentials}
        user = {
            "id": ids.new_id(backend.entropy, ids.USER, str(clean["login"]).lower()),
            "status": status,
            "created": stamp,
            "activated": stamp if activate else None,
            "statusChanged": stamp if activate else None,
            "lastLogin": None,
            "lastUpdated": stamp,
            "passwordChanged": stamp if password is not None else None,
            "type": {"id": "oty_default"},
            "profile": clean,
            "credentials": credentials,
        }
        backend.users.put(user)
        syslog.record(
            backend,
            "user.lifecycle.create",
            f"Create Okta user {clean['login']}",
            targets=[syslog.target("User", user["id"], clean["login"])],
        )
        return user


def update_user(backend: OktaBackend, user_id: str, profile: Any, *, partial: bool = True) -> dict[str, Any]:
    """Change a profile (partial: merge; else replace) and push the change to applications."""
    with backend.store.transaction():
        user = get_user(backend, user_id)
        if not isinstance(profile, dict):
            raise Invalid("profile must be an object")
        merged = {**user["profile"], **profile} if partial else dict(profile)
        clean = model.check_profile(backend, merged, user_id=user["id"])
        if clean == user["profile"]:
            return user
        before = user["profile"]
        user["profile"] = clean
        user["lastUpdated"] = backend.now()
        backend.users.put(user)
        syslog.record(
            backend,
            "user.account.update_profile",
            f"Update profile for user {clean['login']}",
            targets=[syslog.target("User", user["id"], clean["login"])],
        )
    events.user_changed(backend, user["id"], before)
    return get_user(backend, user["id"])


def change_status(backend: OktaBackend, user_id: str, action: str) -> dict[str, Any]:
    if action not in LIFECYCLE:
        raise NotFound(f"Not found: Resource not found: {action} (lifecycle operation)")
    allowed, target, event = LIFECYCLE[action]
    with backend.store.transaction():
        user = get_user(backend, user_id)
        if action == "unlock" and user["status"] == ACTIVE:
            return user  # not blocked from unknown devices either: the lab models no devices
        if user["status"] not in allowed:
            raise model.refusal(action, user["status"])
        previous = user["status"]
        if action == "activate":
            user["activated"] = backend.now()
        set_status(
            backend, user, target, event, f"{action.capitalize()} Okta user {user['profile']['login']}"
        )
    if target == DEPROVISIONED:
        events.user_deactivated(backend, user["id"])
    elif previous == DEPROVISIONED:
        events.user_reactivated(backend, user["id"])
    events.user_changed(backend, user["id"])
    return get_user(backend, user["id"])


def set_status(backend: OktaBackend, user: dict[str, Any], status: str, event: str, message: str) -> None:
    stamp = backend.now()
    user["status"] = status
    user["statusChanged"] = stamp
    user["lastUpdated"] = stamp
    backend.users.put(user)
    syslog.record(
        backend, event, message, targets=[syslog.target("User", user["id"], user["profile"]["login"])]
    )


def lock_out(backend: OktaBackend, user_id: str) -> dict[str, Any]:
    """What too many failed sign-ins do to an active person (the lab's stand-in: /_lab, scenarios).
    Okta pushes nothing: the app assignments stay as they are."""
    with backend.store.transaction():
        user = get_user(backend, user_id)
        if user["status"] != ACTIVE:
            raise Invalid(
                f"Only an active person can be locked out; {user['profile']['login']} is {user['status']}."
            )
        set_status(
            backend,
            user,
            LOCKED_OUT,
            model.LOCKED_EVENT,
            f"Auto-lock user account for Okta {user['profile']['login']}",
        )
        return user


def delete_user(backend: OktaBackend, user_id: str) -> bool:
    """Okta's DELETE: deactivates an active user first; deletes a deactivated one. Returns True if deleted."""
    user = get_user(backend, user_id)
    if user["status"] != DEPROVISIONED:
        change_status(backend, user["id"], "deactivate")
        return False
    with backend.store.transaction():
        for group in backend.groups.all():
            if user["id"] in group["members"]:
                group["members"].remove(user["id"])
                backend.groups.put(group)
        events.user_deleted(backend, user["id"])
        backend.users.delete(user["id"])
        syslog.record(
            backend,
            "user.lifecycle.delete.completed",
            f"Delete Okta user {user['profile']['login']}",
            targets=[syslog.target("User", user["id"], user["profile"]["login"])],
        )
    return True


# -- groups -----------------------------------------------------------------


def create_group(backend: OktaBackend, name: Any, description: Any = "") -> dict[str, Any]:
    with backend.store.transaction():
        name, description = model.check_group_profile(backend, name, description)
        stamp = backend.now()
        group = {
            "id": ids.new_id(backend.entropy, ids.GROUP, name),
            "created": stamp,
            "lastUpdated": stamp,
            "lastMembershipUpdated": stamp,
            "type": "OKTA_GROUP",
            "profile": {"name": name, "description": description},
            "members": [],
        }
        backend.groups.put(group)
        syslog.record(
            backend,
            "group.lifecycle.create",
            f"Create Okta group {name}",
            targets=[syslog.target("UserGroup", group["id"], name)],
        )
        return group


def update_group(backend: OktaBackend, group_id: str, name: Any, description: Any = "") -> dict[str, Any]:
    with backend.store.transaction():
        group = get_group(backend, group_id)
        name, description = model.check_group_profile(backend, name, description, group_id=group["id"])
        group["profile"] = {"name": name, "description": description}
        group["lastUpdated"] = backend.now()
        backend.groups.put(group)
        syslog.record(
            backend,
            "group.profile.update",
            f"Update Okta group {name}",
            targets=[syslog.target("UserGroup", group["id"], name)],
        )
        return group


def set_membership(backend: OktaBackend, group_id: str, user_id: str, member: bool) -> None:
    change_members(backend, group_id, [user_id], member)


def change_members(backend: OktaBackend, group_id: str, user_ids: list[str], member: bool) -> None:
    """Add (or remove) people in one write of the group: a bulk import must not copy a
    large group once per member. Each change is logged and provisioned as Okta does."""
    with backend.store.transaction():
        group = get_group(backend, group_id)
        present = set(group["members"])
        users = [get_user(backend, user_id) for user_id in dict.fromkeys(user_ids)]
        changed = [user for user in users if (user["id"] in present) != member]
        if not changed:
            return
        if member:
            group["members"].extend(user["id"] for user in changed)
        else:
            gone = {user["id"] for user in changed}
            group["members"] = [m for m in group["members"] if m not in gone]
        group["lastMembershipUpdated"] = backend.now()
        backend.groups.put(group)
        event = "group.user_membership.add" if member else "group.user_membership.remove"
        verb = "Add user to group membership" if member else "Remove user from group membership"
        for user in changed:
            syslog.record(
                backend,
                event,
                verb,
                targets=[
                    syslog.target("User", user["id"], user["profile"]["login"]),
                    syslog.target("UserGroup", group["id"], group["profile"]["name"]),
                ],
            )
    for user in changed:
        events.membership_changed(backend, group["id"], user["id"])


def delete_group(backend: OktaBackend, group_id: str) -> None:
    group = get_group(backend, group_id)
    events.group_deleted(backend, group["id"])
    with backend.store.transaction():
        backend.groups.delete(group["id"])
        syslog.record(
            backend,
            "group.lifecycle.delete",
            f"Delete Okta group {group['profile']['name']}",
            targets=[syslog.target("UserGroup", group["id"], group["profile"]["name"])],
        )
