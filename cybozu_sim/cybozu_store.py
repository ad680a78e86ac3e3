"""The cybozu.com Store's "Security & Authentication" tab: IP address restrictions and Basic
authentication, where cybozu.com really sets them (jp.cybozu.help, list_access/ip_restrictions.html,
list_ip_basic/basic_auth.html).

The Store is not behind the domain's access control (access_gate.py), so an
administrator who locked the domain out can still turn the restriction off
(list_access/access_denied.html). The real Store signs in its Store
Administrators by e-mail address; the lab signs in a domain's cybozu.com
administrator instead, and [Configure Now] in cybozu.com Administration > Access
Control hands over the console's sign-in (inference: one kind of administrator
fewer to set up).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for

from cybozu_sim import access_control, accounts, ip_csv, ip_restriction
from cybozu_sim.backend import get_backend
from cybozu_sim.console import outcome, tenant_or_404, tenant_page
from cybozu_sim.errors import CybozuError
from cybozu_sim.tenants import Tenant
from simcore.forms import check_csrf

bp = Blueprint("store", __name__)
# Blank rows the IP address form offers below the saved ones; [Add rows] offers as many more.
BLANK_ROWS = 5


@bp.before_request
def room_for_the_list() -> None:
    """A 10 MB CSV file, and a form of 2,900 rows of three fields (plus blank rows), must fit:
    the app's 1 MiB and Werkzeug's 1,000 form parts do not (set before check_csrf reads the form)."""
    request.max_content_length = ip_csv.MAX_BYTES + 1024 * 1024
    request.max_form_parts = 3 * (ip_restriction.MAX_ENTRIES * 2 + BLANK_ROWS) + 100


bp.before_request(check_csrf)


def grant(domain: str, login: str) -> None:
    """Sign ``login`` in to the Store for ``domain``."""
    signed = dict(session.get("store") or {})
    signed[domain] = login
    session["store"] = signed


def store_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the domain and require a Store sign-in for it by one of its administrators."""

    @wraps(view)
    def wrapper(domain: str, **kwargs: Any) -> Any:
        tenant = tenant_or_404(domain)
        login = (session.get("store") or {}).get(domain)
        account = accounts.get_account(get_backend(), domain, login) if login else None
        if account is None or not account.administrator:
            return redirect(url_for("store.login", domain=domain, next=request.path))
        return view(tenant=tenant, account=account, **kwargs)

    return wrapper


@bp.post("/<subdomain>/admin/access-control/configure")
@tenant_page(admin=True)
def configure_now(tenant: Tenant, account: accounts.Account) -> Response:
    """[Configure Now] in cybozu.com Administration > Access Control: the Store's Security &
    Authentication tab, signed in as this administrator. A console URL, so behind the gate."""
    grant(tenant.subdomain, account.login)
    return redirect(url_for("store.security", domain=tenant.subdomain))


@bp.route("/store/login", methods=["GET", "POST"])
def login() -> Any:
    domain = request.values.get("domain", "")
    error = None
    if request.method == "POST":
        name = request.form.get("login", "")
        account = accounts.verify_password(get_backend(), domain, name, request.form.get("password", ""))
        if account is None or not account.administrator:
            error = "The domain, login name or password is incorrect, or the user is not an administrator."
        else:
            grant(domain, account.login)
            target = request.args.get("next", "")
            if not target.startswith(f"/store/domains/{domain}/"):
                target = url_for("store.security", domain=domain)
            return redirect(target)
    return render_template("store_login.html", domain=domain, error=error)


@bp.get("/store/domains/<domain>/security")
@store_page
def security(tenant: Tenant, account: accounts.Account) -> str:
    return render_template("store_security.html", tenant=tenant, modes=ip_restriction.MODES)


def posted_rows() -> list[list[str]]:
    """The form's rows, up to the last one filled in: a blank row between keeps its place, so
    "Row N" of an error is row N of the form shown again."""
    rows = [list(row) for row in zip(*(request.form.getlist(name) for name in ("ip", "cidr", "memo")), strict=False)]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


@bp.route("/store/domains/<domain>/security/ip-restrictions", methods=["GET", "POST"])
@store_page
def ip_restrictions(tenant: Tenant, account: accounts.Account) -> Any:
    mode = tenant.ip.mode
    rows = [e.row for e in tenant.ip.entries]
    blank = BLANK_ROWS
    if request.method == "POST":
        mode, rows = request.form.get("mode", ""), posted_rows()
        action = request.form.get("action", "save")
        if action == "import":
            upload = request.files.get("file")
            try:
                imported = ip_csv.read_csv(upload.read() if upload else b"")
            except CybozuError as error:
                flash(error.message, "error")
            else:
                mode, rows = ip_restriction.ALLOW_SPECIFIC, [e.row for e in imported]
                flash(
                    f"{len(imported):,} IP address(es) were read from the file. Click Save to apply them.",
                    "success",
                )
        elif action == "add_rows":
            shown = request.form.get("blank", "")
            blank = min(int(shown) if shown.isdigit() else 0, ip_restriction.MAX_ENTRIES) + BLANK_ROWS
        else:

            def save() -> None:
                entries = ip_restriction.check_entries(enumerate(rows, start=1))
                access_control.set_ip_restriction(get_backend(), tenant.subdomain, mode, entries)

            if outcome(save, "The IP address restrictions were saved."):
                return redirect(url_for("store.security", domain=tenant.subdomain))
    return render_template(
        "store_ip_restrictions.html",
        tenant=tenant,
        modes=ip_restriction.MODES,
        mode=mode,
        rows=rows,
        blank=blank,
    )


@bp.get("/store/domains/<domain>/security/ip-restrictions.csv")
@store_page
def ip_restrictions_csv(tenant: Tenant, account: accounts.Account) -> Response:
    return Response(
        ip_csv.write_csv(tenant.ip.entries),
        content_type=ip_csv.CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{tenant.subdomain}-ip-addresses.csv"'},
    )


@bp.route("/store/domains/<domain>/security/basic-authentication", methods=["GET", "POST"])
@store_page
def basic_authentication(tenant: Tenant, account: accounts.Account) -> Any:
    form = {"enabled": tenant.basic.enabled, "user": tenant.basic.user}
    if request.method == "POST":
        form = {"enabled": request.form.get("enabled") == "on", "user": request.form.get("user", "")}
        password = request.form.get("password") or None

        def save() -> None:
            access_control.set_basic_auth(
                get_backend(), tenant.subdomain, enabled=form["enabled"], user=form["user"], password=password
            )

        if outcome(save, "The Basic authentication settings were saved."):
            return redirect(url_for("store.security", domain=tenant.subdomain))
    return render_template("store_basic_auth.html", tenant=tenant, form=form)
