"""What Okta would push for an app user: the Cybozu (cybozu.com) Attribute Mappings applied,
the services of its assignment (individual, else the highest-priority group's), and the SCIM
bodies of a create and of a GET-merge-PUT update."""

from __future__ import annotations

from typing import Any

from okta_sim import usernames
from okta_sim.backend import OktaBackend
from okta_sim.directory import model, reads
from okta_sim.errors import Invalid
from okta_sim.provisioning.records import DISABLE, ENABLE, app_groups_of_app

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"


CYBOZU_EXTENSION = "urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"
# The type of the one email Okta sends (and shows as the app user's emailType).
EMAIL_TYPE = "work"


def groups_for(backend: OktaBackend, app_id: str, user_id: str) -> list[dict[str, Any]]:
    """The app's group assignments that include the user, highest priority first."""
    assigned = app_groups_of_app(backend, app_id)
    if not assigned:
        return []
    members = reads.members(backend)
    return [ag for ag in assigned if user_id in members.get(ag["group_id"], ())]


def effective_profile(backend: OktaBackend, app: dict[str, Any], app_user: dict[str, Any]) -> dict[str, str]:
    """An individual assignment's values win; else the highest-priority group's."""
    if app_user["individual"]:
        profile = app_user.get("profile") or {}
    else:
        groups = groups_for(backend, app["id"], app_user["user_id"])
        profile = groups[0]["profile"] if groups else {}
    return {k: v for k, v in profile.items() if k in app["attributes"]}


# The Cybozu (cybozu.com) Attribute Mappings that mapped() applies, as the console shows them:
# (cybozu.com attribute, label in the Profile Editor, the Okta value it takes).
ATTRIBUTE_MAPPINGS = [
    ("userName", "Username", "Application username (the User Name of the assignment)"),
    ("givenName", "Given name", "user.firstName"),
    ("familyName", "Family name", "user.lastName"),
    ("email", "Primary email", "user.email"),
    ("displayName", "Display name", "user.displayName (else first and last name)"),
    ("locale", "Locale", "user.locale (else en_US)"),
]


# What an assignment's profile may also name: the attributes the Attribute Mappings fill (as Okta's
# SCIM CRUD test sends them, okta-developer-docs Okta-SCIM-20-CRUD-Test.json: givenName,
# familyName, email, emailType). The mappings apply on every push, so a value given here is
# checked and shown, and the mapped one is what is pushed (inference: the Cybozu app's own schema
# is not published; emailType is the SCIM template app's, also inference for Cybozu).
MAPPED_PROFILE = (*(name for name, _, _ in ATTRIBUTE_MAPPINGS if name != "userName"), "emailType")


def check_app_profile(app: dict[str, Any], profile: Any) -> dict[str, str]:
    """An assignment's app profile: each service attribute Enable, Disable or unset; the mapped
    attributes, if given, must be text (they are not kept: the mappings give them)."""
    if profile is None:
        return {}
    if not isinstance(profile, dict):
        raise Invalid("Api validation failed: profile", ["profile: must be an object"])
    clean: dict[str, str] = {}
    causes = []
    for name, value in profile.items():
        if name in MAPPED_PROFILE:
            if value is not None and not isinstance(value, str):
                causes.append(f"{name}: must be a string")
        elif name not in app["attributes"]:
            causes.append(f"{name}: Property name '{name}' is not defined in the app user profile")
        elif value in (None, ""):
            continue
        elif value is True or value == ENABLE:
            clean[name] = ENABLE
        elif value is False or value == DISABLE:
            clean[name] = DISABLE
        else:
            causes.append(f"{name}: must be {ENABLE} or {DISABLE}")
    if causes:
        raise Invalid("Api validation failed: profile", causes)
    return clean


def app_user_profile(backend: OktaBackend, app: dict[str, Any], app_user: dict[str, Any]) -> dict[str, Any]:
    """The app user's profile as /api/v1 shows it: the mapped attributes' values, then the services."""
    user = reads.get_user(backend, app_user["user_id"])
    values = {**mapped(backend, app, user, app_user), "emailType": EMAIL_TYPE}
    shown = {name: values[name] for name in MAPPED_PROFILE if values.get(name) is not None}
    return {**shown, **effective_profile(backend, app, app_user)}


def mapped(
    backend: OktaBackend, app: dict[str, Any], user: dict[str, Any], app_user: dict[str, Any]
) -> dict[str, Any]:
    """The Cybozu (cybozu.com) Attribute Mappings applied: the values Okta keeps in sync."""
    profile = user["profile"]
    services = effective_profile(backend, app, app_user)
    return {
        "userName": pushed_user_name(app, app_user),
        "givenName": profile.get("firstName"),
        "familyName": profile.get("lastName"),
        "email": profile.get("email"),
        "displayName": model.display_name(user),
        "locale": profile.get("locale") or "en_US",
        "services": {name: value == ENABLE for name, value in sorted(services.items())},
    }


def pushed_user_name(app: dict[str, Any], app_user: dict[str, Any]) -> str:
    """The username a push sends: the app user's, except that with "Update application username
    on: Create only" a provisioned user keeps the one it was created with."""
    created = (app_user.get("pushed") or {}).get("values")
    if created and usernames.update_on(app["signOn"]) == usernames.CREATE_ONLY:
        return str(created["userName"])
    return str(app_user["userName"])


def scim_body(user: dict[str, Any], values: dict[str, Any], *, active: bool) -> dict[str, Any]:
    """The body of Okta's POST /Users (and the fields it overwrites on PUT)."""
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, CYBOZU_EXTENSION],
        "userName": values["userName"],
        "name": {"givenName": values["givenName"], "familyName": values["familyName"]},
        "emails": [{"primary": True, "value": values["email"], "type": EMAIL_TYPE}],
        "displayName": values["displayName"],
        "locale": values["locale"],
        "externalId": user["id"],
        "groups": [],
        "active": active,
    }
    if values["services"]:
        body[CYBOZU_EXTENSION] = dict(values["services"])
    return body


def merged(
    remote: dict[str, Any], user: dict[str, Any], values: dict[str, Any], *, active: bool
) -> dict[str, Any]:
    """GET, merge, PUT: Okta's update keeps what it does not manage."""
    body = dict(remote)
    ours = scim_body(user, values, active=active)
    for field in ("userName", "name", "emails", "displayName", "locale", "externalId", "active"):
        body[field] = ours[field]
    body["schemas"] = ours["schemas"]
    extension = dict(remote.get(CYBOZU_EXTENSION) or {})
    extension.update(values["services"])
    if extension:
        body[CYBOZU_EXTENSION] = extension
    body.pop("groups", None)
    return body


def should_be_active(user: dict[str, Any]) -> bool:
    """Whether the app account should be active. A suspended person's stays active: "There's no
    deprovisioning event sent for users that are suspended inside Okta" (okta-developer-docs,
    reference/scim/scim-20). A locked-out person's stays active too: a lockout stops signing in to
    Okta, and Okta deprovisions only on deactivation (inference: no source says more)."""
    return user["status"] in (model.ACTIVE, model.PROVISIONED, model.SUSPENDED, model.LOCKED_OUT)
