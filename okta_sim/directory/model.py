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
from okta_sim.errors import ActivationFailed, Invalid, OktaError, StatusForbidden, UnlockForbidden

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

ACTIVE, STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED, LOCKED_OUT = (
    "ACTIVE", "STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED", "LOCKED_OUT",
)  # fmt: skip

# action -> (allowed from, to, System Log event), as the UserLifecycle operations of Okta's
# management API describe them. ``unlock`` also answers 200 for an ACTIVE person ("unlocks a user
# with an ACTIVE status that's blocked from unknown devices"), which changes nothing here.
LIFECYCLE = {
    "activate": ({STAGED, DEPROVISIONED}, ACTIVE, "user.lifecycle.activate"),
    "reactivate": ({PROVISIONED}, ACTIVE, "user.lifecycle.reactivate"),
    "deactivate": (
        {STAGED, PROVISIONED, ACTIVE, SUSPENDED, LOCKED_OUT},
        DEPROVISIONED,
        "user.lifecycle.deactivate",
    ),
    "suspend": ({ACTIVE}, SUSPENDED, "user.lifecycle.suspend"),
    "unsuspend": ({SUSPENDED}, ACTIVE, "user.lifecycle.unsuspend"),
    "unlock": ({LOCKED_OUT}, ACTIVE, "user.account.unlock_by_admin"),
}
# Okta's System Log event when a person is locked out (too many failed sign-ins, which the lab
# does not model: /_lab/users/{id}/lock-out stands in for them).
LOCKED_EVENT = "user.account.lock"


def refusal(action: str, status: str) -> OktaError:
    """What Okta answers a lifecycle operation the person's status does not allow (okta-developer-docs
    data/error-codes.json; which code goes with which operation: docs/okta_sim.md, "Lifecycle")."""
    if action == "activate" and status == ACTIVE:
        return ActivationFailed("Activation failed because the user is already active")
    if action == "unlock":
        return UnlockForbidden("Unlock is not allowed for this user.")
    if action in ("suspend", "unsuspend"):  # "suspending a user who is not active" is E0000001
        wanted = "active" if action == "suspend" else "suspended"
        return Invalid(
            f"Api validation failed: {action}User", [f"Cannot {action} a user that is not {wanted}"]
        )
    return StatusForbidden("This operation is not allowed in the user's current status.")


# Okta's default password policy: "at least 8 characters, a lowercase letter, an uppercase letter,
# a number, no parts of your username" (the createUser error's wording). Which parts of the
# username count is inference: those of 3 characters or more between . _ - @ + and ,.
PASSWORD_RULES = "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username."
USERNAME_PARTS = re.compile(r"[.,_\-@+#]")


def check_password(password: Any, profile: dict[str, Any]) -> None:
    """``credentials.password`` of a new person: ``{"value": "..."}`` meeting the default policy."""
    value = password.get("value") if isinstance(password, dict) else None
    if not isinstance(value, str):
        raise Invalid("Api validation failed: password", ["password: must be an object with a string value"])
    parts = [p for p in USERNAME_PARTS.split(profile["login"].lower()) if len(p) >= 3]
    if (
        len(value) < 8
        or not re.search(r"[a-z]", value)
        or not re.search(r"[A-Z]", value)
        or not re.search(r"[0-9]", value)
        or any(part in value.lower() for part in parts)
    ):
        raise Invalid(
            "Api validation failed: password",
            [f"password: Password requirements were not met. {PASSWORD_RULES}"],
        )


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
        g["profile"]["name"].lower() == clean.lower() and g["id"] != group_id
        for g in reads.list_groups(backend)
    ):
        raise Invalid(
            "Api validation failed: name",
            ["name: An object with this field already exists in the current organization"],
        )
    return clean, description or ""
