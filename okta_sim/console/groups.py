"""Directory > Groups: the list with [Add Group], and a group's members ([Add], [Remove])."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from okta_sim import directory_writes
from okta_sim.backend import get_backend
from okta_sim.console.pages import attempt, found, person_name, submit
from okta_sim.directory import reads

bp = Blueprint("groups", __name__, url_prefix="/admin/groups")


@bp.route("", methods=["GET", "POST"])
def index() -> Any:
    form: dict[str, str] = {}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        group, error = submit(
            lambda: directory_writes.create_group(get_backend(), form.get("name", ""), form.get("description", ""))
        )
        if group is not None:
            flash(f"The group {group['profile']['name']} was added.", "success")
            return redirect(url_for("console.groups.index"))
    return render_template("groups.html", groups=reads.list_groups(get_backend()), form=form, error=error)


@bp.get("/<group_id>")
def group(group_id: str) -> str:
    found_group = found(reads.get_group, group_id)
    everyone = reads.list_users(get_backend())
    return render_template(
        "group.html",
        group=found_group,
        members=[u for u in everyone if u["id"] in found_group["members"]],
        others=[u for u in everyone if u["id"] not in found_group["members"]],
    )


@bp.post("/<group_id>/members")
def add_member(group_id: str) -> Response:
    found_group = found(reads.get_group, group_id)
    attempt(
        lambda: directory_writes.set_membership(
            get_backend(), found_group["id"], request.form.get("person", ""), True
        ),
        f"The person was added to {found_group['profile']['name']}.",
    )
    return redirect(url_for("console.groups.group", group_id=found_group["id"]))


@bp.post("/<group_id>/members/<user_id>/remove")
def remove_member(group_id: str, user_id: str) -> Response:
    found_group = found(reads.get_group, group_id)
    attempt(
        lambda: directory_writes.set_membership(get_backend(), found_group["id"], user_id, False),
        f"{person_name(user_id)} was removed from {found_group['profile']['name']}.",
    )
    return redirect(url_for("console.groups.group", group_id=found_group["id"]))
