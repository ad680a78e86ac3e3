"""Application instances of the Cybozu (cybozu.com) catalog app and their settings.

General ("Domain Name"), Sign On ("Application username format") and the
Profile Editor's attribute list (one attribute per cybozu.com service). The
Provisioning tab's settings test the credentials first, so they belong to
provisioning.integration.
"""

from __future__ import annotations

import re
from typing import Any

from okta_sim import catalog, ids, syslog, usernames
from okta_sim.backend import OktaBackend
from okta_sim.errors import DeleteAppForbidden, Invalid, NotFound

# An app instance's lifecycle status (Okta's app lifecycle: activate, deactivate, then delete).
ACTIVE, INACTIVE = "ACTIVE", "INACTIVE"

# The Cybozu (cybozu.com) app's service attributes: (attribute, label in the Profile Editor)
SERVICE_ATTRIBUTES = [
    ("kintone", "kintone"),
    ("garoon", "Garoon"),
    ("office", "Cybozu Office"),
    ("mailwise", "MailWise"),
    ("secure_access", "Secure Access"),
]
DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$")


def default_provisioning() -> dict[str, Any]:
    return {"enabled": False, "token": None, "toApp": {"create": False, "update": False, "deactivate": False}}


def add_app(
    backend: OktaBackend, catalog_key: str, *, domain_name: Any, label: str | None = None
) -> dict[str, Any]:
    """[Browse App Catalog] > [Add] > "Domain Name" > [Done]."""
    entry = catalog.get(catalog_key)
    if entry is None:
        raise NotFound(f"Not found: Resource not found: {catalog_key} (App)")
    if not entry.provisioning:
        raise Invalid(f"The lab models only the Cybozu (cybozu.com) app; {entry.name} cannot be added.")
    if not isinstance(domain_name, str) or not DOMAIN.match(domain_name.strip()):
        raise Invalid(
            "Api validation failed: domainName",
            [
                "domainName: Enter the subdomain of your cybozu.com environment, e.g. example for https://example.cybozu.com/"
            ],
        )
    stamp = backend.now()
    app = {
        "id": ids.new_id(backend.entropy, ids.APP, domain_name.strip()),
        "name": entry.key,
        "label": (label or entry.name).strip() or entry.name,
        "status": ACTIVE,
        "created": stamp,
        "lastUpdated": stamp,
        "settings": {"domainName": domain_name.strip()},
        "signOn": {"usernameFormat": usernames.DEFAULT, "custom": None, "updateOn": usernames.DEFAULT_UPDATE_ON},
        "provisioning": default_provisioning(),
        "attributes": [name for name, _ in SERVICE_ATTRIBUTES],
    }
    backend.apps.put(app)
    syslog.record(
        backend,
        "application.lifecycle.create",
        f"Create application {app['label']}",
        targets=[syslog.app_target(app)],
    )
    return app


def save(
    backend: OktaBackend, app: dict[str, Any], event_type: str | None = None, message: str = ""
) -> dict[str, Any]:
    """Store a changed app; most changes are also a System Log event about it (the Provisioning
tab's settings, provisioning.integration, store theirs this way too)."""
    app["lastUpdated"] = backend.now()
    backend.apps.put(app)
    if event_type:
        syslog.record(backend, event_type, message, targets=[syslog.app_target(app)])
    return app


def get_app(backend: OktaBackend, app_id: str) -> dict[str, Any]:
    app = backend.apps.get(app_id)
    if app is None:
        raise NotFound(f"Not found: Resource not found: {app_id} (AppInstance)")
    return app


def list_apps(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.apps.all(), key=lambda a: (a["created"], a["id"]))


def set_general(
    backend: OktaBackend, app_id: str, *, label: Any = None, domain_name: Any = None
) -> dict[str, Any]:
    with backend.store.transaction():
        app = get_app(backend, app_id)
        if label is not None:
            if not isinstance(label, str) or not label.strip():
                raise Invalid("Api validation failed: label", ["label: The field cannot be left blank"])
            app["label"] = label.strip()
        if domain_name is not None:
            if not isinstance(domain_name, str) or not DOMAIN.match(domain_name.strip()):
                raise Invalid(
                    "Api validation failed: domainName",
                    ["domainName: Enter the subdomain of your cybozu.com environment"],
                )
            app["settings"]["domainName"] = domain_name.strip()
        return save(backend, app)


def set_username_format(
    backend: OktaBackend, app_id: str, fmt: str, custom: str | None = None, update_on: str | None = None
) -> dict[str, Any]:
    """[Sign On] > [Settings] > [Edit] > "Application username format" (and "Update application
    username on", kept when not given) > [Save]."""
    usernames.check_format(fmt, custom)
    if update_on is not None:
        usernames.check_update_on(update_on)
    with backend.store.transaction():
        app = get_app(backend, app_id)
        app["signOn"] = {
            "usernameFormat": fmt,
            "custom": custom.strip() if fmt == "custom" and custom else None,
            "updateOn": update_on or usernames.update_on(app["signOn"]),
        }
        return save(
            backend, app, "application.lifecycle.update", f"Update Sign On settings of {app['label']}"
        )


def delete_attribute(backend: OktaBackend, app_id: str, attribute: str) -> dict[str, Any]:
    """Profile Editor: [×] next to a service, then [Delete Attribute]. The service is no longer pushed."""
    with backend.store.transaction():
        app = get_app(backend, app_id)
        if attribute not in app["attributes"]:
            raise NotFound(f"Not found: Resource not found: {attribute} (Attribute)")
        app["attributes"].remove(attribute)
        for holder in (backend.app_users, backend.app_groups):
            for doc in holder.find(lambda d: d["app_id"] == app["id"] and attribute in d.get("profile", {})):
                del doc["profile"][attribute]
                holder.put(doc)
        return save(
            backend,
            app,
            "application.lifecycle.update",
            f"Delete attribute {attribute} of {app['label']}",
        )


def set_status(backend: OktaBackend, app_id: str, active: bool) -> dict[str, Any]:
    """Activate or deactivate an app instance (Okta's app lifecycle). An inactive app pushes
    nothing until it is active again, and then only what changes (inference)."""
    with backend.store.transaction():
        app = get_app(backend, app_id)
        wanted = ACTIVE if active else INACTIVE
        if app["status"] == wanted:
            return app
        app["status"] = wanted
        verb = "Activate" if active else "Deactivate"
        return save(
            backend, app, f"application.lifecycle.{verb.lower()}", f"{verb} application {app['label']}"
        )


def delete_app(backend: OktaBackend, app_id: str, *, require_inactive: bool = True) -> None:
    """Remove an app instance with its assignments and tasks, pushing nothing to cybozu.com.

    Okta deletes only a deactivated app (E0000056 otherwise). The lab's training mode resets an
    exercise run with ``require_inactive=False``: the run's cybozu.com environment goes too, so
    there is nobody left to deprovision."""
    with backend.store.transaction():
        app = get_app(backend, app_id)
        if require_inactive and app["status"] != INACTIVE:
            raise DeleteAppForbidden("Delete application forbidden.")
        for holder in (backend.app_users, backend.app_groups):
            for doc in holder.find(lambda d: d["app_id"] == app_id):
                holder.delete(doc["key"])
        for task in backend.tasks.find(lambda t: t.get("app_id") == app_id):
            backend.tasks.delete(task["id"])
        backend.apps.delete(app["id"])
        syslog.record(
            backend,
            "application.lifecycle.delete",
            f"Delete application {app['label']}",
            targets=[syslog.app_target(app)],
        )


def public(app: dict[str, Any]) -> dict[str, Any]:
    """An app without its API token (never shown back)."""
    shown = {**app, "provisioning": {**app["provisioning"]}}
    token = shown["provisioning"].pop("token", None)
    shown["provisioning"]["tokenSet"] = bool(token)
    return shown


def attribute_label(name: str) -> str:
    return dict(SERVICE_ATTRIBUTES).get(name, name)
