"""cybozu_sim: a fake cybozu.com (tenants, admin console, API tokens, Propagate
Provisioning, IP address restriction, service licences, SCIM 2.0 service provider)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, render_template, request

from cybozu_sim.backend import Backend
from cybozu_sim.ip_restriction import allows
from cybozu_sim.tenants import find_tenant
from lab.simulator import configure, install_lab_control

DEFAULTS: dict[str, Any] = {"SEED_DEMO": False, "SESSION_COOKIE_NAME": "cybozu_session"}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    store, clock = configure(app, config, DEFAULTS)
    backend = Backend(store, clock)
    app.extensions["cybozu"] = backend
    from cybozu_sim.seed import seed_demo

    if app.config["SEED_DEMO"] and store.is_new:
        seed_demo(backend)

    from cybozu_sim import api, console, lab_api

    install_lab_control(
        app,
        backend,
        fault_response=api.fault_response,
        seed_demo=lambda: seed_demo(backend),
        routes=lab_api.add_routes,
    )
    app.before_request(enforce_ip_restriction)
    app.register_blueprint(api.bp)
    app.register_blueprint(console.bp)
    return app


def get_backend() -> Backend:
    return current_app.extensions["cybozu"]  # type: ignore[no-any-return]


def enforce_ip_restriction() -> Response | None:
    """Every tenant URL (console and SCIM) is refused before authentication when the
    TCP peer's address is not allowed. The body is HTML, whatever the client asked for."""
    subdomain = (request.view_args or {}).get("subdomain")
    # The lab control API is the lab operator's (loopback and lab key), not a tenant URL.
    if not subdomain or request.path.startswith("/_lab/"):
        return None
    tenant = find_tenant(get_backend(), subdomain)
    if tenant is None or allows(tenant.ip, request.remote_addr):
        return None
    html = render_template("access_denied.html", address=request.remote_addr, tenant=tenant)
    return Response(html, status=403, content_type="text/html; charset=utf-8")
