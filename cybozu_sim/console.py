"""The cybozu.com console: sign-in, portal and cybozu.com Administration.

Server-rendered pages that follow the article's labels word for word
([cybozu.com Administration], [Provisioning], "Create API Token", ...).
Views only translate forms into calls of the domain modules.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for

from cybozu_sim import accounts, propagation, tokens, users
from cybozu_sim.access_gate import client_address
from cybozu_sim.backend import get_backend
from cybozu_sim.errors import CybozuError, NotFound
from cybozu_sim.licenses import SERVICES, usage
from cybozu_sim.scim_endpoint import scim_endpoint
from cybozu_sim.tenants import Tenant, get_tenant, list_tenants
from simcore.forms import check_csrf, csrf_token

bp = Blueprint("console", __name__)
bp.before_request(check_csrf)


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "SERVICES": SERVICES}


def signed_in(subdomain: str) -> str | None:
    return (session.get("auth") or {}).get(subdomain)


def tenant_or_404(subdomain: str) -> Tenant:
    """The environment a page is for; an unknown one is the console's 404 page, with tenants'
    own wording."""
    try:
        return get_tenant(get_backend(), subdomain)
    except NotFound as missing:
        abort(404, missing.message)


def tenant_page(admin: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Resolve the tenant, require a signed-in user (an administrator if ``admin``)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(subdomain: str, **kwargs: Any) -> Any:
            tenant = tenant_or_404(subdomain)
            login = signed_in(subdomain)
            if login is None:
                return redirect(url_for("console.login", subdomain=subdomain, next=request.path))
            account = accounts.get_account(get_backend(), subdomain, login)
            if account is None:
                session.get("auth", {}).pop(subdomain, None)
                return redirect(url_for("console.login", subdomain=subdomain))
            if admin and not account.administrator:
                return Response(
                    render_template("no_privilege.html", tenant=tenant, account=account), status=403
                )
            return view(tenant=tenant, account=account, **kwargs)

        return wrapper

    return decorate


def outcome(action: Callable[[], Any], success: str | None = None) -> bool:
    """Run a domain action; flash its error (or ``success``) for the next page."""
    try:
        action()
    except CybozuError as error:
        flash(error.message, "error")
        return False
    if success:
        flash(success, "success")
    return True


@bp.app_errorhandler(400)
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(413)
def http_error(error: Any) -> tuple[str, int]:
    return render_template("error.html", error=error), error.code


# -- landing and sign-in ----------------------------------------------------


@bp.get("/")
def landing() -> str:
    return render_template("landing.html", tenants=list_tenants(get_backend()))


@bp.route("/<subdomain>/login", methods=["GET", "POST"])
def login(subdomain: str) -> Any:
    tenant = tenant_or_404(subdomain)
    error = None
    if request.method == "POST":
        name = request.form.get("login", "")
        account = accounts.verify_password(get_backend(), subdomain, name, request.form.get("password", ""))
        user = users.find_user_by_login(get_backend(), subdomain, name) if account else None
        if account is None or user is None:
            error = "The login name or password is incorrect."
        elif not user.active:
            error = "This user is inactive and cannot log in."
        else:
            auth = dict(session.get("auth") or {})
            auth[subdomain] = name
            session["auth"] = auth
            target = request.args.get("next", "")
            if not target.startswith(f"/{subdomain}/"):
                target = url_for("console.portal", subdomain=subdomain)
            return redirect(target)
    return render_template("login.html", tenant=tenant, error=error)


@bp.post("/<subdomain>/logout")
def logout(subdomain: str) -> Response:
    auth = dict(session.get("auth") or {})
    auth.pop(subdomain, None)
    session["auth"] = auth
    return redirect(url_for("console.login", subdomain=subdomain))


@bp.get("/<subdomain>/")
@tenant_page(admin=False)
def portal(tenant: Tenant, account: accounts.Account) -> str:
    return render_template("portal.html", tenant=tenant, account=account)


# -- cybozu.com Administration ----------------------------------------------


@bp.get("/<subdomain>/admin/")
@tenant_page(admin=True)
def administration(tenant: Tenant, account: accounts.Account) -> str:
    return render_template("admin_home.html", tenant=tenant, account=account)


@bp.route("/<subdomain>/admin/users", methods=["GET", "POST"])
@tenant_page(admin=True)
def users_page(tenant: Tenant, account: accounts.Account) -> Any:
    form: dict[str, Any] = {}
    if request.method == "POST":
        form = request.form.to_dict()
        done = outcome(
            lambda: users.add_user(
                get_backend(),
                tenant.subdomain,
                login=form.get("login", ""),
                display=form.get("display", ""),
                surname=form.get("surname", ""),
                given=form.get("given", ""),
                email=form.get("email", ""),
                services=request.form.getlist("services"),
                active=form.get("status", "active") == "active",
            ),
            f'The user "{form.get("login", "")}" was added.',
        )
        if done:
            return redirect(url_for("console.users_page", subdomain=tenant.subdomain))
    tenant = get_tenant(get_backend(), tenant.subdomain)
    return render_template(
        "users.html",
        tenant=tenant,
        account=account,
        users=users.list_users(get_backend(), tenant.subdomain),
        form=form,
    )


@bp.route("/<subdomain>/admin/users/<user_id>/edit", methods=["GET", "POST"])
@tenant_page(admin=True)
def user_edit(tenant: Tenant, account: accounts.Account, user_id: str) -> Any:
    """[Edit] a user: names, e-mail address and status (Active/Inactive); the login name only while
    Propagate Provisioning is off (users.edit_user)."""
    try:
        user = users.get_user(get_backend(), tenant.subdomain, user_id)
    except CybozuError as error:
        abort(404, error.message)
    form = user.to_dict() | {"status": "active" if user.active else "inactive"}
    if request.method == "POST":
        form = request.form.to_dict()
        done = outcome(
            lambda: users.edit_user(
                get_backend(),
                tenant.subdomain,
                user_id,
                login=form.get("login", user.login),
                display=form.get("display", ""),
                surname=form.get("surname", ""),
                given=form.get("given", ""),
                email=form.get("email", ""),
                active=form.get("status", "active") == "active",
                acting_login=account.login,
            ),
            f'The user "{form.get("login", user.login)}" was saved.',
        )
        if done:
            return redirect(url_for("console.users_page", subdomain=tenant.subdomain))
    return render_template("user_edit.html", tenant=tenant, account=account, user=user, form=form)


@bp.route("/<subdomain>/admin/users/<user_id>/delete", methods=["GET", "POST"])
@tenant_page(admin=True)
def user_delete(tenant: Tenant, account: accounts.Account, user_id: str) -> Any:
    try:
        user = users.get_user(get_backend(), tenant.subdomain, user_id)
    except CybozuError as error:
        abort(404, error.message)
    if request.method == "POST":
        outcome(
            lambda: users.delete_user(get_backend(), tenant.subdomain, user_id, acting_login=account.login),
            f'The user "{user.login}" was deleted.',
        )
        return redirect(url_for("console.users_page", subdomain=tenant.subdomain))
    return render_template("user_delete.html", tenant=tenant, account=account, user=user)


def provisioning(tenant: Tenant, account: accounts.Account, template: str = "provisioning.html", **extra: Any) -> str:
    """The Provisioning page; [Create API Token]'s dialogs are drawn over it (``template``)."""
    return render_template(
        template,
        tenant=tenant,
        account=account,
        tokens=tokens.list_tokens(get_backend(), tenant.subdomain),
        now=get_backend().clock.now(),
        **extra,
    )


@bp.route("/<subdomain>/admin/provisioning", methods=["GET", "POST"])
@tenant_page(admin=True)
def provisioning_page(tenant: Tenant, account: accounts.Account) -> Any:
    if request.method == "POST":
        enabled = request.form.get("propagate") == "enabled"
        outcome(
            lambda: propagation.set_propagate(get_backend(), tenant.subdomain, enabled),
            f'"Propagate Provisioning" is now {"Enabled" if enabled else "Disabled"}.',
        )
        return redirect(url_for("console.provisioning_page", subdomain=tenant.subdomain))
    return provisioning(tenant, account)


@bp.route("/<subdomain>/admin/provisioning/tokens/new", methods=["GET", "POST"])
@tenant_page(admin=True)
def token_new(tenant: Tenant, account: accounts.Account) -> Any:
    """[Create API Token]: the dialog over the Provisioning page, then the dialog with the value."""
    form = {"validity": tokens.DEFAULT_VALIDITY, "notes": ""}
    error = None
    if request.method == "POST":
        form = {"validity": request.form.get("validity", ""), "notes": request.form.get("notes", "")}
        try:
            _, value = tokens.create_token(
                get_backend(), tenant.subdomain, notes=form["notes"], validity=form["validity"]
            )
        except CybozuError as failure:
            error = failure.message
        else:
            # The only time the value is ever shown: it is not stored, and this page is not cached.
            page = provisioning(
                tenant, account, "token_created.html", token=value, endpoint=scim_endpoint(tenant.subdomain)
            )
            return Response(page, headers={"Cache-Control": "no-store"})
    now = get_backend().clock.now()
    periods = {label: tokens.expiration_for(label, now) for label in tokens.VALIDITY_PERIODS}
    return provisioning(tenant, account, "token_new.html", form=form, error=error, periods=periods)


@bp.post("/<subdomain>/admin/provisioning/tokens/<token_id>")
@tenant_page(admin=True)
def token_action(tenant: Tenant, account: accounts.Account, token_id: str) -> Response:
    action = request.form.get("action")
    if action == "delete":
        outcome(
            lambda: tokens.delete_token(get_backend(), tenant.subdomain, token_id),
            "The API token was deleted.",
        )
    elif action in ("disable", "enable"):
        outcome(
            lambda: tokens.set_enabled(get_backend(), tenant.subdomain, token_id, action == "enable"),
            f"The API token was {action}d.",
        )
    else:
        abort(400, "Unknown action.")
    return redirect(url_for("console.provisioning_page", subdomain=tenant.subdomain))


@bp.get("/<subdomain>/admin/access-control")
@tenant_page(admin=True)
def access_control(tenant: Tenant, account: accounts.Account) -> str:
    """Access Control: the settings themselves are the cybozu.com Store's (cybozu_store.py)."""
    return render_template("access_control.html", tenant=tenant, account=account, address=client_address())


@bp.get("/<subdomain>/admin/licenses")
@tenant_page(admin=True)
def licenses_page(tenant: Tenant, account: accounts.Account) -> str:
    all_users = users.list_users(get_backend(), tenant.subdomain)
    rows = usage(tenant.licenses, ((u.active, u.services) for u in all_users))
    return render_template("licenses.html", tenant=tenant, account=account, rows=rows)
