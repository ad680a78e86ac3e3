"""An administrator's provisioning actions: [Force Sync], "Provision User", and the Tasks page's
[Retry Selected], with the messages the console shows after them."""

from __future__ import annotations

from typing import Any

from okta_sim import apps
from okta_sim.backend import OktaBackend
from okta_sim.errors import NotFound
from okta_sim.provisioning.queue import request_push, request_pushes
from okta_sim.provisioning.records import app_users_of_app, get_app_user


def force_sync(backend: OktaBackend, app_id: str) -> int:
    """[Force Sync]: reapply the mappings to every app user; a push follows only where they
    changed (support.okta.com, "How To Use The Force Sync Option"). Returns how many were checked."""
    apps.get_app(backend, app_id)  # an unknown app is Okta's 404, not an empty sync
    user_ids = [au["user_id"] for au in app_users_of_app(backend, app_id, include_pending=True)]
    request_pushes(backend, app_id, user_ids, provision=True)
    return len(user_ids)


def provision_user(backend: OktaBackend, app_id: str, user_id: str) -> dict[str, Any]:
    """ "Provision User" for someone assigned before provisioning was enabled."""
    get_app_user(backend, app_id, user_id)
    return request_push(backend, app_id, user_id, provision=True) or {}


def force_sync_message(checked: int) -> str:
    """What the console shows after [Force Sync] (and a scenario's step message): the pushes run
    in the background, so their outcome is in Tasks and the System Log (wording: inference)."""
    return f"Force Sync started for {checked} users."


def retry_message(results: list[dict[str, Any]]) -> str:
    """What the console shows after [Retry Selected] (wording: inference)."""
    return f"{len(results)} task(s) sent for retry."


def retry_tasks(backend: OktaBackend, task_ids: list[str]) -> list[dict[str, Any]]:
    """Tasks: [Retry Selected]. Returns the tasks as they stand afterwards."""
    results = []
    for task_id in task_ids:
        task = backend.tasks.get(task_id)
        if task is None:
            raise NotFound(f"Not found: Resource not found: {task_id} (Task)")
        if task["status"] == "OPEN":
            request_push(backend, task["app_id"], task["user_id"], provision=True)
        results.append(backend.tasks.get(task_id) or {**task, "status": "RESOLVED"})
    return results
