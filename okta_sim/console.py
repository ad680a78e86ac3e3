"""The Okta admin console: sign-in, Directory, Applications, Tasks, Security > API and the System Log.

Server-rendered pages without JavaScript whose labels are the article's, word
for word ([Browse App Catalog], [Configure API Integration], [Force Sync],
...). Views only translate forms into calls of the domain modules and show an
:class:`~okta_sim.errors.OktaError` (message and causes) beside the form or as
a flash message; the rules live in the domain, shared with /api/v1 and the
scenario engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, session, url_for

from okta_sim import admins, api_tokens, apps, catalog, syslog, usernames
from okta_sim.backend import get_backend
from okta_sim.directory import model, reads, writes
from okta_sim.errors import NotFound, OktaError
from okta_sim.provisioning import actions, assignments, integration, mapping, outcomes, records
from simcore.forms import check_csrf, csrf_token

T = TypeVar("T")

bp = Blueprint("console", __name__)
bp.before_request(check_csrf)
bp.add_app_template_global(csrf_token)

SESSION_ADMIN = "okta_admin"
PUBLIC_ENDPOINTS = {"console.home", "console.login"}

# The person form: Okta profile attribute -> label.
PERSON_FIELDS = [
    ("firstName", "First name"),
    ("lastName", "Last name"),
    ("login", "Username"),
    ("email", "Primary email"),
]
PROFILE_FIELDS = [
    *PERSON_FIELDS,
    ("displayName", "Display name"),
    ("secondEmail", "Secondary email"),
    ("mobilePhone", "Mobile phone"),
    ("title", "Title"),
    ("department", "Department"),
]
STATUS_LABELS = {
    model.ACTIVE: "Active",
    model.STAGED: "Staged",
    model.PROVISIONED: "Pending user action",
    model.SUSPENDED: "Suspended",
    model.DEPROVISIONED: "Deactivated",
}
# model.LIFECYCLE action -> (button, what the flash message says happened)
LIFECYCLE_LABELS = {
    "activate": ("Activate", "activated"),
    "reactivate": ("Reactivate", "reactivated"),
    "deactivate": ("Deactivate", "deactivated"),
    "suspend": ("Suspend", "suspended"),
    "unsuspend": ("Unsuspend", "unsuspended"),
}
CUSTOM_EXAMPLES = ['String.substringBefore(user.login, "@")', 'user.firstName + "." + user.lastName']
SYSLOG_LIMIT = 200


@bp.app_template_global()
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


bp.add_app_template_global(apps.attribute_label)
bp.add_app_template_global(model.display_name)


@bp.context_processor
def layout() -> dict[str, Any]:
    """What the layout shows on every page: who is signed in, and the count of open tasks."""
    return {"admin": g.get("admin"), "open_tasks": lambda: len(outcomes.list_tasks(get_backend()))}


@bp.before_request
def require_admin() -> Response | None:
    """Every page but the sign-in page needs a signed-in administrator who still exists."""
    login = session.get(SESSION_ADMIN)
    if login and get_backend().admins.get(login) is not None:
        g.admin = login
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return redirect(url_for("console.login", next=request.full_path.rstrip("?")))


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(413)
def http_error(error: Any) -> tuple[str, int]:
    """Console errors as pages (scoped to this blueprint: /api/v1 answers in Okta's JSON)."""
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


def confirm(
    *,
    title: str,
    text: str,
    button: str,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    back: str,
) -> Any:
    """The one confirmation dialog: GET shows it, its button (a POST) runs ``action``, Cancel goes back."""
    if request.method == "POST":
        attempt(action, success)
        return redirect(back)
    return render_template("confirm.html", title=title, text=text, button=button, cancel=back)


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
    """After an assignment change: the push's error as Okta words it (it is also a Task), or ``done``."""
    if app_user.get("syncState") == records.ERROR:
        flash(app_user["lastError"], "error")
    else:
        flash(done, "success")


# -- sign-in ----------------------------------------------------------------


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
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/admin/") else url_for("console.dashboard"))
        error = "Unable to sign in: the username or password is incorrect."
    return render_template("login.html", error=error, username=username)


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("console.login"))


@bp.get("/")
def home() -> Any:
    """The org's address (https://{subdomain}.okta.com/) shows the sign-in form, as Okta's does."""
    if g.get("admin"):
        return redirect(url_for("console.dashboard"))
    return render_template("login.html", error=None, username="")


@bp.get("/admin/")
def dashboard() -> str:
    backend = get_backend()
    counts = {
        "People": len(reads.list_users(backend)),
        "Groups": len(reads.list_groups(backend)),
        "Applications": len(apps.list_apps(backend)),
    }
    return render_template("dashboard.html", counts=counts)


# -- Directory: people ------------------------------------------------------


@bp.route("/admin/people", methods=["GET", "POST"])
def people() -> Any:
    form: dict[str, str] = {}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        user, error = submit(
            lambda: writes.create_user(get_backend(), {key: form.get(key, "") for key, _ in PERSON_FIELDS})
        )
        if user is not None:
            flash(f"{model.display_name(user)} was added.", "success")
            return redirect(url_for("console.people"))
    return render_template(
        "people.html",
        people=reads.list_users(get_backend()),
        fields=PERSON_FIELDS,
        form=form,
        error=error,
    )


def lifecycle_actions(user: dict[str, Any]) -> list[tuple[str, str]]:
    """The lifecycle buttons the person's status allows (model.LIFECYCLE), as (action, label)."""
    return [
        (action, LIFECYCLE_LABELS[action][0])
        for action, (allowed, _, _) in model.LIFECYCLE.items()
        if user["status"] in allowed
    ]


@bp.route("/admin/people/<user_id>", methods=["GET", "POST"])
def person(user_id: str) -> Any:
    user = found(reads.get_user, user_id)
    form = dict(user["profile"])
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        changed, error = submit(
            lambda: writes.update_user(
                get_backend(), user["id"], {key: form.get(key, "") for key, _ in PROFILE_FIELDS}
            )
        )
        if changed is not None:
            flash("The profile was saved.", "success")
            return redirect(url_for("console.person", user_id=user["id"]))
    return render_template(
        "person.html",
        user=user,
        name=model.display_name(user),
        fields=PROFILE_FIELDS,
        form=form,
        error=error,
        actions=lifecycle_actions(user),
        deletable=user["status"] == model.DEPROVISIONED,
        groups=reads.groups_of(get_backend(), user["id"]),
    )


@bp.post(f"/admin/people/<user_id>/<any({', '.join(LIFECYCLE_LABELS)}):action>")
def person_lifecycle(user_id: str, action: str) -> Response:
    user = found(reads.get_user, user_id)
    attempt(
        lambda: writes.change_status(get_backend(), user["id"], action),
        f"{model.display_name(user)} was {LIFECYCLE_LABELS[action][1]}.",
    )
    return redirect(url_for("console.person", user_id=user["id"]))


@bp.route("/admin/people/<user_id>/delete", methods=["GET", "POST"])
def person_delete(user_id: str) -> Any:
    user = found(reads.get_user, user_id)
    name = model.display_name(user)
    return confirm(
        title=f"Delete {name}?",
        text=f"{name} ({user['profile']['login']}) will be deleted from Okta for good.",
        button="Delete",
        action=lambda: writes.delete_user(get_backend(), user["id"]),
        # delete_user only deactivates someone who is not deactivated yet (Okta's DELETE).
        success=lambda deleted: f"{name} was {'deleted' if deleted else 'deactivated'}.",
        back=url_for("console.people"),
    )


# -- Directory: groups ------------------------------------------------------


@bp.route("/admin/groups", methods=["GET", "POST"])
def groups() -> Any:
    form: dict[str, str] = {}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        group, error = submit(
            lambda: writes.create_group(get_backend(), form.get("name", ""), form.get("description", ""))
        )
        if group is not None:
            flash(f"The group {group['profile']['name']} was added.", "success")
            return redirect(url_for("console.groups"))
    return render_template("groups.html", groups=reads.list_groups(get_backend()), form=form, error=error)


@bp.get("/admin/groups/<group_id>")
def group(group_id: str) -> str:
    found_group = found(reads.get_group, group_id)
    everyone = reads.list_users(get_backend())
    return render_template(
        "group.html",
        group=found_group,
        members=[u for u in everyone if u["id"] in found_group["members"]],
        others=[u for u in everyone if u["id"] not in found_group["members"]],
    )


@bp.post("/admin/groups/<group_id>/members")
def group_add_member(group_id: str) -> Response:
    found_group = found(reads.get_group, group_id)
    attempt(
        lambda: writes.set_membership(
            get_backend(), found_group["id"], request.form.get("person", ""), True
        ),
        f"The person was added to {found_group['profile']['name']}.",
    )
    return redirect(url_for("console.group", group_id=found_group["id"]))


@bp.post("/admin/groups/<group_id>/members/<user_id>/remove")
def group_remove_member(group_id: str, user_id: str) -> Response:
    found_group = found(reads.get_group, group_id)
    attempt(
        lambda: writes.set_membership(get_backend(), found_group["id"], user_id, False),
        f"{person_name(user_id)} was removed from {found_group['profile']['name']}.",
    )
    return redirect(url_for("console.group", group_id=found_group["id"]))


# -- Applications and the App Catalog ---------------------------------------


def addable(entry: catalog.CatalogApp) -> bool:
    """The lab models only the Cybozu (cybozu.com) app; the other catalog entries make search real."""
    return entry.key == catalog.CYBOZU


@bp.get("/admin/apps")
def applications() -> str:
    return render_template("apps.html", apps=[apps.public(a) for a in apps.list_apps(get_backend())])


@bp.get("/admin/apps/catalog")
def app_catalog() -> str:
    query = request.args.get("q", "")
    return render_template("catalog.html", query=query, results=catalog.search(query))


def catalog_entry(key: str) -> catalog.CatalogApp:
    entry = catalog.get(key)
    if entry is None:
        abort(404, f"Not found: Resource not found: {key} (App)")
    return entry


@bp.get("/admin/apps/catalog/<key>")
def catalog_app(key: str) -> str:
    entry = catalog_entry(key)
    return render_template("catalog_app.html", entry=entry, addable=addable(entry))


@bp.route("/admin/apps/catalog/<key>/add", methods=["GET", "POST"])
def app_add(key: str) -> Any:
    entry = catalog_entry(key)
    if not addable(entry):
        abort(404, f"{entry.name} cannot be added: this lab only models the Cybozu (cybozu.com) app.")
    form = {"label": entry.name, "domain_name": ""}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        app, error = submit(
            lambda: apps.add_app(
                get_backend(), key, domain_name=form.get("domain_name", ""), label=form.get("label")
            )
        )
        if app is not None:
            flash(f"{app['label']} was added.", "success")
            return redirect(url_for("console.app_general", app_id=app["id"]))
    return render_template("app_new.html", entry=entry, form=form, error=error)


# -- an application's tabs --------------------------------------------------


def render_app(template: str, app: dict[str, Any], **context: Any) -> str:
    """An app tab; the template only ever sees the app without its API token."""
    return render_template(template, app=apps.public(app), **context)


def editing() -> bool:
    return request.args.get("mode") == "edit"


def settings_section(
    app_id: str,
    template: str,
    current: Callable[[dict[str, Any]], dict[str, str]],
    save: Callable[[dict[str, str]], Any],
    saved: str,
    **context: Any,
) -> Any:
    """Okta's settings pattern: a read-only section with [Edit]; [Save] calls the domain, and an
    error keeps the form as typed. ``current`` gives the form values of the stored settings."""
    app = found(apps.get_app, app_id)
    if request.method == "GET":
        return render_app(template, app, form=current(app), error=None, editing=editing(), **context)
    form = request.form.to_dict()
    _, error = submit(lambda: save(form))
    if error is not None:
        return render_app(template, app, form=form, error=error, editing=True, **context)
    flash(saved, "success")
    return redirect(request.path)


def checkbox(checked: bool) -> str:
    """A checkbox as the browser posts it: "on" when checked, absent (here "") when not."""
    return "on" if checked else ""


@bp.route("/admin/apps/<app_id>/general", methods=["GET", "POST"])
def app_general(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_general.html",
        lambda app: {"label": app["label"], "domain_name": app["settings"]["domainName"]},
        lambda form: apps.set_general(
            get_backend(), app_id, label=form.get("label", ""), domain_name=form.get("domain_name", "")
        ),
        "The General Settings were saved.",
    )


@bp.route("/admin/apps/<app_id>/sign-on", methods=["GET", "POST"])
def app_sign_on(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_sign_on.html",
        lambda app: {"format": app["signOn"]["usernameFormat"], "custom": app["signOn"]["custom"] or ""},
        lambda form: apps.set_username_format(
            get_backend(), app_id, form.get("format", ""), form.get("custom") or None
        ),
        "The Sign On settings were saved.",
        FORMATS=usernames.FORMATS,
        CUSTOM_EXAMPLES=CUSTOM_EXAMPLES,
    )


@bp.get("/admin/apps/<app_id>/provisioning")
def app_provisioning(app_id: str) -> Response:
    """The [Provisioning] tab opens on [To App] once the API integration is enabled, else on [Integration]."""
    app = found(apps.get_app, app_id)
    section = "console.app_to_app" if app["provisioning"]["enabled"] else "console.app_integration"
    return redirect(url_for(section, app_id=app["id"]))


@bp.route("/admin/apps/<app_id>/provisioning/integration", methods=["GET", "POST"])
def app_integration(app_id: str) -> Any:
    """[Configure API Integration] / [Edit]: "Enable API integration", "API Token",
    [Test API Credentials] (re-renders the form with the outcome) and [Save]."""
    app = found(apps.get_app, app_id)
    if request.method == "GET":
        form = {"enabled": checkbox(app["provisioning"]["enabled"]), "token": ""}
        return render_app("app_integration.html", app, form=form, editing=editing())
    form = request.form.to_dict()
    enabled, token = form.get("enabled") == "on", form.get("token", "")
    if form.get("action") == "test":
        verified = integration.test_credentials(get_backend(), app, token)
        return no_store(render_app("app_integration.html", app, form=form, editing=True, verified=verified))
    _, error = submit(
        lambda: integration.configure_api_integration(get_backend(), app["id"], enabled=enabled, token=token or None)
    )
    if error is not None:
        return no_store(render_app("app_integration.html", app, form=form, editing=True, error=error))
    flash(f"API integration: {'Enabled' if enabled else 'Disabled'}", "success")
    section = "console.app_to_app" if enabled else "console.app_integration"
    return redirect(url_for(section, app_id=app["id"]))


@bp.route("/admin/apps/<app_id>/provisioning/to-app", methods=["GET", "POST"])
def app_to_app(app_id: str) -> Any:
    return settings_section(
        app_id,
        "app_to_app.html",
        lambda app: {key: checkbox(on) for key, on in app["provisioning"]["toApp"].items()},
        lambda form: integration.set_provisioning_to_app(
            get_backend(),
            app_id,
            create=form.get("create") == "on",
            update=form.get("update") == "on",
            deactivate=form.get("deactivate") == "on",
        ),
        "The Provisioning to App settings were saved.",
        mappings=mapping.ATTRIBUTE_MAPPINGS,
    )


@bp.post("/admin/apps/<app_id>/provisioning/force-sync")
def app_force_sync(app_id: str) -> Response:
    app = found(apps.get_app, app_id)
    counts, error = submit(lambda: actions.force_sync(get_backend(), app["id"]))
    if counts is None:
        flash(error, "error")
    else:
        flash(actions.force_sync_message(counts), "error" if counts["errors"] else "success")
    return redirect(url_for("console.app_to_app", app_id=app["id"]))


# -- Profile Editor ---------------------------------------------------------


@bp.get("/admin/apps/<app_id>/profile-editor")
def profile_editor(app_id: str) -> str:
    return render_app(
        "profile_editor.html", found(apps.get_app, app_id), mappings=mapping.ATTRIBUTE_MAPPINGS
    )


@bp.route("/admin/apps/<app_id>/profile-editor/<attribute>/delete", methods=["GET", "POST"])
def attribute_delete(app_id: str, attribute: str) -> Any:
    app = found(apps.get_app, app_id)
    if attribute not in app["attributes"]:
        abort(404, f"Not found: Resource not found: {attribute} (Attribute)")
    label = apps.attribute_label(attribute)
    return confirm(
        title="Delete Attribute",
        text=f"Are you sure you want to delete the attribute {label} ({attribute})? "
        f"{app['label']} will no longer be told whether users use {label}.",
        button="Delete Attribute",
        action=lambda: apps.delete_attribute(get_backend(), app["id"], attribute),
        success=f"The attribute {label} was deleted.",
        back=url_for("console.profile_editor", app_id=app["id"]),
    )


# -- Assignments ------------------------------------------------------------


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


@bp.get("/admin/apps/<app_id>/assignments")
def app_assignments(app_id: str) -> str:
    app = found(apps.get_app, app_id)
    backend = get_backend()
    show = "groups" if request.args.get("show") == "groups" else "people"
    people = [
        {
            "app_user": au,
            "user": reads.get_user(backend, au["user_id"]),
            "services": mapping.effective_profile(backend, app, au),
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
        groups=assigned_groups,
        assigned_note=records.ASSIGNED_BEFORE_PROVISIONING,
    )


@bp.get("/admin/apps/<app_id>/assign/<any(people, groups):kind>")
def assign_picker(app_id: str, kind: str) -> str:
    """[Assign to People] / [Assign to Groups]: everyone, with [Assign] or "Assigned"."""
    app = found(apps.get_app, app_id)
    backend = get_backend()
    if kind == "people":
        assigned = {au["user_id"] for au in records.app_users_of_app(backend, app["id"])}
        rows = [
            (
                model.display_name(u),
                u["profile"]["login"],
                u["id"] in assigned,
                url_for("console.assign_person", app_id=app["id"], user_id=u["id"]),
            )
            for u in reads.list_users(backend)
        ]
    else:
        assigned = {ag["group_id"] for ag in records.app_groups_of_app(backend, app["id"])}
        rows = [
            (
                gr["profile"]["name"],
                gr["profile"]["description"],
                gr["id"] in assigned,
                url_for("console.assign_group", app_id=app["id"], group_id=gr["id"]),
            )
            for gr in reads.list_groups(backend)
        ]
    return render_app("assign_picker.html", app, kind=kind, rows=rows)


@bp.route("/admin/apps/<app_id>/assign/people/<user_id>", methods=["GET", "POST"])
def assign_person(app_id: str, user_id: str) -> Any:
    """[Assign] next to a person (or the person's row in Assignments): User Name and services.

    A new assignment goes back to the people list; editing one goes back to Assignments.
    """
    app = found(apps.get_app, app_id)
    user = found(reads.get_user, user_id)
    existing = app_user_of(app["id"], user["id"])
    name = model.display_name(user)
    back = (
        url_for("console.app_assignments", app_id=app["id"])
        if existing
        else url_for("console.assign_picker", app_id=app["id"], kind="people")
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
    return render_app(
        "assign_form.html",
        app,
        kind="people",
        name=name,
        form=form,
        error=error,
        locked=bool(existing and existing.get("externalId")),
        back=back,
    )


@bp.route("/admin/apps/<app_id>/assign/groups/<group_id>", methods=["GET", "POST"])
def assign_group(app_id: str, group_id: str) -> Any:
    """[Assign] next to a group: Priority and services; its members get the app."""
    app = found(apps.get_app, app_id)
    found_group = found(reads.get_group, group_id)
    existing = app_group_of(app["id"], found_group["id"])
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
            return redirect(url_for("console.assign_picker", app_id=app["id"], kind="groups"))
    elif existing:
        services = {f"service-{k}": v for k, v in existing["profile"].items()}
        form = {"priority": str(existing["priority"]), **services}
    else:
        form = {}
    return render_app(
        "assign_form.html",
        app,
        kind="groups",
        name=found_group["profile"]["name"],
        form=form,
        error=error,
        locked=False,
        back=url_for("console.assign_picker", app_id=app["id"], kind="groups"),
    )


@bp.post("/admin/apps/<app_id>/assignments/people/<user_id>/provision")
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
    return redirect(url_for("console.app_assignments", app_id=app["id"]))


@bp.route("/admin/apps/<app_id>/assignments/people/<user_id>/unassign", methods=["GET", "POST"])
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
        back=url_for("console.app_assignments", app_id=app["id"]),
    )


@bp.route("/admin/apps/<app_id>/assignments/groups/<group_id>/unassign", methods=["GET", "POST"])
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
        back=url_for("console.app_assignments", app_id=app["id"], show="groups"),
    )


# -- Tasks ------------------------------------------------------------------


@bp.get("/admin/tasks")
def tasks() -> str:
    backend = get_backend()
    labels = {a["id"]: a["label"] for a in apps.list_apps(backend)}
    rows = [
        {
            "task": task,
            "app": labels.get(task["app_id"], task["app_id"]),
            "person": person_name(task["user_id"]),
            "needs_user_name": usernames.BLANK in task["message"],
        }
        for task in outcomes.list_tasks(backend)
    ]
    return render_template("tasks.html", rows=rows)


@bp.post("/admin/tasks/retry")
def tasks_retry() -> Response:
    selected = request.form.getlist("task")
    if not selected:
        flash("Select the tasks to retry.", "error")
    else:
        attempt(
            lambda: actions.retry_tasks(get_backend(), selected),
            actions.retry_message,
        )
    return redirect(url_for("console.tasks"))


@bp.post("/admin/tasks/<task_id>/user-name")
def task_user_name(task_id: str) -> Response:
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
    return redirect(url_for("console.tasks"))


# -- Security > API ---------------------------------------------------------


@bp.route("/admin/security/api", methods=["GET", "POST"])
def api_tokens_page() -> Any:
    """Tokens: the list, and "Create Token" whose value is shown once, in a page that is not cached."""
    form: dict[str, str] = {}
    error = None
    if request.method == "POST":
        form = request.form.to_dict()
        created, error = submit(lambda: api_tokens.create_token(get_backend(), form.get("name", "")))
        if created is not None:
            token, value = created
            return no_store(render_template("token_created.html", token=token, value=value))
    return render_template(
        "tokens.html", tokens=api_tokens.list_tokens(get_backend()), form=form, error=error
    )


@bp.route("/admin/security/api/tokens/<token_id>/revoke", methods=["GET", "POST"])
def api_token_revoke(token_id: str) -> Any:
    token = next((t for t in api_tokens.list_tokens(get_backend()) if t["id"] == token_id), None)
    if token is None:
        abort(404, f"Not found: Resource not found: {token_id} (ApiToken)")
    return confirm(
        title=f"Revoke token {token['name']}?",
        text="Applications that use this token can no longer call the Okta API.",
        button="Revoke",
        action=lambda: api_tokens.revoke_token(get_backend(), token_id),
        success=f"The token {token['name']} was revoked.",
        back=url_for("console.api_tokens_page"),
    )


# -- Reports > System Log ---------------------------------------------------


@bp.get("/admin/reports/system-log")
def system_log() -> str:
    events = syslog.events(get_backend())
    return render_template(
        "syslog.html", events=list(reversed(events))[:SYSLOG_LIMIT], total=len(events), limit=SYSLOG_LIMIT
    )
