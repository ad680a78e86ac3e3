"""An app's [Provisioning] tab (Integration, To App, [Force Sync]) and its Profile Editor
([Go to Profile Editor] on To App)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for

from okta_sim import apps
from okta_sim.backend import get_backend
from okta_sim.console.app_tabs import checkbox, render_app, settings_section
from okta_sim.console.pages import confirm, editing, found, no_store, submit
from okta_sim.provisioning import actions, integration, mapping

bp = Blueprint("provisioning", __name__, url_prefix="/admin/apps/<app_id>")


def opening_section(enabled: bool) -> str:
    """The section the tab shows: [To App] once the API integration is enabled, else [Integration]."""
    return "console.provisioning.to_app" if enabled else "console.provisioning.integration"


@bp.get("/provisioning")
def tab(app_id: str) -> Response:
    """The [Provisioning] tab opens on [To App] once the API integration is enabled, else on [Integration]."""
    app = found(apps.get_app, app_id)
    return redirect(url_for(opening_section(app["provisioning"]["enabled"]), app_id=app["id"]))


@bp.route("/provisioning/integration", methods=["GET", "POST"], endpoint="integration")
def integration_section(app_id: str) -> Any:
    """[Configure API Integration] / [Edit]: "Enable API integration", "API Token",
    [Test API Credentials] (re-renders the form with the outcome) and [Save]."""
    app = found(apps.get_app, app_id)
    if request.method == "GET":
        form = {"enabled": checkbox(app["provisioning"]["enabled"]), "token": ""}
        return render_app("app_integration.html", app, form=form, editing=editing())
    form = request.form.to_dict()
    enabled, token = form.get("enabled") == "on", form.get("token", "")
    if form.get("action") == "test":
        verified = integration.test_credentials(get_backend(), app, token)
        return no_store(render_app("app_integration.html", app, form=form, editing=True, verified=verified))
    _, error = submit(
        lambda: integration.configure_api_integration(get_backend(), app["id"], enabled=enabled, token=token or None)
    )
    if error is not None:
        return no_store(render_app("app_integration.html", app, form=form, editing=True, error=error))
    flash(f"API integration: {'Enabled' if enabled else 'Disabled'}", "success")
    return redirect(url_for(opening_section(enabled), app_id=app["id"]))


@bp.route("/provisioning/to-app", methods=["GET", "POST"])
def to_app(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_to_app.html",
        lambda app: {key: checkbox(on) for key, on in app["provisioning"]["toApp"].items()},
        lambda form: integration.set_provisioning_to_app(
            get_backend(),
            app_id,
            create=form.get("create") == "on",
            update=form.get("update") == "on",
            deactivate=form.get("deactivate") == "on",
        ),
        "The Provisioning to App settings were saved.",
        mappings=mapping.ATTRIBUTE_MAPPINGS,
    )


@bp.post("/provisioning/force-sync")
def force_sync(app_id: str) -> Response:
    app = found(apps.get_app, app_id)
    checked, error = submit(lambda: actions.force_sync(get_backend(), app["id"]))
    if checked is None:
        flash(error, "error")
    else:
        flash(actions.force_sync_message(checked), "success")
    return redirect(url_for("console.provisioning.to_app", app_id=app["id"]))


# -- Profile Editor ---------------------------------------------------------


@bp.get("/profile-editor")
def profile_editor(app_id: str) -> str:
    return render_app(
        "profile_editor.html", found(apps.get_app, app_id), mappings=mapping.ATTRIBUTE_MAPPINGS
    )


@bp.route("/profile-editor/<attribute>/delete", methods=["GET", "POST"])
def attribute_delete(app_id: str, attribute: str) -> Any:
    app = found(apps.get_app, app_id)
    if attribute not in app["attributes"]:
        abort(404, f"Not found: Resource not found: {attribute} (Attribute)")
    label = apps.attribute_label(attribute)
    return confirm(
        title="Delete Attribute",
        text=f"Are you sure you want to delete the attribute {label} ({attribute})? "
        f"{app['label']} will no longer be told whether users use {label}.",
        button="Delete Attribute",
        action=lambda: apps.delete_attribute(get_backend(), app["id"], attribute),
        success=f"The attribute {label} was deleted.",
        back=url_for("console.provisioning.profile_editor", app_id=app["id"]),
        page=lambda: profile_editor(app["id"]),
    )
