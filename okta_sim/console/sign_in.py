"""Signing in and out of the console, and the Dashboard an administrator lands on."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from okta_sim import admins, syslog
from okta_sim.backend import get_backend
from okta_sim.console.pages import SESSION_ADMIN

bp = Blueprint("sign_in", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        ok = admins.verify(get_backend(), username, request.form.get("password", ""))
        syslog.record(
            get_backend(),
            "user.session.start",
            "User login to Okta",
            result="SUCCESS" if ok else "FAILURE",
            reason=None if ok else "INVALID_CREDENTIALS",
            actor=username,
        )
        if ok:
            session.clear()  # a new session (and CSRF token) for the signed-in administrator
            session[SESSION_ADMIN] = username
            # ``next`` is a path of this org (pages.require_admin): under its /orgs/<name> prefix.
            target = request.args.get("next", "")
            if target.startswith("/admin/"):
                return redirect(request.script_root + target)
            return redirect(url_for("console.sign_in.dashboard"))
        error = "Unable to sign in: the username or password is incorrect."
    return render_template("login.html", error=error, username=username)


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("console.sign_in.login"))


@bp.get("/")
def home() -> Any:
    """The org's address (https://{subdomain}.okta.com/) shows the sign-in form, as Okta's does."""
    if g.get("admin"):
        return redirect(url_for("console.sign_in.dashboard"))
    return render_template("login.html", error=None, username="")


@bp.get("/admin/")
def dashboard() -> str:
    backend = get_backend()
    # Counted from the indexes: the dashboard stays instant with 10,000 people and pushes running.
    counts = {"People": len(backend.users), "Groups": len(backend.groups), "Applications": len(backend.apps)}
    return render_template("dashboard.html", counts=counts)
