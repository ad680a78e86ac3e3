"""cybozu_sim: a fake cybozu.com (tenants, admin console, API tokens, Propagate
Provisioning, IP address restriction, service licences, SCIM 2.0 service provider)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, render_template, request

from cybozu_sim import ip_restriction
from cybozu_sim.backend import Backend
from cybozu_sim.tenants import find_tenant
from lab.simulator import configure, install_lab_control

DEFAULTS: dict[str, Any] = {
    "SEED_DEMO": False,
    "SESSION_COOKIE_NAME": "cybozu_session",
    # Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (see
    # ip_restriction.client_address). Empty: the TCP peer is the client, whatever the headers say.
    "TRUSTED_PROXIES": [],
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    store, clock = configure(app, config, DEFAULTS)
    backend = Backend(store, clock)
    app.extensions["cybozu"] = backend
    app.extensions["trusted_proxies"] = ip_restriction.parse_trusted_proxies(app.config["TRUSTED_PROXIES"])
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


def client_address() -> str | None:
    """The address of the request's client as IP address restriction sees it (the one rule
    for the SCIM endpoint, the console and its "current IP address")."""
    return ip_restriction.client_address(
        request.remote_addr,
        request.headers.getlist("X-Forwarded-For"),
        current_app.extensions["trusted_proxies"],
    )


def enforce_ip_restriction() -> Response | None:
    """Every tenant URL (console and SCIM) is refused before authentication when the
    client's address is not allowed. The body is HTML, whatever the client asked for."""
    subdomain = (request.view_args or {}).get("subdomain")
    # The lab control API is the lab operator's (loopback and lab key), not a tenant URL.
    if not subdomain or request.path.startswith("/_lab/"):
        return None
    tenant = find_tenant(get_backend(), subdomain)
    address = client_address()
    if tenant is None or ip_restriction.allows(tenant.ip, address):
        return None
    html = render_template("access_denied.html", address=address, tenant=tenant)
    return Response(html, status=403, content_type="text/html; charset=utf-8")
