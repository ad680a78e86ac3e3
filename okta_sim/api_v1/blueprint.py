"""The API's blueprint: one per resource family, nested in ``api_v1`` (url prefix /api/v1), which
carries the protocol every request goes through (okta_sim/api_v1/protocol.py)."""

from __future__ import annotations

from flask import Blueprint

from okta_sim.api_v1 import app_users, applications, groups, logs, protocol, users

bp = Blueprint("api_v1", __name__, url_prefix=protocol.PREFIX)
protocol.install(bp)
for resource in (users, groups, applications, app_users, logs):
    bp.register_blueprint(resource.bp)
