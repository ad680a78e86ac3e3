"""What every simulator app shares: its configuration, store and clock, and the lab control API."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from email.utils import format_datetime
from typing import Any, Protocol

from flask import Blueprint, Flask, Response

from simcore.clock import LabClock
from simcore.control import LabHooks, create_control_blueprint
from simcore.entropy import Entropy
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
) -> tuple[Store, LabClock, Entropy]:
    """Apply defaults then ``config``; return the store, clock and random source the app runs on.

    ``STORE``/``CLOCK`` inject shared objects (tests), ``DATA_FILE`` picks a file
    store (None: memory). Secrets are random unless given, so a lab that wants
    sessions to survive a restart passes its own ``SECRET_KEY``. ``SEED`` (an int)
    makes the app's ids and API tokens repeatable (simcore.entropy: a scenario's
    sandbox only); ``SEED_ROOM`` (default: the app's name) tells apps with one seed apart.
    """
    app.config.update(
        SECRET_KEY=secrets.token_hex(32),
        LAB_KEY=secrets.token_urlsafe(24),
        DATA_FILE=None,
        MAX_CONTENT_LENGTH=1024 * 1024,  # bodies and forms over 1 MiB get a 413
        SEED=None,
        SEED_ROOM=None,
    )
    app.config.update(defaults)
    app.config.update(config or {})
    store = app.config.get("STORE") or Store(app.config["DATA_FILE"])
    clock = app.config.get("CLOCK") or LabClock()
    seed = app.config["SEED"]
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"SEED must be an integer or None, not {seed!r}")
    date_from(app, clock)
    return store, clock, Entropy(seed, app.config["SEED_ROOM"] or app.name)


def date_from(app: Flask, clock: LabClock) -> None:
    """Every response's ``Date`` header is the lab clock's (RFC 9110 5.6.7 IMF-fixdate), as every
    timestamp the app writes is: a scenario a year ahead sees a Date a year ahead, and a frozen
    clock gives the same headers on every run (the wire log and HAR are then reproducible).
    Without it the HTTP server would stamp the machine's time."""

    @app.after_request
    def stamp(response: Response) -> Response:
        response.headers["Date"] = format_datetime(clock.now(), usegmt=True)
        return response


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
