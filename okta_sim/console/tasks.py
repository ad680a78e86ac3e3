"""Tasks: the pushes that failed, [Retry Selected], and [Save Assignment and Retry]."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from okta_sim import apps, usernames
from okta_sim.backend import get_backend
from okta_sim.console.pages import announce, attempt, person_name, submit
from okta_sim.provisioning import actions, assignments, outcomes

bp = Blueprint("tasks", __name__, url_prefix="/admin/tasks")


@bp.get("")
def index() -> str:
    backend = get_backend()
    by_id = {a["id"]: a for a in apps.list_apps(backend)}
    rows = [
        {
            "task": task,
            "app": by_id.get(task["app_id"]),
            "person": person_name(task["user_id"]),
            "needs_user_name": usernames.BLANK in task["message"],
        }
        for task in outcomes.list_tasks(backend)
    ]
    return render_template("tasks.html", rows=rows)


@bp.post("/retry")
def retry() -> Response:
    selected = request.form.getlist("task")
    if not selected:
        flash("Select the tasks to retry.", "error")
    else:
        attempt(
            lambda: actions.retry_tasks(get_backend(), selected),
            actions.retry_message,
        )
    return redirect(url_for("console.tasks.index"))


@bp.post("/<task_id>/user-name")
def user_name(task_id: str) -> Response:
    """[Save Assignment and Retry]: the User Name a blank-userName failure needs, then the push again."""
    task = next((t for t in outcomes.list_tasks(get_backend()) if t["id"] == task_id), None)
    if task is None:
        abort(404, f"Not found: Resource not found: {task_id} (Task)")
    app_user, error = submit(
        lambda: assignments.update_assignment(
            get_backend(), task["app_id"], task["user_id"], user_name=request.form.get("user_name", "")
        )
    )
    if app_user is None:
        flash(error, "error")
    else:
        announce(app_user, f"The assignment of {person_name(task['user_id'])} was saved and retried.")
    return redirect(url_for("console.tasks.index"))
