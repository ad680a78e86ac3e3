"""/api/v1/users: Okta's people, their lifecycle operations and their groups."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from okta_sim import apps, directory_writes, ids
from okta_sim.api_v1.parsing import (
    USERS_PAGE,
    USERS_QUERY_PAGE,
    flag,
    invalid,
    json_body,
    obj,
    paginated,
    searched,
    starts_with,
)
from okta_sim.api_v1.rendering import by_id, render_app_link, render_group, render_user
from okta_sim.api_v1.resource_filter import USER_FILTER, USER_SEARCH
from okta_sim.backend import get_backend
from okta_sim.directory import reads
from okta_sim.directory.model import DEPROVISIONED
from okta_sim.orgs import org_url

bp = Blueprint("users", __name__)

ACTIVATIONS = ("activate", "reactivate")

# q "is matched against firstName, lastName, or email" with startsWith (listUsers)
QUERY_FIELDS = ("firstName", "lastName", "email")


@bp.get("/users")
def list_users() -> ResponseReturnValue:
    """``search`` and ``filter`` as resource_filter.py has them; without either, the list (and
    ``q``) "omits users that have a status of DEPROVISIONED" (listUsers)."""
    found, narrowed = searched(
        reads.list_users(get_backend()), lambda user: user, search=USER_SEARCH, filter=USER_FILTER
    )
    if not narrowed:
        found = [user for user in found if user["status"] != DEPROVISIONED]
    query = request.args.get("q")
    if query:
        found = [u for u in found if any(starts_with(u["profile"].get(f), query) for f in QUERY_FIELDS)]
    return paginated(found, by_id, render_user, USERS_QUERY_PAGE if query else USERS_PAGE)


@bp.post("/users")
def create_user() -> ResponseReturnValue:
    """Okta answers 200 (not 201) on create; ``groupIds`` are checked before the user exists."""
    activate = flag("activate", True)
    body = json_body()
    credentials = obj(body, "credentials")
    group_ids = body.get("groupIds") or []
    if not isinstance(group_ids, list) or not all(isinstance(g, str) for g in group_ids):
        raise invalid("groupIds", "must be a list of group ids")
    backend = get_backend()
    groups = [reads.get_group(backend, group_id) for group_id in group_ids]
    user = directory_writes.create_user(
        backend,
        body.get("profile"),
        activate=activate,
        password=credentials.get("password"),
        set_by_user=True,
    )
    for group in groups:
        directory_writes.set_membership(backend, group["id"], user["id"], True)
    return render_user(reads.get_user(backend, user["id"]))


@bp.get("/users/<id_or_login>")
def get_user(id_or_login: str) -> ResponseReturnValue:
    return render_user(reads.get_user(get_backend(), id_or_login))


@bp.post("/users/<user_id>")
def update_user(user_id: str) -> ResponseReturnValue:
    """Partial update: the given profile fields are merged (credentials are accepted and ignored)."""
    body = json_body()
    obj(body, "credentials")
    return render_user(
        directory_writes.update_user(get_backend(), user_id, obj(body, "profile"), partial=True)
    )


@bp.put("/users/<user_id>")
def replace_user(user_id: str) -> ResponseReturnValue:
    body = json_body()
    obj(body, "credentials")
    return render_user(
        directory_writes.update_user(get_backend(), user_id, body.get("profile"), partial=False)
    )


@bp.delete("/users/<user_id>")
def delete_user(user_id: str) -> ResponseReturnValue:
    """Okta's DELETE deactivates an active user and deletes a deactivated one; both answer 204."""
    directory_writes.delete_user(get_backend(), user_id)
    return "", 204


@bp.post("/users/<user_id>/lifecycle/<action>")
def user_lifecycle(user_id: str, action: str) -> ResponseReturnValue:
    """Okta answers activate and reactivate with a UserActivationToken when ``sendEmail=false``
    (the lab sends no email either way), every operation else with an empty object."""
    send_email = flag("sendEmail", True) if action in ACTIVATIONS else True
    directory_writes.change_status(get_backend(), user_id, action)
    if send_email:
        return {}
    token = ids.new_id(get_backend().entropy, "", user_id)
    return {"activationUrl": f"{org_url()}/welcome/{token}", "activationToken": token}


@bp.get("/users/<user_id>/appLinks")
def user_app_links(user_id: str) -> ResponseReturnValue:
    """The active apps assigned to the person, individually or through a group, oldest first."""
    backend = get_backend()
    user = reads.get_user(backend, user_id)
    with backend.store.transaction():
        found = [
            (apps.get_app(backend, au["app_id"]), au)
            for au in sorted(
                backend.app_users.find(
                    lambda au: au["user_id"] == user["id"] and not au.get("pendingRemoval")
                ),
                key=lambda au: au["created"],
            )
        ]
    active = [(app, au) for app, au in found if app["status"] == apps.ACTIVE]
    return [render_app_link(app, au, n) for n, (app, au) in enumerate(active)]


@bp.get("/users/<user_id>/groups")
def user_groups(user_id: str) -> ResponseReturnValue:
    backend = get_backend()
    user = reads.get_user(backend, user_id)
    return [render_group(group) for group in reads.groups_of(backend, user["id"])]
