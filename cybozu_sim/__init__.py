"""cybozu_sim: a fake cybozu.com (tenants, admin console, API tokens, Propagate
Provisioning, IP address restriction, service licences, SCIM 2.0 service provider)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, render_template, request

from cybozu_sim.backend import Backend
from cybozu_sim.ip_restriction import allows
from cybozu_sim.tenants import find_tenant
from lab.clock import LabClock
from lab.control import LabHooks, install_fault_hook
from lab.faults import FaultInjector
from lab.storage import Store

DEFAULTS: dict[str, Any] = {
    "DATA_FILE": None,  # None: memory store
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # SCIM bodies and forms over 1 MiB get a 413
    "SEED_DEMO": False,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.config["LAB_KEY"] = secrets.token_urlsafe(24)
    app.config.update(config or {})

    store = app.config.get("STORE") or Store(app.config["DATA_FILE"])
    clock = app.config.get("CLOCK") or LabClock()
    backend = Backend(store, clock)
    app.extensions["cybozu"] = backend
    if app.config["SEED_DEMO"] and store.is_new:
        from cybozu_sim.seed import seed_demo

        seed_demo(backend)

    from cybozu_sim import api, console, lab_api

    hooks = LabHooks(
        clock=clock,
        faults=FaultInjector(),
        reset=backend.reset,
        snapshot=backend.snapshot,
        restore=backend.restore,
        fault_response=api.fault_response,
    )
    app.extensions["lab_hooks"] = hooks
    install_fault_hook(app, hooks)
    app.before_request(enforce_ip_restriction)
    app.register_blueprint(api.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(lab_api.create_blueprint(hooks))
    return app


def get_backend() -> Backend:
    return current_app.extensions["cybozu"]  # type: ignore[no-any-return]


def enforce_ip_restriction() -> Response | None:
    """Every tenant URL (console and SCIM) is refused before authentication when the
    TCP peer's address is not allowed. The body is HTML, whatever the client asked for."""
    subdomain = (request.view_args or {}).get("subdomain")
    if not subdomain:
        return None
    tenant = find_tenant(get_backend(), subdomain)
    if tenant is None or allows(tenant.ip, request.remote_addr):
        return None
    html = render_template("access_denied.html", address=request.remote_addr, tenant=tenant)
    return Response(html, status=403, content_type="text/html; charset=utf-8")
