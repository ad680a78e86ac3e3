"""Settings > Account: what identifies this org (its Okta domain, the signed-in administrator)."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from okta_sim.orgs import org_url

bp = Blueprint("settings", __name__, url_prefix="/admin/settings")


@bp.get("/account")
def account() -> str:
    """The org's address is what a SCIM app and an API client are given; the lab serves one org."""
    return render_template("settings_account.html", okta_domain=org_url(), admin_login=g.admin)
