"""/api/v1/apps/{appId}/users and /groups: assignments of the app to people and to groups (each
change is pushed at once, like the console's)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from okta_sim import apps
from okta_sim.api_v1.parsing import COLLECTION_PAGE, invalid, json_body, obj, paginated, required_text
from okta_sim.api_v1.rendering import render_app_group, render_app_user
from okta_sim.backend import get_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, records

bp = Blueprint("app_users", __name__)

@bp.get("/apps/<app_id>/users")
def list_app_users(app_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    def render(user_id: str) -> Any:
        return render_app_user(app, backend.app_users.get(records.app_user_key(app["id"], user_id)))

    with backend.store.transaction():  # the page's app users as listed, not one removed meanwhile
        return paginated(records.assigned_user_ids(backend, app["id"]), str, render, COLLECTION_PAGE)


@bp.post("/apps/<app_id>/users")
def assign_user(app_id: str) -> ResponseReturnValue:
    """Assign a person (scope USER) with a login name and services; provisioning runs at once."""
    body = json_body()
    backend = get_backend()
    if body.get("scope", "USER") != "USER":
        raise invalid("scope", "must be USER; assign a group with PUT /api/v1/apps/{appId}/groups/{groupId}")
    user = reads.get_user(backend, required_text(body, "id"))
    credentials = obj(body, "credentials")
    assignments.assign_user(
        backend, app_id, user["id"], user_name=credentials.get("userName"), profile=body.get("profile")
    )
    return app_user_answer(app_id, user["id"])


def app_user_answer(app_id: str, user_id: str) -> dict[str, Any]:
    backend = get_backend()
    return render_app_user(apps.get_app(backend, app_id), records.get_app_user(backend, app_id, user_id))


@bp.get("/apps/<app_id>/users/<user_id>")
def get_app_user(app_id: str, user_id: str) -> ResponseReturnValue:
    apps.get_app(get_backend(), app_id)
    return app_user_answer(app_id, user_id)


@bp.post("/apps/<app_id>/users/<user_id>")
def update_app_user(app_id: str, user_id: str) -> ResponseReturnValue:
    body = json_body()
    assignments.update_assignment(
        get_backend(),
        app_id,
        user_id,
        user_name=obj(body, "credentials").get("userName"),
        profile=body.get("profile"),
    )
    return app_user_answer(app_id, user_id)


@bp.delete("/apps/<app_id>/users/<user_id>")
def unassign_user(app_id: str, user_id: str) -> ResponseReturnValue:
    assignments.unassign_user(get_backend(), app_id, user_id)
    return "", 204


@bp.get("/apps/<app_id>/groups")
def list_app_groups(app_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    found = records.app_groups_of_app(backend, app["id"])
    return paginated(found, lambda ag: str(ag["group_id"]), render_app_group, COLLECTION_PAGE)


@bp.put("/apps/<app_id>/groups/<group_id>")
def assign_group(app_id: str, group_id: str) -> ResponseReturnValue:
    """Every member gets the app (with the group's services); the body may be empty."""
    body = json_body(required=False)
    return render_app_group(
        assignments.assign_group(
            get_backend(), app_id, group_id, profile=body.get("profile"), priority=body.get("priority")
        )
    )


@bp.get("/apps/<app_id>/groups/<group_id>")
def get_app_group(app_id: str, group_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    return render_app_group(records.get_app_group(backend, app["id"], group_id))


@bp.delete("/apps/<app_id>/groups/<group_id>")
def unassign_group(app_id: str, group_id: str) -> ResponseReturnValue:
    assignments.unassign_group(get_backend(), app_id, group_id)
    return "", 204
