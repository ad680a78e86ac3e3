"""Reports > System Log: the org's events, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template

from okta_sim import apps, syslog
from okta_sim.backend import get_backend

bp = Blueprint("system_log", __name__, url_prefix="/admin/reports/system-log")

SYSLOG_LIMIT = 200


@bp.get("")
def index() -> str:
    backend = get_backend()
    events = syslog.events(backend)
    return render_template(
        "syslog.html",
        events=list(reversed(events))[:SYSLOG_LIMIT],
        total=len(events),
        limit=SYSLOG_LIMIT,
        apps={a["id"]: a for a in apps.list_apps(backend)},
    )
