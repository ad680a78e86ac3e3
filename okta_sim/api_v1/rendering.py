"""Okta's JSON shapes of okta_sim's records: users, groups, apps (without their API token), the
provisioning connection and feature, the app user schema, app users and app groups, with their
``_links``."""

from __future__ import annotations

from typing import Any

from flask import request

from okta_sim import apps, catalog, usernames
from okta_sim.api_v1.protocol import PREFIX
from okta_sim.backend import get_backend
from okta_sim.directory import model
from okta_sim.orgs import org_url
from okta_sim.provisioning import mapping, records

USER_FIELDS = (
    "id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
    "passwordChanged", "type", "profile", "credentials",
)  # fmt: skip

# "Provisioning to App" toggles -> the app's features, as Okta lists them.
TO_APP_FEATURES = {
    "create": "PUSH_NEW_USERS",
    "update": "PUSH_PROFILE_UPDATES",
    "deactivate": "PUSH_USER_DEACTIVATION",
}

USER_PROVISIONING = "USER_PROVISIONING"

# Username format keys whose template Okta reports as something other than BUILT_IN.
TEMPLATE_TYPES = {"custom": "CUSTOM", "none": "NONE"}



def href(*parts: str) -> str:
    return request.url_root.rstrip("/") + PREFIX + "".join(f"/{part}" for part in parts)


def link(*parts: str) -> dict[str, str]:
    return {"href": href(*parts)}


def render_user(user: dict[str, Any]) -> dict[str, Any]:
    """A user in Okta's shape; the lifecycle links are the actions its status allows."""
    shown = {field: user.get(field) for field in USER_FIELDS}
    shown["_links"] = {
        "self": link("users", user["id"]),
        **{
            action: {**link("users", user["id"], "lifecycle", action), "method": "POST"}
            for action in model.lifecycle_actions(user)
        },
    }
    return shown


def render_group(group: dict[str, Any], *, stats: bool = False) -> dict[str, Any]:
    """A group without its internal member list (that is GET /groups/{id}/users); ``stats``:
    ``expand=stats``'s ``_embedded.stats.usersCount``."""
    shown = {
        "id": group["id"],
        "created": group["created"],
        "lastUpdated": group["lastUpdated"],
        "lastMembershipUpdated": group["lastMembershipUpdated"],
        "objectClass": ["okta:user_group"],
        "type": group["type"],
        "profile": {"name": group["profile"]["name"], "description": group["profile"]["description"]},
        "_links": {"self": link("groups", group["id"]), "users": link("groups", group["id"], "users")},
    }
    if stats:
        shown["_embedded"] = {"stats": {"usersCount": len(group["members"])}}
    return shown


def render_username_template(sign_on: dict[str, Any]) -> dict[str, Any]:
    fmt = sign_on["usernameFormat"]
    return {
        "template": usernames.template(fmt, sign_on["custom"]),
        "type": TEMPLATE_TYPES.get(fmt, "BUILT_IN"),
        "pushStatus": usernames.UPDATE_ON[usernames.update_on(sign_on)][1],
    }


def render_app(app: dict[str, Any]) -> dict[str, Any]:
    """An app instance as Okta shows it, built from apps.public so the API token never leaves."""
    shown = apps.public(app)
    toggles = shown["provisioning"]["toApp"]
    return {
        "id": shown["id"],
        "name": shown["name"],
        "label": shown["label"],
        "status": shown["status"],
        "created": shown["created"],
        "lastUpdated": shown["lastUpdated"],
        "signOnMode": "SAML_2_0",
        "settings": {"app": {"domainName": shown["settings"]["domainName"]}},
        "credentials": {"userNameTemplate": render_username_template(shown["signOn"])},
        "features": [feature for toggle, feature in TO_APP_FEATURES.items() if toggles[toggle]],
        "_links": {
            "self": link("apps", shown["id"]),
            "users": link("apps", shown["id"], "users"),
            "groups": link("apps", shown["id"], "groups"),
        },
    }


def status_of(enabled: bool) -> str:
    return "ENABLED" if enabled else "DISABLED"


def render_connection(app: dict[str, Any]) -> dict[str, Any]:
    enabled = app["provisioning"]["enabled"]
    next_step = "deactivate" if enabled else "activate"
    return {  # ProvisioningConnectionResponse: ``profile`` and ``status`` are required
        "authScheme": "TOKEN",
        "profile": {"authScheme": "TOKEN"},
        "status": status_of(enabled),
        "_links": {
            "self": link("apps", app["id"], "connections", "default"),
            "app": link("apps", app["id"]),
            next_step: {
                **link("apps", app["id"], "connections", "default", "lifecycle", next_step),
                "hints": {"allow": ["POST"]},
            },
        },
    }


def render_feature(app: dict[str, Any]) -> dict[str, Any]:
    settings = app["provisioning"]
    toggles = settings["toApp"]
    return {
        "name": USER_PROVISIONING,
        "status": status_of(settings["enabled"]),
        "description": "User provisioning settings from Okta to a downstream application",
        "capabilities": {
            "create": {"lifecycleCreate": {"status": status_of(toggles["create"])}},
            "update": {
                "profile": {"status": status_of(toggles["update"])},
                "lifecycleDeactivate": {"status": status_of(toggles["deactivate"])},
                "password": {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"},
            },
        },
        "_links": {"self": link("apps", app["id"], "features", USER_PROVISIONING)},
    }


def catalog_name(app: dict[str, Any]) -> str:
    """The catalog integration's name ("Cybozu (cybozu.com)"), which the app's label may differ from."""
    entry = catalog.get(app["name"])
    return entry.name if entry else app["label"]


def render_schema(app: dict[str, Any]) -> dict[str, Any]:
    """The app user schema of the Profile Editor: userName plus one Enable/Disable attribute per service."""
    return {
        "id": href("meta", "schemas", "apps", app["id"], "default"),
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": app["name"],
        "title": f"{catalog_name(app)} User",
        "type": "object",
        "created": app["created"],
        "lastUpdated": app["lastUpdated"],
        "definitions": {
            "base": {
                "id": "#base",
                "type": "object",
                "properties": {"userName": {"title": "Username", "type": "string", "required": True}},
                "required": ["userName"],
            },
            "custom": {
                "id": "#custom",
                "type": "object",
                "properties": {
                    name: {
                        "title": apps.attribute_label(name),
                        "type": "string",
                        "enum": [records.ENABLE, records.DISABLE],
                    }
                    for name in app["attributes"]
                },
                "required": [],
            },
        },
        "properties": {
            "profile": {"allOf": [{"$ref": "#/definitions/base"}, {"$ref": "#/definitions/custom"}]}
        },
        "_links": {"self": link("meta", "schemas", "apps", app["id"], "default")},
    }


def render_app_user(app: dict[str, Any], app_user: dict[str, Any]) -> dict[str, Any]:
    """An assignment; its profile is what is pushed (the individual values, or the winning group's)."""
    return {
        "id": app_user["user_id"],
        "externalId": app_user["externalId"],
        "created": app_user["created"],
        "lastUpdated": app_user["lastUpdated"],
        "scope": "USER" if app_user["individual"] else "GROUP",
        "status": app_user["status"],
        "syncState": app_user["syncState"],
        "lastSync": app_user["lastSync"],
        "credentials": {"userName": app_user["userName"]},
        "profile": mapping.app_user_profile(get_backend(), app, app_user),
        "_links": {
            "self": link("apps", app["id"], "users", app_user["user_id"]),
            "app": link("apps", app["id"]),
            "user": link("users", app_user["user_id"]),
        },
    }


def render_app_link(app: dict[str, Any], app_user: dict[str, Any], sort_order: int) -> dict[str, Any]:
    """An app on a person's dashboard (Okta's AssignedAppLink, ``GET /users/{id}/appLinks``): the
    link goes to Okta's ``/home/{appName}/{appInstanceId}`` form; the lab has no app logos, so
    ``logoUrl`` is null, and the assignment is named by the person's id (inference)."""
    return {
        "id": app["id"],
        "label": app["label"],
        "linkUrl": f"{org_url()}/home/{app['name']}/{app['id']}",
        "logoUrl": None,
        "appName": app["name"],
        "appInstanceId": app["id"],
        "appAssignmentId": app_user["user_id"],
        "credentialsSetup": False,
        "hidden": False,
        "sortOrder": sort_order,
    }


def render_app_group(app_group: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app_group["group_id"],
        "priority": app_group["priority"],
        "profile": app_group["profile"],
        "lastUpdated": app_group["lastUpdated"],
        "_links": {
            "self": link("apps", app_group["app_id"], "groups", app_group["group_id"]),
            "app": link("apps", app_group["app_id"]),
            "group": link("groups", app_group["group_id"]),
        },
    }


def by_id(item: dict[str, Any]) -> str:
    return str(item["id"])
