"""okta_sim: the fake Okta org. Its directory, catalog app and provisioning engine
arrive with issue 3; until then it serves a placeholder page and the lab control API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template

from lab.simulator import configure, install_lab_control


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    store, clock = configure(app, config, {})

    def fault_response(status: int, path: str, headers: dict[str, str]) -> Response:
        body = {
            "errorCode": "E0000047" if status == 429 else "E0000009",
            "errorSummary": "Fault injected by the lab.",
        }
        response = jsonify(body)
        response.status_code = status
        response.headers.update(headers)
        return response

    install_lab_control(
        app,
        clock=clock,
        reset=store.clear,
        snapshot=store.snapshot,
        restore=store.restore,
        fault_response=fault_response,
    )

    @app.get("/")
    def home() -> str:
        return render_template("placeholder.html")

    return app
