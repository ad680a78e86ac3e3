"""An app's [Assignments] tab: who has the app, [Assign to People] / [Assign to Groups],
an assignment's form, [Provision User] and unassigning."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for

from okta_sim import apps, usernames
from okta_sim.backend import get_backend
from okta_sim.console.app_tabs import render_app
from okta_sim.console.pages import (
    PENDING_REFRESH_SECONDS,
    announce,
    confirm,
    found,
    optional_int,
    over,
    submit,
)
from okta_sim.directory import model, reads
from okta_sim.errors import NotFound
from okta_sim.provisioning import actions, assignments, mapping, records

bp = Blueprint("assignments", __name__, url_prefix="/admin/apps/<app_id>")


def app_user_of(app_id: str, user_id: str) -> dict[str, Any] | None:
    try:
        return records.get_app_user(get_backend(), app_id, user_id)
    except NotFound:
        return None


def app_group_of(app_id: str, group_id: str) -> dict[str, Any] | None:
    try:
        return records.get_app_group(get_backend(), app_id, group_id)
    except NotFound:
        return None


def services_from(form: dict[str, str], app: dict[str, Any]) -> dict[str, str]:
    """The service selects of an assignment form (blank: not set)."""
    return {name: form.get(f"service-{name}", "") for name in app["attributes"]}


def assignments_page(app: dict[str, Any], show: str) -> str:
    """The Assignments tab, its People or Groups filter (the page every assignment dialog is over)."""
    backend = get_backend()
    pending = backend.jobs.pending_keys()
    people = [
        {
            "app_user": au,
            "user": reads.get_user(backend, au["user_id"]),
            "services": mapping.effective_profile(backend, app, au),
            "pending": au["key"] in pending,
        }
        for au in records.app_users_of_app(backend, app["id"])
    ]
    assigned_groups = [
        {"app_group": ag, "group": reads.get_group(backend, ag["group_id"])}
        for ag in records.app_groups_of_app(backend, app["id"])
    ]
    return render_app(
        "app_assignments.html",
        app,
        show=show,
        menu_open=request.args.get("menu") == "assign",
        people=people,
        # While pushes are queued or running, the page refreshes itself until they are done.
        refresh=PENDING_REFRESH_SECONDS if any(row["pending"] for row in people) else None,
        groups=assigned_groups,
        assigned_note=records.ASSIGNED_BEFORE_PROVISIONING,
    )


@bp.get("/assignments")
def index(app_id: str) -> str:
    app = found(apps.get_app, app_id)
    return assignments_page(app, "groups" if request.args.get("show") == "groups" else "people")


def picker_rows(app: dict[str, Any], kind: str) -> list[tuple[str, str, bool, str]]:
    """Everyone the picker lists: (name, detail, already assigned, the URL of its [Assign])."""
    backend = get_backend()
    if kind == "people":
        assigned = {au["user_id"] for au in records.app_users_of_app(backend, app["id"])}
        return [
            (
                model.display_name(u),
                u["profile"]["login"],
                u["id"] in assigned,
                url_for("console.assignments.assign_person", app_id=app["id"], user_id=u["id"]),
            )
            for u in reads.list_users(backend)
        ]
    assigned = {ag["group_id"] for ag in records.app_groups_of_app(backend, app["id"])}
    return [
        (
            gr["profile"]["name"],
            gr["profile"]["description"],
            gr["id"] in assigned,
            url_for("console.assignments.assign_group", app_id=app["id"], group_id=gr["id"]),
        )
        for gr in reads.list_groups(backend)
    ]


@bp.get("/assign/<any(people, groups):kind>")
def picker(app_id: str, kind: str) -> str:
    """[Assign to People] / [Assign to Groups]: a dialog over the tab listing everyone, with
    [Assign] or "Assigned", a search box (typing filters the rows; Enter asks the server), [Done]."""
    app = found(apps.get_app, app_id)
    query = request.args.get("q", "").strip()
    rows = [
        row for row in picker_rows(app, kind) if query.casefold() in f"{row[0]} {row[1]}".casefold()
    ]
    return over(lambda: assignments_page(app, kind), "assign_picker.html", kind=kind, rows=rows, query=query)


def assignment_form(app: dict[str, Any], kind: str, **context: Any) -> str:
    """The form behind [Assign], in the same dialog over the tab."""
    return over(lambda: assignments_page(app, kind), "assign_form.html", kind=kind, **context)


@bp.route("/assign/people/<user_id>", methods=["GET", "POST"])
def assign_person(app_id: str, user_id: str) -> Any:
    """[Assign] next to a person (or the pencil on the person's row in Assignments): User Name
    and services. A new assignment goes back to the people list; editing one goes back to Assignments.
    """
    app = found(apps.get_app, app_id)
    user = found(reads.get_user, user_id)
    existing = app_user_of(app["id"], user["id"])
    name = model.display_name(user)
    back = (
        url_for("console.assignments.index", app_id=app["id"])
        if existing
        else url_for("console.assignments.picker", app_id=app["id"], kind="people")
    )
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        save = assignments.update_assignment if existing else assignments.assign_user
        app_user, error = submit(
            lambda: save(
                get_backend(),
                app["id"],
                user["id"],
                user_name=form.get("user_name", ""),
                profile=services_from(form, app),
            )
        )
        if app_user is not None:
            announce(app_user, f"{name} is assigned to {app['label']}.")
            return redirect(back)
    elif existing:
        services = mapping.effective_profile(get_backend(), app, existing)
        form = {"user_name": existing["userName"], **{f"service-{k}": v for k, v in services.items()}}
    else:
        sign_on = app["signOn"]
        initial = usernames.initial_user_name(sign_on["usernameFormat"], sign_on["custom"], user["profile"])
        form = {"user_name": initial}
    return assignment_form(app, "people", name=name, form=form, error=error, back=back, editing=bool(existing))


@bp.route("/assign/groups/<group_id>", methods=["GET", "POST"])
def assign_group(app_id: str, group_id: str) -> Any:
    """[Assign] next to a group (or the pencil on its row): Priority and services; its members get the app."""
    app = found(apps.get_app, app_id)
    found_group = found(reads.get_group, group_id)
    existing = app_group_of(app["id"], found_group["id"])
    back = (
        url_for("console.assignments.index", app_id=app["id"], show="groups")
        if existing
        else url_for("console.assignments.picker", app_id=app["id"], kind="groups")
    )
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        _, error = submit(
            lambda: assignments.assign_group(
                get_backend(),
                app["id"],
                found_group["id"],
                profile=services_from(form, app),
                priority=optional_int(form.get("priority", "")),
            )
        )
        if error is None:
            flash(f"{found_group['profile']['name']} is assigned to {app['label']}.", "success")
            return redirect(back)
    elif existing:
        services = {f"service-{k}": v for k, v in existing["profile"].items()}
        form = {"priority": str(existing["priority"]), **services}
    else:
        form = {}
    return assignment_form(
        app, "groups", name=found_group["profile"]["name"], form=form, error=error, back=back, editing=bool(existing)
    )


@bp.post("/assignments/people/<user_id>/provision")
def provision_person(app_id: str, user_id: str) -> Response:
    """[Provision User] for someone assigned before Provisioning was enabled."""
    app = found(apps.get_app, app_id)
    user = found(reads.get_user, user_id)
    app_user, error = submit(lambda: actions.provision_user(get_backend(), app["id"], user["id"]))
    if app_user is None:
        flash(error, "error")
    else:
        state = app_user.get("syncState", "").replace("_", " ").capitalize()
        announce(app_user, f"Provision User: {model.display_name(user)} ({state}).")
    return redirect(url_for("console.assignments.index", app_id=app["id"]))


@bp.route("/assignments/people/<user_id>/unassign", methods=["GET", "POST"])
def unassign_person(app_id: str, user_id: str) -> Any:
    app = found(apps.get_app, app_id)
    user = found(reads.get_user, user_id)
    name = model.display_name(user)
    return confirm(
        title="Unassign Application",
        text=f"Are you sure you want to unassign {name} from {app['label']}?",
        button="OK",
        action=lambda: assignments.unassign_user(get_backend(), app["id"], user["id"]),
        success=f"{name} was unassigned from {app['label']}.",
        back=url_for("console.assignments.index", app_id=app["id"]),
        page=lambda: assignments_page(app, "people"),
    )


@bp.route("/assignments/groups/<group_id>/unassign", methods=["GET", "POST"])
def unassign_group(app_id: str, group_id: str) -> Any:
    app = found(apps.get_app, app_id)
    name = found(reads.get_group, group_id)["profile"]["name"]
    return confirm(
        title="Unassign Application",
        text=f"Are you sure you want to unassign the group {name} from {app['label']}? "
        "Its members lose the application unless they are assigned another way.",
        button="OK",
        action=lambda: assignments.unassign_group(get_backend(), app["id"], group_id),
        success=f"{name} was unassigned from {app['label']}.",
        back=url_for("console.assignments.index", app_id=app["id"], show="groups"),
        page=lambda: assignments_page(app, "groups"),
    )
