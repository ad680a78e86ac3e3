"""App users and app groups: the records an assignment leaves, their keys and lookups, and the
checks an assignment's values pass (the login name, the services).

An app user is keyed ``{app id}:{user id}``; ``individual`` says it was assigned to the
person (else only through groups), ``pendingRemoval`` that it was unassigned and waits
for its deactivation in cybozu.com.
"""

from __future__ import annotations

from typing import Any

from okta_sim import usernames
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound

ENABLE, DISABLE = "Enable", "Disable"


ASSIGNED_BEFORE_PROVISIONING = (
    "User was assigned this application before Provisioning was enabled and not provisioned in the "
    "downstream application. Click Provision User."
)


SYNCHRONIZED, OUT_OF_SYNC, ERROR, DISABLED = "SYNCHRONIZED", "OUT_OF_SYNC", "ERROR", "DISABLED"


# The fields of an app user that a push writes; an administrator's fields are left as they are now.
PUSH_FIELDS = ("syncState", "lastError", "lastSync", "externalId", "status", "note", "pushed")


def app_user_key(app_id: str, user_id: str) -> str:
    return f"{app_id}:{user_id}"


def app_users_of_app(
    backend: OktaBackend, app_id: str, *, include_pending: bool = False
) -> list[dict[str, Any]]:
    found = backend.app_users.find(lambda au: au["app_id"] == app_id)
    if not include_pending:
        found = [au for au in found if not au.get("pendingRemoval")]
    # Stable sort: assignments made in the same millisecond (a frozen lab clock) keep their order.
    return sorted(found, key=lambda au: au["created"])


def app_users_of_user(backend: OktaBackend, user_id: str) -> list[dict[str, Any]]:
    """A person's apps (their page's Applications tab), as app_users_of_app lists an app's people."""
    found = backend.app_users.find(lambda au: au["user_id"] == user_id and not au.get("pendingRemoval"))
    return sorted(found, key=lambda au: au["created"])


def _assigned_by_app(stored: list[dict[str, Any]]) -> dict[str, list[str]]:
    by_app: dict[str, list[tuple[str, int, str]]] = {}
    for position, au in enumerate(stored):  # ties in created keep the stored order, as a stable sort
        if not au.get("pendingRemoval"):
            by_app.setdefault(au["app_id"], []).append((au["created"], position, au["user_id"]))
    return {app_id: [user_id for *_, user_id in sorted(rows)] for app_id, rows in by_app.items()}


def assigned_user_ids(backend: OktaBackend, app_id: str) -> list[str]:
    """The ids of the app's assigned people, in the order of app_users_of_app, without copying
    every app user: a page of /api/v1 reads only the page while 10,000 pushes change the rest."""
    return list(backend.app_users.derived(_assigned_by_app).get(app_id, []))


def app_groups_of_app(backend: OktaBackend, app_id: str) -> list[dict[str, Any]]:
    found = backend.app_groups.find(lambda ag: ag["app_id"] == app_id)
    return sorted(found, key=lambda ag: (ag["priority"], ag["created"]))


def get_app_user(backend: OktaBackend, app_id: str, user_id: str) -> dict[str, Any]:
    app_user = backend.app_users.get(app_user_key(app_id, user_id))
    if app_user is None or app_user.get("pendingRemoval"):
        raise NotFound(f"Not found: Resource not found: {user_id} (AppUser)")
    return app_user


def get_app_group(backend: OktaBackend, app_id: str, group_id: str) -> dict[str, Any]:
    app_group = backend.app_groups.get(app_user_key(app_id, group_id))
    if app_group is None:
        raise NotFound(f"Not found: Resource not found: {group_id} (ApplicationGroupAssignment)")
    return app_group


def new_app_user(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    user_name: str,
    *,
    individual: bool,
    profile: dict[str, str],
) -> dict[str, Any]:
    stamp = backend.now()
    return {
        "key": app_user_key(app["id"], user["id"]),
        "app_id": app["id"],
        "user_id": user["id"],
        "individual": individual,
        "userName": user_name,
        "profile": profile,
        "status": "STAGED",
        "syncState": DISABLED if not app["provisioning"]["enabled"] else OUT_OF_SYNC,
        "externalId": None,
        "pushed": None,
        "note": ASSIGNED_BEFORE_PROVISIONING if not app["provisioning"]["enabled"] else None,
        "lastError": None,
        "lastSync": None,
        "created": stamp,
        "lastUpdated": stamp,
        "pendingRemoval": False,
    }


def initial_user_name(app: dict[str, Any], user: dict[str, Any]) -> str:
    sign_on = app["signOn"]
    return usernames.initial_user_name(sign_on["usernameFormat"], sign_on["custom"], user["profile"])


# Okta's Apps API reference, "Application User Credentials Object": userName is 1 to 100
# characters (okta-developer-docs, the Apps API page). The text of the refusal is inference.
USER_NAME_MAX = 100


def check_user_name(user_name: Any) -> str | None:
    """An assignment's User Name as typed. Okta lets an administrator change it after the user is
    provisioned and pushes the change; whether the app accepts it is the app's business (cybozu.com
    refuses it, "Log in names of synced users cannot be updated")."""
    if user_name is None:
        return None
    if not isinstance(user_name, str):
        raise Invalid("Api validation failed: userName", ["userName: must be a string"])
    user_name = user_name.strip()
    if len(user_name) > USER_NAME_MAX:
        raise Invalid(
            "Api validation failed: userName", [f"userName: must be at most {USER_NAME_MAX} characters"]
        )
    return user_name
