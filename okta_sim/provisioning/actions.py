"""An administrator's provisioning actions: [Force Sync], "Provision User", and the Tasks page's
[Retry Selected], with the messages the console shows after them."""

from __future__ import annotations

from typing import Any

from okta_sim import apps
from okta_sim.backend import OktaBackend
from okta_sim.errors import NotFound
from okta_sim.provisioning.push import sync
from okta_sim.provisioning.records import ERROR, app_users_of_app, get_app_user


def force_sync(backend: OktaBackend, app_id: str) -> dict[str, int]:
    """[Force Sync]: reapply the mappings to every app user; push only what changed."""
    apps.get_app(backend, app_id)  # an unknown app is Okta's 404, not an empty sync
    counts = {"checked": 0, "errors": 0}
    for app_user in app_users_of_app(backend, app_id, include_pending=True):
        counts["checked"] += 1
        result = sync(backend, app_id, app_user["user_id"], provision=True)
        if result and result.get("syncState") == ERROR:
            counts["errors"] += 1
    return counts


def provision_user(backend: OktaBackend, app_id: str, user_id: str) -> dict[str, Any]:
    """ "Provision User" for someone assigned before provisioning was enabled."""
    get_app_user(backend, app_id, user_id)
    return sync(backend, app_id, user_id, provision=True) or {}


def force_sync_message(counts: dict[str, int]) -> str:
    """What the console shows after [Force Sync] (and what a scenario's step message is)."""
    return f"Force Sync: {counts['checked']} users checked, {counts['errors']} errors."


def retry_message(results: list[dict[str, Any]]) -> str:
    """What the console shows after [Retry Selected]."""
    return f"{len(results)} task(s) retried; {sum(t['status'] == 'OPEN' for t in results)} still open."


def retry_tasks(backend: OktaBackend, task_ids: list[str]) -> list[dict[str, Any]]:
    """Tasks: [Retry Selected]. Returns the tasks as they stand afterwards."""
    results = []
    for task_id in task_ids:
        task = backend.tasks.get(task_id)
        if task is None:
            raise NotFound(f"Not found: Resource not found: {task_id} (Task)")
        if task["status"] == "OPEN":
            sync(backend, task["app_id"], task["user_id"], provision=True)
        results.append(backend.tasks.get(task_id) or {**task, "status": "RESOLVED"})
    return results
