"""What every console page needs: the sign-in rule, the layout, the error pages, and the
helpers that turn a form or a button into a domain call.

``blueprint.py`` attaches the hooks and template globals here to the console's blueprint,
so that they apply to every menu's pages (and only to them: /api/v1 answers in Okta's JSON).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, abort, flash, g, redirect, render_template, request, session, url_for

from okta_sim import apps
from okta_sim.backend import get_backend
from okta_sim.console import menu
from okta_sim.directory import model, reads
from okta_sim.errors import NotFound, OktaError
from okta_sim.provisioning import outcomes, records
from simcore.forms import csrf_token

T = TypeVar("T")

SESSION_ADMIN = "okta_admin"
PUBLIC_ENDPOINTS = {"console.sign_in.home", "console.sign_in.login", "console.settings.ip_ranges"}

STATUS_LABELS = {
    model.ACTIVE: "Active",
    model.STAGED: "Staged",
    model.PROVISIONED: "Pending user action",
    model.SUSPENDED: "Suspended",
    model.LOCKED_OUT: "Locked out",
    model.DEPROVISIONED: "Deactivated",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def this_page(query: bool = False) -> str:
    """The address of the page being served, under its org's prefix (``request.path`` alone
    lacks it: a form posting there would reach the lab's own org), with its query if ``query``."""
    path = request.script_root + request.path
    return path + "?" + request.query_string.decode() if query and request.query_string else path


# Functions every template may call.
TEMPLATE_GLOBALS: list[Callable[..., Any]] = [
    csrf_token, status_label, apps.attribute_label, model.display_name, this_page,
]  # fmt: skip


def layout() -> dict[str, Any]:
    """What the layout shows on every page: who is signed in, the menu, and the count of open tasks."""
    return {
        "admin": g.get("admin"),
        "menu_sections": menu.SECTIONS,
        "open_tasks": lambda: len(outcomes.list_tasks(get_backend())),
    }


def require_admin() -> Response | None:
    """Every page but the sign-in page needs a signed-in administrator who still exists."""
    login = session.get(SESSION_ADMIN)
    if login and get_backend().admins.get(login) is not None:
        g.admin = login
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return redirect(url_for("console.sign_in.login", next=request.full_path.rstrip("?")))


def http_error(error: Any) -> tuple[str, int]:
    """Console errors as pages (scoped to the console's blueprint: /api/v1 answers in Okta's JSON)."""
    return render_template("error.html", error=error), error.code


# -- helpers: domain calls from forms ---------------------------------------


def describe(error: OktaError) -> str:
    return f"{error.message} ({'; '.join(error.causes)})" if error.causes else error.message


def submit(action: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run a domain call for a form: (its result, None), or (None, the error to show)."""
    try:
        return action(), None
    except OktaError as error:
        return None, describe(error)


def attempt(action: Callable[[], T], success: str | Callable[[T], str]) -> None:
    """Run a domain call for a button: flash its error, or ``success`` (text, or made from the result)."""
    result, error = submit(action)
    if error is not None:
        flash(error, "error")
    else:
        flash(success if isinstance(success, str) else success(result), "success")  # type: ignore[arg-type]


def found(getter: Callable[..., T], *ids: str) -> T:
    """A domain lookup by id; an unknown id is a 404 page with Okta's message."""
    try:
        return getter(get_backend(), *ids)
    except NotFound as error:
        abort(404, error.message)


def over(page: Callable[[], T], template: str, **context: Any) -> T:
    """A dialog over the page it belongs to, as Okta's are: ``page`` renders that page, and the
    layout adds ``template`` (with ``context`` as ``dialog``), which okta.js makes modal.

    Without JavaScript it is still there, open, above the page; its Cancel is a link back."""
    g.dialog = {"template": template, **context}
    return page()


def confirm(
    *,
    title: str,
    text: str,
    button: str,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    back: str,
    page: Callable[[], Any],
) -> Any:
    """The one confirmation dialog, over ``page``: GET shows it, its button (a POST) runs
    ``action``, Cancel (or Escape) goes ``back``."""
    if request.method == "POST":
        attempt(action, success)
        return redirect(back)
    return over(page, "confirm.html", title=title, text=text, button=button, cancel=back)


# How often a page that shows pushes (Assignments, a person's Applications) reloads itself
# while one of them is queued or running, so that it shows the outcome without a click.
PENDING_REFRESH_SECONDS = 2


def editing() -> bool:
    """Okta's settings pattern: a section is read-only until [Edit] (``?mode=edit``)."""
    return request.args.get("mode") == "edit"


def no_store(page: str) -> Response:
    """A page showing a secret (an API token) must not be kept in the browser's cache."""
    return Response(page, headers={"Cache-Control": "no-store"})


def optional_int(text: str) -> int | str | None:
    """A number field: blank is None, digits an int; anything else goes to the domain to be refused."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def person_name(user_id: str) -> str:
    """A person's name for a table, or the id of one deleted since (tasks outlive people)."""
    try:
        return model.display_name(reads.get_user(get_backend(), user_id))
    except NotFound:
        return user_id


def announce(app_user: dict[str, Any], done: str) -> None:
    """After an assignment change: the push's error as Okta words it (it is also a Task), or ``done``.
    A queued push has no outcome yet: [Assignments] shows it pending, then its result."""
    backend = get_backend()
    current = backend.app_users.get(app_user["key"]) or app_user
    if current.get("syncState") == records.ERROR and not backend.jobs.pending(app_user["key"]):
        flash(current["lastError"], "error")
    else:
        flash(done, "success")
