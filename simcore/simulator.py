"""What every simulator app shares: its configuration, store and clock, and the lab control API."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from flask import Blueprint, Flask, Response

from simcore.clock import LabClock
from simcore.control import LabHooks, create_control_blueprint
from simcore.faults import FaultInjector
from simcore.store import Store
from simcore.wire_faults import install_fault_hook

FaultResponse = Callable[[int, str, dict[str, str]], Response]


class Resettable(Protocol):
    """What a simulator's backend offers the lab: its clock, and reset/snapshot/restore of its state."""

    clock: LabClock

    def reset(self) -> None: ...
    def snapshot(self) -> dict[str, Any]: ...
    def restore(self, data: dict[str, Any]) -> None: ...


def configure(
    app: Flask, config: Mapping[str, Any] | None, defaults: Mapping[str, Any]
) -> tuple[Store, LabClock]:
    """Apply defaults then ``config``; return the store and clock the app runs on.

    ``STORE``/``CLOCK`` inject shared objects (tests), ``DATA_FILE`` picks a file
    store (None: memory). Secrets are random unless given, so a lab that wants
    sessions to survive a restart passes its own ``SECRET_KEY``.
    """
    app.config.update(
        SECRET_KEY=secrets.token_hex(32),
        LAB_KEY=secrets.token_urlsafe(24),
        DATA_FILE=None,
        MAX_CONTENT_LENGTH=1024 * 1024,  # bodies and forms over 1 MiB get a 413
    )
    app.config.update(defaults)
    app.config.update(config or {})
    store = app.config.get("STORE") or Store(app.config["DATA_FILE"])
    clock = app.config.get("CLOCK") or LabClock()
    return store, clock


def install_lab_control(
    app: Flask,
    backend: Resettable,
    *,
    fault_response: FaultResponse,
    seed_demo: Callable[[], Any],
    routes: Callable[[Blueprint], None] | None = None,
) -> LabHooks:
    """Register ``/_lab/`` (plus the app's own ``routes``) and the fault hook."""
    hooks = LabHooks(
        backend.clock,
        FaultInjector(),
        backend.reset,
        backend.snapshot,
        backend.restore,
        fault_response,
        seed_demo,
    )
    install_fault_hook(app, hooks)
    blueprint = create_control_blueprint(hooks)
    if routes is not None:
        routes(blueprint)
    app.register_blueprint(blueprint)
    app.extensions["lab_hooks"] = hooks
    return hooks
