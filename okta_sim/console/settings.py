"""Settings > Account: what identifies this org (its Okta domain, its cell, the signed-in
administrator), and the list of Okta's IP addresses an admin allowlists elsewhere.

Okta publishes the addresses it connects from as one JSON file grouped by cell
(help.okta.com, "Allow access to Okta IP addresses": "This list includes all existing IP
addresses and any new IP addresses reserved for future updates"); the lab serves its own at
``/ip_ranges.json`` with every egress pool of the org, so an allowlist of the published list
survives a rotation, and one of the addresses seen in a single push does not.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template
from flask.typing import ResponseReturnValue

from okta_sim.backend import get_backend
from okta_sim.orgs import org_url

bp = Blueprint("settings", __name__)


def cell() -> str:
    """The org's cell as the published list names it (a lab name: real cells are us_cell_1...)."""
    return f"lab_cell_{current_app.config['ORG_NAME']}" if current_app.config.get("ORG_NAME") else "lab_cell"


def published() -> list[str]:
    """Every address of every egress pool of the org, current and future."""
    return [address for pool in get_backend().egress.pools for address in pool]


@bp.get("/admin/settings/account")
def account() -> str:
    """The org's address is what a SCIM app and an API client are given."""
    return render_template(
        "settings_account.html", okta_domain=org_url(), admin_login=g.admin, cell=cell(), addresses=published()
    )


@bp.get("/ip_ranges.json")
def ip_ranges() -> ResponseReturnValue:
    """Public, as Okta's file is: every address of every pool, current and future."""
    return jsonify({cell(): {"ip_ranges": [f"{address}/32" for address in published()]}})
