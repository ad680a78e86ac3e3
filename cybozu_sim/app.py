"""cybozu_sim's application factory: configuration, the backend, the IP gate and the
blueprints (each tenant's SCIM endpoint, the console, the lab control API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from cybozu_sim import access_gate, console, contract, cybozu_store, lab_api, scim_endpoint
from cybozu_sim.backend import EXTENSION, Backend
from cybozu_sim.seed import seed_demo
from simcore import openapi
from simcore.routing import SharedBuilderRule
from simcore.simulator import configure, install_lab_control

DEFAULTS: dict[str, Any] = {
    "SEED_DEMO": False,
    "SESSION_COOKIE_NAME": "cybozu_session",
    # Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (see
    # ip_restriction.client_address). Empty: the TCP peer is the client, whatever the headers say.
    "TRUSTED_PROXIES": [],
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask("cybozu_sim")  # the package: its templates and static files, and the app's name
    app.url_rule_class = SharedBuilderRule
    store, clock, entropy = configure(app, config, DEFAULTS)
    backend = Backend(store, clock, entropy)
    app.extensions[EXTENSION] = backend
    if app.config["SEED_DEMO"] and store.is_new:
        seed_demo(backend)
    install_lab_control(
        app,
        backend,
        fault_response=scim_endpoint.fault_response,
        seed_demo=lambda: seed_demo(backend),
        routes=lab_api.add_routes,
    )
    access_gate.install(app)
    app.register_blueprint(scim_endpoint.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(cybozu_store.bp)
    openapi.serve(app, contract.openapi)
    return app
