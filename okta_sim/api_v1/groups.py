"""/api/v1/groups: Okta's groups and their members."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from okta_sim import directory_writes
from okta_sim.api_v1.parsing import (
    COLLECTION_PAGE,
    MEMBERS_PAGE,
    invalid,
    json_body,
    obj,
    paginated,
    searched,
    starts_with,
)
from okta_sim.api_v1.rendering import by_id, render_group, render_user
from okta_sim.api_v1.resource_filter import GROUP_FILTER, GROUP_SEARCH
from okta_sim.backend import get_backend
from okta_sim.directory import reads

bp = Blueprint("groups", __name__)

EXPANSIONS = ("stats", "app")  # listGroups: "Possible values are stats and app"


@bp.get("/groups")
def list_groups() -> ResponseReturnValue:
    """``q`` (the name starts with it), ``search`` and ``filter`` (resource_filter.py), and
    ``expand=stats``: ``_embedded.stats.usersCount``. ``expand=app`` embeds an APP_GROUP's app;
    the lab's groups are all OKTA_GROUP, so it adds nothing."""
    found, _ = searched(
        reads.list_groups(get_backend()), lambda group: group, search=GROUP_SEARCH, filter=GROUP_FILTER
    )
    query = request.args.get("q")
    if query:
        found = [g for g in found if starts_with(g["profile"]["name"], query)]
    expand = request.args.get("expand")
    if expand is not None and expand not in EXPANSIONS:
        raise invalid("expand", "must be stats or app")
    return paginated(
        found, by_id, lambda group: render_group(group, stats=expand == "stats"), COLLECTION_PAGE
    )


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
        directory_writes.update_group(
            get_backend(), group_id, profile.get("name"), profile.get("description")
        )
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
