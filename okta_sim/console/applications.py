"""Applications and the App Catalog: the list, [Browse App Catalog], [Add], and an app's
General and Sign On tabs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from okta_sim import apps, catalog, usernames
from okta_sim.backend import get_backend
from okta_sim.console.app_tabs import settings_section
from okta_sim.console.pages import submit

bp = Blueprint("applications", __name__, url_prefix="/admin/apps")

CUSTOM_EXAMPLES = ['String.substringBefore(user.login, "@")', 'user.firstName + "." + user.lastName']


def addable(entry: catalog.CatalogApp) -> bool:
    """The lab models only the Cybozu (cybozu.com) app; the other catalog entries make search real."""
    return entry.key == catalog.CYBOZU


@bp.get("")
def index() -> str:
    return render_template("apps.html", apps=[apps.public(a) for a in apps.list_apps(get_backend())])


@bp.get("/catalog")
def browse_catalog() -> str:
    query = request.args.get("q", "")
    return render_template("catalog.html", query=query, results=catalog.search(query))


def catalog_entry(key: str) -> catalog.CatalogApp:
    entry = catalog.get(key)
    if entry is None:
        abort(404, f"Not found: Resource not found: {key} (App)")
    return entry


@bp.get("/catalog/<key>")
def catalog_app(key: str) -> str:
    entry = catalog_entry(key)
    return render_template("catalog_app.html", entry=entry, addable=addable(entry))


@bp.route("/catalog/<key>/add", methods=["GET", "POST"])
def add(key: str) -> Any:
    entry = catalog_entry(key)
    if not addable(entry):
        abort(404, f"{entry.name} cannot be added: this lab only models the Cybozu (cybozu.com) app.")
    form = {"label": entry.name, "domain_name": ""}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        app, error = submit(
            lambda: apps.add_app(
                get_backend(), key, domain_name=form.get("domain_name", ""), label=form.get("label")
            )
        )
        if app is not None:
            flash(f"{app['label']} was added.", "success")
            return redirect(url_for("console.applications.general", app_id=app["id"]))
    return render_template("app_new.html", entry=entry, form=form, error=error)


@bp.route("/<app_id>/general", methods=["GET", "POST"])
def general(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_general.html",
        lambda app: {"label": app["label"], "domain_name": app["settings"]["domainName"]},
        lambda form: apps.set_general(
            get_backend(), app_id, label=form.get("label", ""), domain_name=form.get("domain_name", "")
        ),
        "The General Settings were saved.",
    )


@bp.route("/<app_id>/sign-on", methods=["GET", "POST"])
def sign_on(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_sign_on.html",
        lambda app: {
            "format": app["signOn"]["usernameFormat"],
            "custom": app["signOn"]["custom"] or "",
            "update_on": usernames.update_on(app["signOn"]),
        },
        lambda form: apps.set_username_format(
            get_backend(), app_id, form.get("format", ""), form.get("custom") or None, form.get("update_on") or None
        ),
        "The Sign On settings were saved.",
        FORMATS=usernames.FORMATS,
        UPDATE_ON=usernames.UPDATE_ON,
        CUSTOM_EXAMPLES=CUSTOM_EXAMPLES,
    )
