"""The Okta directory: people (with their lifecycle) and groups.

Every change that matters to an application (profile, status, group
membership) is handed to the provisioning engine, so the console, /api/v1
and scenarios trigger the same pushes.
"""

from __future__ import annotations

import re
from typing import Any

import okta_sim.provisioning as provisioning
from okta_sim import ids, syslog
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound

PROFILE_FIELDS = (
    "login", "email", "firstName", "lastName", "displayName", "locale", "secondEmail", "nickName",
    "title", "department", "employeeNumber", "mobilePhone", "middleName", "honorificPrefix",
    "honorificSuffix", "profileUrl", "preferredLanguage", "userType", "organization", "division",
    "costCenter", "manager", "city", "state", "countryCode", "zipCode", "streetAddress", "timezone",
)  # fmt: skip
REQUIRED = ("login", "email", "firstName", "lastName")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MAX_LENGTH = 100

ACTIVE, STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED = (
    "ACTIVE", "STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED",
)  # fmt: skip

# action -> (allowed from, to, System Log event)
LIFECYCLE = {
    "activate": ({STAGED, DEPROVISIONED}, ACTIVE, "user.lifecycle.activate"),
    "reactivate": ({PROVISIONED}, ACTIVE, "user.lifecycle.reactivate"),
    "deactivate": ({STAGED, PROVISIONED, ACTIVE, SUSPENDED}, DEPROVISIONED, "user.lifecycle.deactivate"),
    "suspend": ({ACTIVE}, SUSPENDED, "user.lifecycle.suspend"),
    "unsuspend": ({SUSPENDED}, ACTIVE, "user.lifecycle.unsuspend"),
}


def display_name(user: dict[str, Any]) -> str:
    profile = user["profile"]
    return (
        profile.get("displayName") or f"{profile.get('firstName', '')} {profile.get('lastName', '')}".strip()
    )


def check_profile(backend: OktaBackend, profile: Any, *, user_id: str | None = None) -> dict[str, Any]:
    """Validate a full profile; return it with only known, non-empty fields."""
    if not isinstance(profile, dict):
        raise Invalid("profile must be an object")
    unknown = sorted(set(profile) - set(PROFILE_FIELDS))
    if unknown:
        raise Invalid(
            "Api validation failed: profile",
            [f"{name}: Property name '{name}' is not defined in the user profile" for name in unknown],
        )
    causes = []
    for name in REQUIRED:
        if not isinstance(profile.get(name), str) or not profile[name].strip():
            causes.append(f"{name}: The field cannot be left blank")
    for name, value in profile.items():
        if value is not None and not isinstance(value, str):
            causes.append(f"{name}: must be a string")
        elif isinstance(value, str) and len(value) > MAX_LENGTH:
            causes.append(f"{name}: must be at most {MAX_LENGTH} characters")
    for name in ("login", "email"):
        value = profile.get(name)
        if isinstance(value, str) and value and not EMAIL.match(value):
            causes.append(f"{name}: must be in the form of an email address")
    if not causes:
        clash = backend.users.lookup(profile["login"].lower())
        if clash is not None and clash["id"] != user_id:
            causes.append("login: An object with this field already exists in the current organization")
    if causes:
        raise Invalid(
            "Api validation failed: login"
            if any(c.startswith("login") for c in causes)
            else "Api validation failed: profile",
            causes,
        )
    return {k: v for k, v in profile.items() if v not in (None, "")}


# -- people -----------------------------------------------------------------


def create_user(backend: OktaBackend, profile: Any, *, activate: bool = True) -> dict[str, Any]:
    with backend.store.transaction():
        clean = check_profile(backend, profile)
        stamp = backend.now()
        user = {
            "id": ids.new_id(ids.USER),
            "status": ACTIVE if activate else STAGED,
            "created": stamp,
            "activated": stamp if activate else None,
            "statusChanged": stamp if activate else None,
            "lastLogin": None,
            "lastUpdated": stamp,
            "passwordChanged": None,
            "type": {"id": "oty_default"},
            "profile": clean,
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        }
        backend.users.put(user)
        syslog.record(
            backend,
            "user.lifecycle.create",
            f"Create Okta user {clean['login']}",
            targets=[syslog.target("User", user["id"], clean["login"])],
        )
        return user


def get_user(backend: OktaBackend, id_or_login: str) -> dict[str, Any]:
    user = backend.users.get(id_or_login)
    if user is None:
        user = backend.users.lookup(id_or_login.lower())
    if user is None:
        raise NotFound(f"Not found: Resource not found: {id_or_login} (User)")
    return user


def list_users(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.users.all(), key=lambda u: (u["created"], u["id"]))


def update_user(backend: OktaBackend, user_id: str, profile: Any, *, partial: bool = True) -> dict[str, Any]:
    """Change a profile (partial: merge; else replace) and push the change to applications."""
    with backend.store.transaction():
        user = get_user(backend, user_id)
        if not isinstance(profile, dict):
            raise Invalid("profile must be an object")
        merged = {**user["profile"], **profile} if partial else dict(profile)
        clean = check_profile(backend, merged, user_id=user["id"])
        if clean == user["profile"]:
            return user
        user["profile"] = clean
        user["lastUpdated"] = backend.now()
        backend.users.put(user)
        syslog.record(
            backend,
            "user.account.update_profile",
            f"Update profile for user {clean['login']}",
            targets=[syslog.target("User", user["id"], clean["login"])],
        )
    provisioning.user_changed(backend, user["id"])
    return get_user(backend, user["id"])


def change_status(backend: OktaBackend, user_id: str, action: str) -> dict[str, Any]:
    if action not in LIFECYCLE:
        raise NotFound(f"Not found: Resource not found: {action} (lifecycle operation)")
    allowed, target, event = LIFECYCLE[action]
    with backend.store.transaction():
        user = get_user(backend, user_id)
        if user["status"] not in allowed:
            raise Invalid(f"Cannot {action} a user whose status is {user['status']}.")
        stamp = backend.now()
        user["status"] = target
        user["statusChanged"] = stamp
        user["lastUpdated"] = stamp
        if action == "activate":
            user["activated"] = stamp
        backend.users.put(user)
        syslog.record(
            backend,
            event,
            f"{action.capitalize()} Okta user {user['profile']['login']}",
            targets=[syslog.target("User", user["id"], user["profile"]["login"])],
        )
    provisioning.user_changed(backend, user["id"])
    return get_user(backend, user["id"])


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
        provisioning.user_deleted(backend, user["id"])
        backend.users.delete(user["id"])
        syslog.record(
            backend,
            "user.lifecycle.delete.completed",
            f"Delete Okta user {user['profile']['login']}",
            targets=[syslog.target("User", user["id"], user["profile"]["login"])],
        )
    return True


# -- groups -----------------------------------------------------------------


def check_group_profile(
    backend: OktaBackend, name: Any, description: Any, *, group_id: str | None = None
) -> tuple[str, str]:
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Api validation failed: name", ["name: The field cannot be left blank"])
    if description is not None and not isinstance(description, str):
        raise Invalid("Api validation failed: description", ["description: must be a string"])
    clean = name.strip()
    if any(
        g["profile"]["name"].lower() == clean.lower() and g["id"] != group_id for g in backend.groups.all()
    ):
        raise Invalid(
            "Api validation failed: name",
            ["name: An object with this field already exists in the current organization"],
        )
    return clean, description or ""


def create_group(backend: OktaBackend, name: Any, description: Any = "") -> dict[str, Any]:
    with backend.store.transaction():
        name, description = check_group_profile(backend, name, description)
        stamp = backend.now()
        group = {
            "id": ids.new_id(ids.GROUP),
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
        name, description = check_group_profile(backend, name, description, group_id=group["id"])
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


def get_group(backend: OktaBackend, group_id: str) -> dict[str, Any]:
    group = backend.groups.get(group_id)
    if group is None:
        raise NotFound(f"Not found: Resource not found: {group_id} (UserGroup)")
    return group


def list_groups(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.groups.all(), key=lambda g: (g["created"], g["id"]))


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
        provisioning.membership_changed(backend, group["id"], user["id"])


def delete_group(backend: OktaBackend, group_id: str) -> None:
    group = get_group(backend, group_id)
    provisioning.group_deleted(backend, group["id"])
    with backend.store.transaction():
        backend.groups.delete(group["id"])
        syslog.record(
            backend,
            "group.lifecycle.delete",
            f"Delete Okta group {group['profile']['name']}",
            targets=[syslog.target("UserGroup", group["id"], group["profile"]["name"])],
        )


def groups_of(backend: OktaBackend, user_id: str) -> list[dict[str, Any]]:
    found = backend.groups.find(lambda g: user_id in g["members"])
    return sorted(found, key=lambda g: (g["created"], g["id"]))
