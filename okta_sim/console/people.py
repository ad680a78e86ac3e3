"""Directory > People: the list with [Add Person], a person's profile, lifecycle buttons and [Delete]."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from okta_sim import apps, directory_writes
from okta_sim.backend import get_backend
from okta_sim.console.pages import PENDING_REFRESH_SECONDS, attempt, confirm, editing, found, submit
from okta_sim.directory import model, reads
from okta_sim.provisioning import records

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
# Under [More Actions] on a person's page, as in Okta; Deactivate asks first.
MORE_ACTIONS = ("suspend", "unsuspend", "unlock", "deactivate")
ASKED_FIRST = ("deactivate",)


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


def applications_of(user: dict[str, Any]) -> list[dict[str, Any]]:
    """The Applications tab: each app the person has, how, and its push (pending while queued)."""
    backend = get_backend()
    pending = backend.jobs.pending_keys()
    return [
        {"app": apps.public(apps.get_app(backend, au["app_id"])), "app_user": au, "pending": au["key"] in pending}
        for au in records.app_users_of_user(backend, user["id"])
    ]


def person_page(user: dict[str, Any], tab: str, **context: Any) -> str:
    """A person's page: the name, status and lifecycle actions over one of its tabs.

    Deactivate and Suspend sit under [More Actions] as in Okta; the tab's own data comes in
    ``context`` (the Applications tab's rows are read here: it is the page's default)."""
    actions = [(action, LIFECYCLE_LABELS[action][0]) for action in model.lifecycle_actions(user)]
    if tab == "applications":
        context["rows"] = applications_of(user)
    return render_template(
        "person.html",
        user=user,
        name=model.display_name(user),
        tab=tab,
        buttons=[(action, label) for action, label in actions if action not in MORE_ACTIONS],
        more=[(action, label) for action, label in actions if action in MORE_ACTIONS],
        deletable=user["status"] == model.DEPROVISIONED,
        refresh=PENDING_REFRESH_SECONDS if any(row["pending"] for row in context.get("rows", [])) else None,
        **context,
    )


@bp.get("/<user_id>")
def person(user_id: str) -> str:
    """The Applications tab, where Okta opens a person."""
    return person_page(found(reads.get_user, user_id), "applications")


@bp.get("/<user_id>/groups")
def person_groups(user_id: str) -> str:
    return person_page(found(reads.get_user, user_id), "groups", groups=reads.groups_of(get_backend(), user_id))


@bp.route("/<user_id>/profile", methods=["GET", "POST"])
def profile(user_id: str) -> Any:
    """The Profile tab: the attributes read-only with [Edit]; [Save] keeps what was typed on an error."""
    user = found(reads.get_user, user_id)
    if request.method == "GET":
        return person_page(user, "profile", fields=PROFILE_FORM, form=user["profile"], error=None, editing=editing())
    form = request.form.to_dict()
    changed, error = submit(
        lambda: directory_writes.update_user(get_backend(), user["id"], {key: form.get(key, "") for key, _ in PROFILE_FORM})
    )
    if changed is None:
        return person_page(user, "profile", fields=PROFILE_FORM, form=form, error=error, editing=True)
    flash("The profile was saved.", "success")
    return redirect(url_for("console.people.profile", user_id=user["id"]))


@bp.post(f"/<user_id>/<any({', '.join(a for a in LIFECYCLE_LABELS if a not in ASKED_FIRST)}):action>")
def lifecycle(user_id: str, action: str) -> Response:
    user = found(reads.get_user, user_id)
    attempt(
        lambda: directory_writes.change_status(get_backend(), user["id"], action),
        f"{model.display_name(user)} was {LIFECYCLE_LABELS[action][1]}.",
    )
    return redirect(url_for("console.people.person", user_id=user["id"]))


@bp.route("/<user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: str) -> Any:
    """[More Actions] > Deactivate asks first, in the "Deactivate Person" dialog (Okta's
    "Deprovision a user": "In the Deactivate Person dialog box, click Deactivate")."""
    user = found(reads.get_user, user_id)
    name = model.display_name(user)
    return confirm(
        title="Deactivate Person",
        text=f"Are you sure you want to deactivate {name} ({user['profile']['login']})? "
        "They lose access to their apps, and the apps set to deactivate users are told to.",
        button="Deactivate",
        action=lambda: directory_writes.change_status(get_backend(), user["id"], "deactivate"),
        success=f"{name} was deactivated.",
        back=url_for("console.people.person", user_id=user["id"]),
        page=lambda: person_page(user, "applications"),
    )


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
        page=lambda: person_page(user, "applications"),
    )
