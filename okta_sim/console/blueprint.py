"""The console's blueprint: the menus' blueprints nested in one that carries what every page
needs (the CSRF check, then the sign-in rule; the layout, template globals and error pages)."""

from __future__ import annotations

from flask import Blueprint

from okta_sim.console import (
    applications,
    assignments_tab,
    groups,
    pages,
    people,
    provisioning_tab,
    security_api,
    settings,
    sign_in,
    system_log,
    tasks,
)
from simcore.forms import check_csrf

bp = Blueprint("console", __name__)
bp.before_request(check_csrf)
bp.before_request(pages.require_admin)
bp.context_processor(pages.layout)
for function in pages.TEMPLATE_GLOBALS:
    bp.add_app_template_global(function)
for code in (400, 404, 405, 413):
    bp.register_error_handler(code, pages.http_error)

for menu in (
    sign_in,
    people,
    groups,
    applications,
    provisioning_tab,
    assignments_tab,
    tasks,
    security_api,
    system_log,
    settings,
):
    bp.register_blueprint(menu.bp)
