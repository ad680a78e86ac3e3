"""Reading the directory: people, groups and memberships, as the engine, the API and the
console look them up. Nothing here writes, so the provisioning engine can use it freely."""

from __future__ import annotations

from typing import Any

from okta_sim.backend import OktaBackend
from okta_sim.errors import NotFound


def find_user(backend: OktaBackend, login: str) -> dict[str, Any] | None:
    """The person whose login is ``login`` (Okta logins are unique regardless of case)."""
    return backend.users.lookup(login.lower())


def get_user(backend: OktaBackend, id_or_login: str) -> dict[str, Any]:
    user = backend.users.get(id_or_login) or find_user(backend, id_or_login)
    if user is None:
        raise NotFound(f"Not found: Resource not found: {id_or_login} (User)")
    return user


def list_users(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.users.all(), key=lambda u: (u["created"], u["id"]))


def get_group(backend: OktaBackend, group_id: str) -> dict[str, Any]:
    group = backend.groups.get(group_id)
    if group is None:
        raise NotFound(f"Not found: Resource not found: {group_id} (UserGroup)")
    return group


def list_groups(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.groups.all(), key=lambda g: (g["created"], g["id"]))


def groups_of(backend: OktaBackend, user_id: str) -> list[dict[str, Any]]:
    found = backend.groups.find(lambda g: user_id in g["members"])
    return sorted(found, key=lambda g: (g["created"], g["id"]))


def member_sets(groups: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Each group's members as a set: a push asks "is this person in that group?" for every
    member of a 10,000-person group, and a list answers in time proportional to its length."""
    return {group["id"]: frozenset(group["members"]) for group in groups}


def members(backend: OktaBackend) -> dict[str, frozenset[str]]:
    """Every group's members, derived once per change of the groups (simcore.store.Collection.derived)."""
    return backend.groups.derived(member_sets)
