"""What a push leaves behind: the app user's sync state, its (single) open task, and a System
Log event. A push runs without holding the store, so its outcome is written onto the app user
as it is when the push ends."""

from __future__ import annotations

from typing import Any

from okta_sim import ids, syslog
from okta_sim.backend import OktaBackend
from okta_sim.directory import model
from okta_sim.provisioning.event_types import PUSH_EVENTS, failure_text
from okta_sim.provisioning.records import ERROR, PUSH_FIELDS, SYNCHRONIZED


def log_push(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    operation: str,
    *,
    reason: str | None = None,
) -> None:
    """The System Log event of one push, as Okta records it: its event type and description, the
    failure (if any) as the outcome's reason, severity ERROR, a JOB transaction, and the User,
    AppUser and AppInstance it concerns."""
    event_type, description = PUSH_EVENTS[operation]
    syslog.record(
        backend,
        event_type,
        description,
        result="FAILURE" if reason else "SUCCESS",
        reason=reason,
        severity="ERROR" if reason else "INFO",
        transaction="JOB",
        targets=[
            syslog.target("User", user["id"], user["profile"]["login"]),
            {**syslog.target("AppUser", user["id"], app_user.get("userName") or ""), "displayName": model.display_name(user)},
            syslog.app_target(app),
        ],
    )


def open_task(backend: OktaBackend, key: str) -> dict[str, Any] | None:
    return next(iter(backend.tasks.find(lambda t: t["key"] == key and t["status"] == "OPEN")), None)


def resolve_task(backend: OktaBackend, key: str) -> None:
    task = open_task(backend, key)
    if task is not None:
        task["status"] = "RESOLVED"
        backend.tasks.put(task)


def save_push(backend: OktaBackend, app_user: dict[str, Any]) -> bool:
    """Write a push's outcome onto the app user as it is *now*; False if it is gone.

    The push ran without holding the store, so an administrator may have
    changed the assignment meanwhile (unassigned it, changed its services):
    only the fields a push owns are written back, and the caller's copy
    takes the current values of the others.
    """
    current = backend.app_users.get(app_user["key"])
    if current is None:
        return False
    current.update({field: app_user.get(field) for field in PUSH_FIELDS})
    backend.app_users.put(current)
    app_user.update(current)
    return True


def fail(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    operation: str,
    detail: str,
    *,
    step: str | None = None,
) -> None:
    """A push failed with the remote server's ``detail``: the app user is in ERROR and its (single)
    open task says why in Okta's words. ``step`` is the part that failed where it is not the
    operation itself (a create's lookup, or Okta's own blank-username check)."""
    message = failure_text(
        step or operation,
        name=model.display_name(user),
        app=app["label"],
        user_name=app_user.get("userName") or "",
        detail=detail,
    )
    with backend.store.transaction():
        app_user["syncState"] = ERROR
        app_user["lastError"] = message
        if save_push(backend, app_user):
            task = open_task(backend, app_user["key"]) or {
                "id": ids.new_id(backend.entropy, ids.TASK, app_user["key"]),
                # The order among tasks of one instant: that of the pushes, not of the workers.
                "seq": backend.jobs.stamp(),
                "key": app_user["key"],
                "app_id": app["id"],
                "user_id": user["id"],
                "status": "OPEN",
            }
            task.update(operation=operation, message=message, created=backend.now())
            backend.tasks.put(task)
        # The lookup has an event type of its own; Okta's blank-username check is the create's.
        log_push(backend, app, user, app_user, step if step in PUSH_EVENTS else operation, reason=message)


def done(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    operation: str,
) -> None:
    """A push succeeded: the app user is in sync and its open task, if any, is resolved."""
    with backend.store.transaction():
        app_user["syncState"] = SYNCHRONIZED
        app_user["lastError"] = None
        app_user["lastSync"] = backend.now()
        if save_push(backend, app_user):
            resolve_task(backend, app_user["key"])
        log_push(backend, app, user, app_user, operation)


def list_tasks(backend: OktaBackend, *, status: str | None = "OPEN") -> list[dict[str, Any]]:
    tasks = backend.tasks.find(lambda t: status is None or t["status"] == status)
    return sorted(tasks, key=lambda t: t["seq"])
