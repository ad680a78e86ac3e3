"""/api/v1/apps: app instances of the Cybozu (cybozu.com) catalog app, their provisioning connection
and features, and the app user schema (the Profile Editor)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from okta_sim import apps, usernames
from okta_sim.api_v1 import resource_filter
from okta_sim.api_v1.parsing import (
    COLLECTION_PAGE,
    flag,
    invalid,
    json_body,
    obj,
    paginated,
    required_text,
    starts_with,
    text,
)
from okta_sim.api_v1.rendering import (
    USER_PROVISIONING,
    by_id,
    catalog_name,
    render_app,
    render_app_user,
    render_connection,
    render_feature,
    render_schema,
)
from okta_sim.api_v1.resource_filter import APP_FILTER
from okta_sim.backend import get_backend
from okta_sim.errors import Invalid
from okta_sim.errors import NotFound as ResourceNotFound
from okta_sim.provisioning import integration, records

bp = Blueprint("applications", __name__)


def parse_push_status(value: Any) -> str | None:
    """``userNameTemplate.pushStatus`` -> "Update application username on" (None: leave it)."""
    if value is None or value == "NOT_SPECIFIED":
        return None
    found = next((key for key, (_, status) in usernames.UPDATE_ON.items() if status == value), None)
    if found is None:
        raise invalid("userNameTemplate.pushStatus", "must be PUSH, DONT_PUSH or NOT_SPECIFIED")
    return found


def parse_template(value: Any) -> tuple[str, str | None, str | None]:
    """Okta's ``credentials.userNameTemplate`` -> (username format key, custom expression,
    "Update application username on"), checked."""
    if not isinstance(value, dict):
        raise invalid("userNameTemplate", "must be an object")
    kind, template = value.get("type", "BUILT_IN"), value.get("template")
    update_on = parse_push_status(value.get("pushStatus"))
    if kind == "NONE":
        return "none", None, update_on
    if template is not None and not isinstance(template, str):
        raise invalid("userNameTemplate.template", "must be a string")
    if kind == "CUSTOM":
        choice = ("custom", template)
    elif kind == "BUILT_IN":
        fmt = next(
            (key for key, (_, built_in) in usernames.FORMATS.items() if built_in and built_in == template),
            None,
        )
        if fmt is None:
            known = ", ".join(t for _, t in usernames.FORMATS.values() if t)
            raise invalid("userNameTemplate.template", f"a BUILT_IN template is one of {known}")
        choice = (fmt, None)
    else:
        raise invalid("userNameTemplate.type", "must be BUILT_IN, CUSTOM or NONE")
    try:
        usernames.check_format(*choice)
    except Invalid as error:
        raise Invalid("Api validation failed: userNameTemplate", [error.message, *error.causes]) from None
    return (*choice, update_on)


@bp.get("/apps")
def list_apps() -> ResponseReturnValue:
    """``q`` (name or label starts with it), ``filter`` (resource_filter.APP_FILTER: ``user.id eq``
    selects the apps assigned to that person, individually or through a group; ``group.id eq``
    those assigned to the group) and ``expand=user/{userId}``, which "must be used with the
    user.id eq filter query for the same user" and embeds that app user (listApplications)."""
    backend = get_backend()
    criteria = resource_filter.parse(request.args.get("filter", ""), APP_FILTER)
    users = resource_filter.mentions(criteria, "user.id")
    groups = resource_filter.mentions(criteria, "group.id")
    expand = request.args.get("expand")
    expanded = expand[len("user/") :] if expand and expand.startswith("user/") else None
    if expand is not None and (expanded is None or expanded not in users):
        raise invalid("expand", 'only expand=user/{userId} is supported, with filter=user.id eq "{userId}"')

    def view(app: dict[str, Any]) -> dict[str, Any]:
        assigned = [
            u
            for u in users
            if not (backend.app_users.get(records.app_user_key(app["id"], u)) or {}).get(
                "pendingRemoval", True
            )
        ]
        linked = [g for g in groups if backend.app_groups.get(records.app_user_key(app["id"], g)) is not None]
        return {**app, "user": [{"id": u} for u in assigned], "group": [{"id": g} for g in linked]}

    found = apps.list_apps(backend)
    query = request.args.get("q")
    if query:
        found = [app for app in found if starts_with(app["name"], query) or starts_with(app["label"], query)]
    if criteria is not None:
        found = [app for app in found if resource_filter.matches(criteria, view(app), APP_FILTER)]

    def render(app: dict[str, Any]) -> dict[str, Any]:
        shown = render_app(app)
        if expanded is not None:
            shown["_embedded"] = {
                "user": render_app_user(app, records.get_app_user(backend, app["id"], expanded))
            }
        return shown

    return paginated(found, by_id, render, COLLECTION_PAGE)


@bp.post("/apps")
def add_app() -> ResponseReturnValue:
    """Add a catalog app; the username template is checked before anything is created."""
    body = json_body()
    name = required_text(body, "name")
    label = text(body, "label")
    domain_name = obj(obj(body, "settings"), "app").get("domainName")
    template = obj(body, "credentials").get("userNameTemplate")
    choice = parse_template(template) if template is not None else None
    backend = get_backend()
    app = apps.add_app(backend, name, domain_name=domain_name, label=label)
    if choice:
        app = apps.set_username_format(backend, app["id"], *choice)
    return render_app(app)


@bp.get("/apps/<app_id>")
def get_app(app_id: str) -> ResponseReturnValue:
    return render_app(apps.get_app(get_backend(), app_id))


@bp.put("/apps/<app_id>")
def update_app(app_id: str) -> ResponseReturnValue:
    """General (label, domainName) and Sign On (userNameTemplate); the template is checked first."""
    body = json_body()
    template = obj(body, "credentials").get("userNameTemplate")
    choice = parse_template(template) if template is not None else None
    backend = get_backend()
    app = apps.set_general(
        backend,
        app_id,
        label=body.get("label"),
        domain_name=obj(obj(body, "settings"), "app").get("domainName"),
    )
    if choice:
        app = apps.set_username_format(backend, app_id, *choice)
    return render_app(app)


@bp.post("/apps/<app_id>/lifecycle/<any(activate, deactivate):action>")
def app_lifecycle(app_id: str, action: str) -> ResponseReturnValue:
    """Okta's activateApplication / deactivateApplication: 200 with an empty object."""
    apps.set_status(get_backend(), app_id, action == "activate")
    return {}


@bp.delete("/apps/<app_id>")
def delete_app(app_id: str) -> ResponseReturnValue:
    """Only a deactivated app is deleted (E0000056, 403, otherwise)."""
    apps.delete_app(get_backend(), app_id)
    return "", 204


@bp.get("/apps/<app_id>/connections/default")
def get_connection(app_id: str) -> ResponseReturnValue:
    return render_connection(apps.get_app(get_backend(), app_id))


@bp.post("/apps/<app_id>/connections/default")
def save_connection(app_id: str) -> ResponseReturnValue:
    """Saving tests the token against cybozu.com; a failure is a 400 carrying Okta's message."""
    if not flag("activate", True):
        raise invalid("activate", "okta_sim saves a provisioning connection only by activating it")
    profile = obj(json_body(), "profile")
    if profile.get("authScheme", "TOKEN") != "TOKEN":
        raise invalid("authScheme", "the Cybozu (cybozu.com) app supports TOKEN only")
    token = text(profile, "token")
    return render_connection(
        integration.configure_api_integration(get_backend(), app_id, enabled=True, token=token)
    )


@bp.post("/apps/<app_id>/connections/default/lifecycle/<any(activate, deactivate):action>")
def connection_lifecycle(app_id: str, action: str) -> ResponseReturnValue:
    """Activate reuses (and tests) the stored token; deactivate also turns Provisioning to App off."""
    integration.configure_api_integration(get_backend(), app_id, enabled=action == "activate")
    return "", 204


def app_feature(app_id: str, name: str) -> dict[str, Any]:
    app = apps.get_app(get_backend(), app_id)
    if name != USER_PROVISIONING:
        raise ResourceNotFound(f"Not found: Resource not found: {name} (AppFeature)")
    return app


@bp.get("/apps/<app_id>/features")
def list_features(app_id: str) -> ResponseReturnValue:
    return [render_feature(apps.get_app(get_backend(), app_id))]


@bp.get("/apps/<app_id>/features/<name>")
def get_feature(app_id: str, name: str) -> ResponseReturnValue:
    return render_feature(app_feature(app_id, name))


def capability(capabilities: dict[str, Any], group: str, name: str, current: bool) -> bool:
    """One ``{"status": "ENABLED"|"DISABLED"}`` of the capabilities object (absent: unchanged)."""
    value = obj(obj(capabilities, group), name).get("status")
    if value is None:
        return current
    if value not in ("ENABLED", "DISABLED"):
        raise invalid(f"{group}.{name}.status", "must be ENABLED or DISABLED")
    return value == "ENABLED"


@bp.put("/apps/<app_id>/features/<name>")
def update_feature(app_id: str, name: str) -> ResponseReturnValue:
    """Okta's body is the capabilities object; the GET answer (capabilities nested) is accepted too."""
    app = app_feature(app_id, name)
    body = json_body()
    capabilities = obj(body, "capabilities") if "capabilities" in body else body
    if capability(capabilities, "update", "password", False):
        raise invalid("update.password.status", "Sync Password is not supported by this app")
    toggles = app["provisioning"]["toApp"]
    updated = integration.set_provisioning_to_app(
        get_backend(),
        app["id"],
        create=capability(capabilities, "create", "lifecycleCreate", toggles["create"]),
        update=capability(capabilities, "update", "profile", toggles["update"]),
        deactivate=capability(capabilities, "update", "lifecycleDeactivate", toggles["deactivate"]),
    )
    return render_feature(updated)


@bp.get("/meta/schemas/apps/<app_id>/default")
def get_schema(app_id: str) -> ResponseReturnValue:
    return render_schema(apps.get_app(get_backend(), app_id))


@bp.post("/meta/schemas/apps/<app_id>/default")
def update_schema(app_id: str) -> ResponseReturnValue:
    """A null property deletes that service attribute; the app's attributes cannot be added to.

    Every name is checked before the first deletion, so a refused request changes nothing.
    """
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    properties = obj(obj(obj(json_body(), "definitions"), "custom"), "properties")
    foreign = [name for name in properties if name not in app["attributes"]]
    if foreign:
        raise Invalid(
            f"Only the attributes of the {catalog_name(app)} app can be used.",
            [f"{name}: is not an attribute of this app" for name in foreign],
        )
    for name, value in properties.items():
        if value is None:
            app = apps.delete_attribute(backend, app_id, name)
    return render_schema(app)
