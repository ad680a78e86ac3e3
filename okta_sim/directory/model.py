"""What an Okta person and group are: statuses, the lifecycle, and the profile rules.

The rules live here once for /api/v1, the console and the lab's seeding; the
checks that need the directory (a login taken by someone else, a group name in
use) read it through directory.reads.
"""

from __future__ import annotations

import re
from typing import Any

from okta_sim.backend import OktaBackend
from okta_sim.directory import reads
from okta_sim.errors import Invalid

# Okta's default user profile: every base attribute of the management API's UserProfile schema
# (okta-sdk-python's generated okta/models/user_profile.py), with its length limits where the
# schema gives them; the others take MAX_LENGTH (inference: Okta documents none for them).
PROFILE_FIELDS = (
    "login", "email", "firstName", "lastName", "displayName", "locale", "secondEmail", "nickName",
    "title", "department", "employeeNumber", "mobilePhone", "primaryPhone", "middleName",
    "honorificPrefix", "honorificSuffix", "profileUrl", "preferredLanguage", "userType",
    "organization", "division", "costCenter", "manager", "managerId", "city", "state",
    "countryCode", "zipCode", "streetAddress", "postalAddress", "timezone",
)  # fmt: skip
REQUIRED = ("login", "email", "firstName", "lastName")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MAX_LENGTH = 1024
# attribute -> (min, max) characters, as the UserProfile schema has them
LENGTHS = {
    "login": (5, 100), "email": (5, 100), "firstName": (1, 50), "lastName": (1, 50),
    "secondEmail": (0, 100), "mobilePhone": (0, 100), "primaryPhone": (0, 100), "city": (0, 128),
    "state": (0, 128), "countryCode": (0, 2), "zipCode": (0, 50), "streetAddress": (0, 1024),
    "postalAddress": (0, 4096),
}  # fmt: skip

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


def lifecycle_actions(user: dict[str, Any]) -> list[str]:
    """The lifecycle operations the person's status allows (/api/v1's links, the console's buttons)."""
    return [action for action, (allowed, _, _) in LIFECYCLE.items() if user["status"] in allowed]


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
        elif isinstance(value, str) and value:
            shortest, longest = LENGTHS.get(name, (0, MAX_LENGTH))
            if len(value) > longest:
                causes.append(f"{name}: must be at most {longest} characters")
            elif len(value) < shortest:
                causes.append(f"{name}: must be at least {shortest} characters")
    for name in ("login", "email"):
        value = profile.get(name)
        if isinstance(value, str) and value and not EMAIL.match(value):
            causes.append(f"{name}: must be in the form of an email address")
    if not causes:
        clash = reads.find_user(backend, profile["login"])
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


def check_group_profile(
    backend: OktaBackend, name: Any, description: Any, *, group_id: str | None = None
) -> tuple[str, str]:
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Api validation failed: name", ["name: The field cannot be left blank"])
    if description is not None and not isinstance(description, str):
        raise Invalid("Api validation failed: description", ["description: must be a string"])
    clean = name.strip()
    if any(
        g["profile"]["name"].lower() == clean.lower() and g["id"] != group_id for g in reads.list_groups(backend)
    ):
        raise Invalid(
            "Api validation failed: name",
            ["name: An object with this field already exists in the current organization"],
        )
    return clean, description or ""
