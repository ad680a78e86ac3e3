"""okta_sim's application factory: configuration, the org's backend, and its blueprints
(/api/v1, the admin console, the lab control API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify

from okta_sim import contract, lab_api, orgs
from okta_sim.api_v1 import protocol
from okta_sim.api_v1.blueprint import bp as api_v1
from okta_sim.backend import DEFAULT_SCIM_URL_TEMPLATE, EXTENSION, Egress, OktaBackend
from okta_sim.console.blueprint import bp as console
from okta_sim.provisioning import queue
from okta_sim.seed import seed_admin, seed_demo
from simcore import openapi
from simcore.routing import SharedBuilderRule
from simcore.simulator import configure, install_lab_control

DEFAULTS: dict[str, Any] = {
    "SEED_DEMO": False,
    # Browsers share cookies between ports of one host: each console keeps its own cookie.
    "SESSION_COOKIE_NAME": "okta_session",
    # The one template that maps the app's "Domain Name" to cybozu's SCIM endpoint.
    "SCIM_URL_TEMPLATE": DEFAULT_SCIM_URL_TEMPLATE,
    "SCIM_TIMEOUT": 60.0,
    "EGRESS_POOLS": None,  # None: backend.DEFAULT_EGRESS_POOLS
    "EGRESS_BIND": True,
    # Create the org's administrator (admin@example.com) in a new store without the demo data:
    # a scenario's lab needs someone to sign in to the console (the demo data includes one).
    "ORG_ADMIN": False,
    # Okta provisions in the background (okta_sim.provisioning.queue): "queued", or "inline" to
    # push inside the admin's request as the lab once did; PUSH_WORKERS pushes run at once.
    "PUSH_MODE": "queued",
    "PUSH_WORKERS": 4,
    # A push that meets a 5xx or a timeout tries again this often before it ends in a Task.
    "SCIM_RETRIES": 1,
    # The lab's own org also hosts other orgs at /orgs/<name>/ (okta_sim.orgs), a class's
    # trainees' each; ORGS_DIR keeps them across restarts (None: in memory).
    "HOST_ORGS": True,
    "ORGS_DIR": None,
    "ORG_NAME": None,  # an org's name under /orgs/ (None: the root org)
    "ADMIN_PASSWORD": None,  # the administrator's password where ORG_ADMIN creates one (None: the default)
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask("okta_sim")  # the package: its templates and static files, and the app's name
    app.url_rule_class = SharedBuilderRule
    store, clock, entropy = configure(app, config, DEFAULTS)
    egress = Egress(bind=app.config["EGRESS_BIND"])
    if app.config["EGRESS_POOLS"]:
        egress.pools = [list(pool) for pool in app.config["EGRESS_POOLS"]]
    backend = OktaBackend(
        store,
        clock,
        scim_url_template=app.config["SCIM_URL_TEMPLATE"],
        scim_timeout=app.config["SCIM_TIMEOUT"],
        egress=egress,
        push_mode=app.config["PUSH_MODE"],
        push_workers=app.config["PUSH_WORKERS"],
        scim_retries=app.config["SCIM_RETRIES"],
        entropy=entropy,
    )
    if backend.push_mode not in queue.MODES:
        raise ValueError(f"PUSH_MODE must be one of {', '.join(queue.MODES)}, not {backend.push_mode!r}")
    queue.install(backend)
    app.extensions[EXTENSION] = backend
    if app.config["SEED_DEMO"] and store.is_new:
        seed_demo(backend)
    elif app.config["ORG_ADMIN"] and store.is_new:
        seed_admin(backend, app.config["ADMIN_PASSWORD"])

    install_lab_control(
        app,
        backend,
        fault_response=fault_response,
        seed_demo=lambda: seed_demo(backend),
        routes=lab_api.add_org_routes if app.config["HOST_ORGS"] else lab_api.add_routes,
    )
    app.register_blueprint(api_v1)
    app.register_blueprint(console)
    openapi.serve(app, contract.openapi)
    if app.config["HOST_ORGS"]:
        orgs.install(app, create_app)
    return app


def fault_response(status: int, path: str, headers: dict[str, str]) -> Response:
    """A lab fault answers in Okta's error format: a 429 as Okta's rate limit, anything else as its 500."""
    if status == 429:
        code, summary = protocol.RateLimited.code, protocol.RATE_LIMITED
    else:
        code, summary = protocol.HTTP_ERRORS[500]
    response = jsonify(protocol.error_body(code, summary, error_id="oae-lab-fault"))
    response.status_code = status
    response.headers.update(headers)
    return response
