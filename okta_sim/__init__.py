"""okta_sim: the fake Okta org. Its directory, catalog app and provisioning engine
arrive with issue 3; until then it serves a placeholder page and the lab control API."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template

from lab.clock import LabClock
from lab.control import LabHooks, create_control_blueprint, install_fault_hook
from lab.faults import FaultInjector
from lab.storage import Store


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secrets.token_hex(32), LAB_KEY=secrets.token_urlsafe(24), DATA_FILE=None)
    app.config.update(config or {})
    store = app.config.get("STORE") or Store(app.config["DATA_FILE"])
    clock = app.config.get("CLOCK") or LabClock()

    def fault_response(status: int, path: str, headers: dict[str, str]) -> Response:
        body = {
            "errorCode": "E0000047" if status == 429 else "E0000009",
            "errorSummary": "Fault injected by the lab.",
        }
        response = jsonify(body)
        response.status_code = status
        response.headers.update(headers)
        return response

    hooks = LabHooks(
        clock=clock,
        faults=FaultInjector(),
        reset=store.clear,
        snapshot=store.snapshot,
        restore=store.restore,
        fault_response=fault_response,
    )
    install_fault_hook(app, hooks)
    app.register_blueprint(create_control_blueprint(hooks))

    @app.get("/")
    def home() -> str:
        return render_template("placeholder.html")

    return app
