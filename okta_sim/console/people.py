"""Directory > People: the list with [Add Person], a person's profile, lifecycle buttons and [Delete]."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from okta_sim import directory_writes
from okta_sim.backend import get_backend
from okta_sim.console.pages import attempt, confirm, found, submit
from okta_sim.directory import model, reads

bp = Blueprint("people", __name__, url_prefix="/admin/people")

# The person forms: Okta profile attribute -> label ([Add Person] asks the first ones).
ADD_PERSON_FORM = [
    ("firstName", "First name"),
    ("lastName", "Last name"),
    ("login", "Username"),
    ("email", "Primary email"),
]
PROFILE_FORM = [
    *ADD_PERSON_FORM,
    ("displayName", "Display name"),
    ("secondEmail", "Secondary email"),
    ("mobilePhone", "Mobile phone"),
    ("title", "Title"),
    ("department", "Department"),
]
# model.LIFECYCLE action -> (button, what the flash message says happened)
LIFECYCLE_LABELS = {
    "activate": ("Activate", "activated"),
    "reactivate": ("Reactivate", "reactivated"),
    "deactivate": ("Deactivate", "deactivated"),
    "suspend": ("Suspend", "suspended"),
    "unsuspend": ("Unsuspend", "unsuspended"),
    "unlock": ("Unlock", "unlocked"),
}


@bp.route("", methods=["GET", "POST"])
def index() -> Any:
    form: dict[str, str] = {}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        user, error = submit(
            lambda: directory_writes.create_user(get_backend(), {key: form.get(key, "") for key, _ in ADD_PERSON_FORM})
        )
        if user is not None:
            flash(f"{model.display_name(user)} was added.", "success")
            return redirect(url_for("console.people.index"))
    return render_template(
        "people.html",
        people=reads.list_users(get_backend()),
        fields=ADD_PERSON_FORM,
        form=form,
        error=error,
    )


@bp.route("/<user_id>", methods=["GET", "POST"])
def person(user_id: str) -> Any:
    user = found(reads.get_user, user_id)
    form = dict(user["profile"])
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        changed, error = submit(
            lambda: directory_writes.update_user(
                get_backend(), user["id"], {key: form.get(key, "") for key, _ in PROFILE_FORM}
            )
        )
        if changed is not None:
            flash("The profile was saved.", "success")
            return redirect(url_for("console.people.person", user_id=user["id"]))
    return render_template(
        "person.html",
        user=user,
        name=model.display_name(user),
        fields=PROFILE_FORM,
        form=form,
        error=error,
        actions=[(action, LIFECYCLE_LABELS[action][0]) for action in model.lifecycle_actions(user)],
        deletable=user["status"] == model.DEPROVISIONED,
        groups=reads.groups_of(get_backend(), user["id"]),
    )


@bp.post(f"/<user_id>/<any({', '.join(LIFECYCLE_LABELS)}):action>")
def lifecycle(user_id: str, action: str) -> Response:
    user = found(reads.get_user, user_id)
    attempt(
        lambda: directory_writes.change_status(get_backend(), user["id"], action),
        f"{model.display_name(user)} was {LIFECYCLE_LABELS[action][1]}.",
    )
    return redirect(url_for("console.people.person", user_id=user["id"]))


@bp.route("/<user_id>/delete", methods=["GET", "POST"])
def delete(user_id: str) -> Any:
    user = found(reads.get_user, user_id)
    name = model.display_name(user)
    return confirm(
        title=f"Delete {name}?",
        text=f"{name} ({user['profile']['login']}) will be deleted from Okta for good.",
        button="Delete",
        action=lambda: directory_writes.delete_user(get_backend(), user["id"]),
        # delete_user only deactivates someone who is not deactivated yet (Okta's DELETE).
        success=lambda deleted: f"{name} was {'deleted' if deleted else 'deactivated'}.",
        back=url_for("console.people.index"),
    )
