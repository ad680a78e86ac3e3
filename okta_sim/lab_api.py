"""okta_sim's part of the lab control API (/_lab/...): egress addresses, API tokens,
the SCIM wire log, and inspection of apps, app users and tasks for expectations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from okta_sim import api_tokens, apps, directory_writes, orgs
from okta_sim.backend import get_backend
from okta_sim.directory import reads
from okta_sim.errors import Invalid, OktaError
from okta_sim.orgs import org_url
from okta_sim.provisioning import actions, integration, outcomes, queue, records
from simcore.control import domain_errors, json_object

# An Okta error answers the lab's JSON error, worded as the console shows it: summary; causes.
lab_errors = domain_errors(OktaError, lambda error: "; ".join([error.message, *error.causes]))


def body(fields: set[str] | None = None) -> dict[str, Any]:
    """The request's JSON object; with ``fields``, one naming no other field."""
    data = json_object()
    if data is None:
        raise Invalid("the body must be a JSON object")
    unknown = set(data) - fields if fields is not None else set()
    if unknown:
        raise Invalid(f"unknown field(s): {', '.join(sorted(unknown))}")
    return data


def add_routes(bp: Blueprint) -> None:
    """Add okta_sim's endpoints to the lab control blueprint."""

    @bp.get("/egress")
    def egress() -> Response:
        backend = get_backend()
        return jsonify({"addresses": backend.egress.addresses(), "bind": backend.egress.bind})

    @bp.post("/egress/rotate")
    def egress_rotate() -> Response:
        return jsonify({"addresses": get_backend().egress.rotate()})

    @bp.post("/api-tokens")
    @lab_errors
    def token_create() -> tuple[Response, int]:
        _, value = api_tokens.create_token(get_backend(), body().get("name") or "lab")
        return jsonify({"token": value, "org_url": org_url()}), 201

    @bp.post("/users/<user_id>/lock-out")
    @lab_errors
    def user_lock_out(user_id: str) -> Response:
        """Lock an active person out, as too many failed sign-ins would (the lab models no sign-in);
        POST /api/v1/users/{id}/lifecycle/unlock gives them back."""
        user = directory_writes.lock_out(get_backend(), user_id)
        return jsonify({"id": user["id"], "status": user["status"]})

    @bp.post("/people")
    @lab_errors
    def people_import() -> tuple[Response, int]:
        """Seed many people at once (a scenario's Faker setup): ``{"people": [profile, ...],
        "group": name}``. All or nothing: one refused profile leaves the directory unchanged."""
        data = json_object() or {}
        people, group_name = data.get("people"), data.get("group")
        if (
            not isinstance(people, list)
            or not people
            or (group_name is not None and not isinstance(group_name, str))
        ):
            raise Invalid(
                'send {"people": [{"login": ..., "email": ..., "firstName": ..., "lastName": ...}], "group": "name"}'
            )
        backend = get_backend()
        with backend.store.transaction():
            snapshot = backend.store.snapshot()
            ids = []
            try:
                for number, profile in enumerate(people, 1):
                    try:
                        ids.append(directory_writes.create_user(backend, profile)["id"])
                    except OktaError as error:
                        raise Invalid(f"person {number}: {error.message}", error.causes) from None
                if group_name:
                    group = next(
                        (g for g in reads.list_groups(backend) if g["profile"]["name"] == group_name),
                        None,
                    ) or directory_writes.create_group(backend, group_name)
                    directory_writes.change_members(backend, group["id"], ids, True)
            except OktaError:
                backend.restore(snapshot)
                raise
        return jsonify({"ids": ids}), 201

    @bp.get("/exchanges")
    def exchanges() -> Response:
        app_id = request.args.get("app_id")
        # In the order the pushes were asked for, whichever worker sent them first (okta_sim.jobs).
        found = sorted(
            (e for e in list(get_backend().exchanges) if app_id is None or e["app_id"] == app_id),
            key=lambda e: e["order"],
        )
        return jsonify(found)

    @bp.get("/exchanges/total")
    def exchanges_total() -> Response:
        """How many SCIM requests Okta has sent since it started (the wire log keeps the last 5,000)."""
        return jsonify({"total": get_backend().exchanges_sent})

    @bp.delete("/exchanges")
    def exchanges_clear() -> tuple[str, int]:
        get_backend().exchanges.clear()
        return "", 204

    @bp.get("/apps/<app_id>")
    @lab_errors
    def app_state(app_id: str) -> Response:
        backend = get_backend()
        app = apps.public(apps.get_app(backend, app_id))
        app["appUsers"] = records.app_users_of_app(backend, app_id, include_pending=True)
        app["appGroups"] = records.app_groups_of_app(backend, app_id)
        return jsonify(app)

    # The console's buttons that Okta's public API does not offer, for the scenario engine's API driver.

    @bp.post("/apps/<app_id>/test-credentials")
    @lab_errors
    def app_test_credentials(app_id: str) -> Response:
        """[Test API Credentials] with the given token (nothing is saved)."""
        data = json_object() or {}
        token = data.get("token")
        if not isinstance(token, str):
            raise Invalid('send {"token": "..."}')
        outcome = integration.test_credentials(get_backend(), apps.get_app(get_backend(), app_id), token)
        return jsonify({"ok": outcome.ok, "message": outcome.message})

    @bp.post("/apps/<app_id>/force-sync")
    @lab_errors
    def app_force_sync(app_id: str) -> Response:
        checked = actions.force_sync(get_backend(), app_id)
        return jsonify({"checked": checked, "message": actions.force_sync_message(checked)})

    @bp.post("/settle")
    @lab_errors
    def settle() -> Response:
        """Wait until no push is queued or running (``{"timeout": seconds}``, at most 600):
        what the scenario engine does after each step, and a script may do before reading."""
        timeout = (json_object() or {}).get("timeout", 60)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 <= timeout <= 600:
            raise Invalid('send {"timeout": seconds}, from 0 to 600')
        backend = get_backend()
        idle = queue.settle(backend, float(timeout))
        return jsonify({"idle": idle, "pending": len(backend.jobs.pending_keys())})

    @bp.get("/queue")
    def queue_state() -> Response:
        """The app users whose push is queued or running (the console marks them pending)."""
        backend = get_backend()
        return jsonify({"mode": backend.push_mode, "workers": backend.jobs.workers, "pending": sorted(backend.jobs.pending_keys())})

    @bp.post("/tasks/retry")
    @lab_errors
    def tasks_retry() -> Response:
        """[Retry Selected]; ``{"task_ids": [...]}``."""
        selected = (json_object() or {}).get("task_ids")
        if not isinstance(selected, list) or not selected or not all(isinstance(t, str) for t in selected):
            raise Invalid('send {"task_ids": ["...", ...]}')
        results = actions.retry_tasks(get_backend(), selected)
        return jsonify({"tasks": results, "message": actions.retry_message(results)})

    @bp.get("/tasks")
    def tasks() -> Response:
        status = request.args.get("status", "OPEN")
        return jsonify(outcomes.list_tasks(get_backend(), status=None if status == "ALL" else status))

    @bp.delete("/apps/<app_id>")
    @lab_errors
    def app_delete(app_id: str) -> tuple[str, int]:
        """Remove an app instance with its assignments and tasks, without pushing anything to
        cybozu.com: the lab's training mode resets an exercise run this way (the run's cybozu.com
        environment is deleted too, so there is nobody left to deprovision). Okta's own console
        needs the app deactivated first; the lab only needs it gone."""
        apps.delete_app(get_backend(), app_id, require_inactive=False)
        return "", 204


def add_org_routes(bp: Blueprint) -> None:
    """The root org's lab control API: its own endpoints, and the orgs it hosts (okta_sim.orgs)."""
    add_routes(bp)

    @bp.get("/orgs")
    def orgs_list() -> Response:
        host = orgs.get_host(current_app)
        return jsonify([org.describe() for org in host.orgs.values()])

    @bp.post("/orgs")
    @lab_errors
    def org_create() -> tuple[Response, int]:
        data = body({"name", "admin_password"})
        org = orgs.get_host(current_app).create(data.get("name"), data.get("admin_password"))
        return jsonify(org.describe()), 201

    @bp.post("/orgs/<name>/reset")
    @lab_errors
    def org_reset(name: str) -> Response:
        data = json_object() or {}
        return jsonify(orgs.get_host(current_app).reset(name, data.get("admin_password")).describe())

    @bp.delete("/orgs/<name>")
    @lab_errors
    def org_delete(name: str) -> tuple[str, int]:
        orgs.get_host(current_app).delete(name)
        return "", 204
