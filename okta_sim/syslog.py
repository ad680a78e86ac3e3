"""Okta's System Log: one event per thing that happened, in Okta's LogEvent shape."""

from __future__ import annotations

from typing import Any

from okta_sim.backend import OktaBackend
from simcore.clock import isoformat

TABLE = "logs"
ORDER = "_order"


def record(
    backend: OktaBackend,
    event_type: str,
    message: str,
    *,
    targets: list[dict[str, Any]] | None = None,
    result: str = "SUCCESS",
    reason: str | None = None,
    severity: str | None = None,
    actor: str = "Okta System",
    transaction: str = "WEB",
) -> dict[str, Any]:
    """Record one event. ``transaction`` is Okta's transaction type: WEB for what an administrator's
    request did, JOB for what a background job (a push) did."""
    event = {
        "uuid": str(backend.entropy.uuid4(key=f"event:{event_type}")),
        "published": isoformat(backend.clock.now()),
        "eventType": event_type,
        "version": "0",
        "severity": severity or ("WARN" if result == "FAILURE" else "INFO"),
        "displayMessage": message,
        "actor": {"id": "0oa_system", "type": "SystemPrincipal", "displayName": actor},
        "outcome": {"result": result, "reason": reason},
        "target": targets or [],
        "transaction": {
            "type": transaction,
            "id": backend.entropy.token_hex(10, key=f"transaction:{event_type}"),
            "detail": {},
        },
        # Where the event goes among those of the same instant: pushes run on several workers,
        # and the log lists a job's events in the order the jobs were asked for (okta_sim.jobs).
        ORDER: backend.jobs.stamp(),
    }
    with backend.store.transaction() as db:
        db.table(TABLE).insert(event)
    return event


def target(kind: str, id_: str, name: str) -> dict[str, Any]:
    return {"id": id_, "type": kind, "alternateId": name, "displayName": name}


def app_target(app: dict[str, Any]) -> dict[str, Any]:
    """The System Log target of an app instance (most provisioning events name one)."""
    return target("AppInstance", app["id"], app["label"])


def events(backend: OktaBackend, *, stamped: bool = False) -> list[dict[str, Any]]:
    """Every event in the order it was stored (Okta's "persistence" order, which polling follows).
    ``stamped`` keeps each event's ORDER key, by which events of one instant are listed."""
    with backend.store.transaction() as db:
        return [dict(doc) if stamped else unstamped(doc) for doc in db.table(TABLE)]


def unstamped(event: dict[str, Any]) -> dict[str, Any]:
    """An event as Okta shows it, without the lab's ORDER key."""
    return {k: v for k, v in event.items() if k != ORDER}
