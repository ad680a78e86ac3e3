"""/api/v1/groups: Okta's groups and their members."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from okta_sim import directory_writes
from okta_sim.api_v1.parsing import COLLECTION_PAGE, MEMBERS_PAGE, json_body, obj, paginated, starts_with
from okta_sim.api_v1.rendering import by_id, render_group, render_user
from okta_sim.backend import get_backend
from okta_sim.directory import reads

bp = Blueprint("groups", __name__)

@bp.get("/groups")
def list_groups() -> ResponseReturnValue:
    found = reads.list_groups(get_backend())
    query = request.args.get("q")
    if query:
        found = [g for g in found if starts_with(g["profile"]["name"], query)]
    return paginated(found, by_id, render_group, COLLECTION_PAGE)


@bp.post("/groups")
def create_group() -> ResponseReturnValue:
    profile = obj(json_body(), "profile")
    return render_group(
        directory_writes.create_group(get_backend(), profile.get("name"), profile.get("description"))
    )


@bp.get("/groups/<group_id>")
def get_group(group_id: str) -> ResponseReturnValue:
    return render_group(reads.get_group(get_backend(), group_id))


@bp.put("/groups/<group_id>")
def replace_group(group_id: str) -> ResponseReturnValue:
    profile = obj(json_body(), "profile")
    return render_group(
        directory_writes.update_group(get_backend(), group_id, profile.get("name"), profile.get("description"))
    )


@bp.delete("/groups/<group_id>")
def delete_group(group_id: str) -> ResponseReturnValue:
    directory_writes.delete_group(get_backend(), group_id)
    return "", 204


@bp.get("/groups/<group_id>/users")
def group_users(group_id: str) -> ResponseReturnValue:
    backend = get_backend()
    members = [reads.get_user(backend, uid) for uid in reads.get_group(backend, group_id)["members"]]
    return paginated(members, by_id, render_user, MEMBERS_PAGE)


@bp.put("/groups/<group_id>/users/<user_id>")
def add_member(group_id: str, user_id: str) -> ResponseReturnValue:
    directory_writes.set_membership(get_backend(), group_id, user_id, True)
    return "", 204


@bp.delete("/groups/<group_id>/users/<user_id>")
def remove_member(group_id: str, user_id: str) -> ResponseReturnValue:
    directory_writes.set_membership(get_backend(), group_id, user_id, False)
    return "", 204
