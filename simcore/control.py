"""The lab control API under ``/_lab/`` shared by both apps (in the spirit of moto's /moto-api/).

Reset, snapshot/restore, the lab clock and fault injection. It is guarded: a
request must come from the loopback interface *and* carry the lab key
(``X-Lab-Key``), which the lab generates at start-up and keeps in its data
folder, so a browser or a SCIM client of the sandbox cannot reach it.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, jsonify, request

from simcore import jsontext
from simcore.clock import LabClock, parse_instant
from simcore.faults import FaultError, FaultInjector

LAB_KEY_HEADER = "X-Lab-Key"
# The lab reading an app's state for itself (a trainee's checklist), not a client of the app's
# protocol: with the lab key, such a request spends none of the protocol's rate limits.
OBSERVER_HEADER = "X-Lab-Observer"
View = TypeVar("View", bound=Callable[..., Any])


@dataclass
class LabHooks:
    """What an app lets the lab do to it."""

    clock: LabClock
    faults: FaultInjector
    reset: Callable[[], None]
    snapshot: Callable[[], dict[str, Any]]
    restore: Callable[[dict[str, Any]], None]
    # Renders the response of a fired fault in the protocol of the request's path.
    fault_response: Callable[[int, str, dict[str, str]], Response]
    # Puts the demo data back (what a fresh `make run` starts with).
    seed_demo: Callable[[], Any]


def lab_error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status}), status


def domain_errors(kind: type[Exception], describe: Callable[[Any], str]) -> Callable[[View], View]:
    """A decorator for an app's /_lab/ views: its domain error ``kind`` (which carries an HTTP
    ``status``) answers the lab's JSON error with ``describe(error)``, as its console would word it."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except kind as error:
                return lab_error(getattr(error, "status", 400), describe(error))

        return wrapper  # type: ignore[return-value]

    return decorate


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def has_lab_key() -> bool:
    """Whether this request carries the app's lab key (compared in constant time)."""
    given = request.headers.get(LAB_KEY_HEADER, "")
    return hmac.compare_digest(given.encode(), str(current_app.config["LAB_KEY"]).encode())


def lab_observer() -> bool:
    """A request of the lab observing the app (OBSERVER_HEADER, the lab key, the loopback)."""
    return bool(request.headers.get(OBSERVER_HEADER)) and is_loopback(request.remote_addr) and has_lab_key()


def create_control_blueprint(hooks: LabHooks) -> Blueprint:
    """Return the ``/_lab`` blueprint; apps add their own routes to it before registering."""
    bp = Blueprint("lab_control", __name__, url_prefix="/_lab")

    @bp.before_request
    def guard() -> tuple[Response, int] | None:
        if not is_loopback(request.remote_addr):
            return lab_error(403, "the lab control API only answers the loopback interface")
        if not has_lab_key():
            return lab_error(403, f"missing or wrong {LAB_KEY_HEADER} header")
        return None

    @bp.errorhandler(400)
    def bad_request(error: Any) -> tuple[Response, int]:
        return lab_error(400, "the body must be a JSON object")

    @bp.post("/reset")
    def reset() -> tuple[Response, int] | Response:
        """Empty the app; ``{"demo": true}`` then seeds the demo data again."""
        body = request.get_json(silent=True) if request.data else {}
        if (
            not isinstance(body, dict)
            or set(body) - {"demo"}
            or not isinstance(body.get("demo", False), bool)
        ):
            return lab_error(400, 'send nothing, or {"demo": true} to seed the demo data again')
        hooks.reset()
        hooks.faults.clear()
        hooks.clock.reset()
        if body.get("demo"):
            hooks.seed_demo()
        return jsonify({"reset": True, "demo": bool(body.get("demo"))})

    @bp.get("/snapshot")
    def snapshot() -> Response:
        return jsonify(hooks.snapshot())

    @bp.post("/restore")
    def restore() -> tuple[Response, int] | Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return lab_error(400, "the body must be a snapshot taken from GET /_lab/snapshot")
        try:
            hooks.restore(data)
        except ValueError as error:
            return lab_error(400, str(error))
        return jsonify({"restored": True})

    @bp.get("/clock")
    def clock_state() -> Response:
        return jsonify(hooks.clock.state())

    @bp.post("/clock")
    def clock_change() -> tuple[Response, int] | Response:
        body = json_object()
        if body is None:
            return lab_error(400, "the body must be a JSON object")
        unknown = set(body) - {"freeze", "advance", "unfreeze"}
        if unknown or not body:
            return lab_error(400, 'use {"freeze": true|ISO-8601}, {"advance": seconds} or {"unfreeze": true}')
        try:
            if "freeze" in body:
                at = body["freeze"]
                hooks.clock.freeze(None if at is True else parse_instant(str(at)))
            if "advance" in body:
                seconds = body["advance"]
                if not isinstance(seconds, int | float) or isinstance(seconds, bool):
                    return lab_error(400, "advance must be a number of seconds")
                hooks.clock.advance(seconds)
            if body.get("unfreeze"):
                hooks.clock.unfreeze()
        except ValueError as error:
            return lab_error(400, str(error))
        return jsonify(hooks.clock.state())

    @bp.get("/faults")
    def faults_list() -> Response:
        return jsonify(hooks.faults.list())

    @bp.post("/faults")
    def faults_add() -> tuple[Response, int]:
        try:
            fault = hooks.faults.add(request.get_json(silent=True))
        except FaultError as error:
            return lab_error(400, str(error))
        return jsonify(fault.to_dict()), 201

    @bp.delete("/faults")
    def faults_clear() -> tuple[str, int]:
        hooks.faults.clear()
        return "", 204

    return bp


def json_object() -> dict[str, Any] | None:
    """The body as a JSON object the store can hold (simcore.jsontext), else None."""
    try:
        body = jsontext.loads(request.get_data(cache=True))
        jsontext.check_storable(body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
