"""What belongs to Okta's API protocol rather than to a resource: the per-family rate limits and
their headers, ``Authorization: SSWS <token>``, Okta's error JSON (for the domain's errors and for
werkzeug's), and the catch-all route that keeps unknown paths and methods in Okta's JSON.

The API's blueprint (okta_sim/api_v1/blueprint.py) installs these on the parent of every resource.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Iterable
from typing import Any, NoReturn

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import PathConverter, Rule

from okta_sim import api_tokens
from okta_sim.backend import get_backend
from okta_sim.errors import OktaError
from simcore.control import lab_observer

PREFIX = "/api/v1"

# The methods an Allow header may list (a 405 for TRACE still names GET and POST).
ANY_METHOD = ["GET", "POST", "PUT", "DELETE", "PATCH"]

ALPHANUMERIC = string.ascii_letters + string.digits

RATE_LIMITS = "okta_api_rate_limits"
RATE_LIMITED = "API call exceeded rate limit due to too many requests."

# First path segment -> the endpoint family whose per-minute budget a request spends.
FAMILIES = {"users": "users", "groups": "groups", "apps": "apps", "meta": "apps", "logs": "logs"}

# What werkzeug's HTTP errors are in Okta's vocabulary: status -> (errorCode, errorSummary).
HTTP_ERRORS = {
    400: ("E0000003", "The request body was not well-formed."),
    404: ("E0000007", "Not found: Resource not found: {path} (Api)"),
    405: ("E0000022", "The endpoint does not support the provided HTTP method"),
    413: ("E0000001", "Api validation failed: the request body is larger than the {limit} bytes allowed."),
    # An unexpected exception: Flask hands the blueprint's handler an InternalServerError.
    500: ("E0000009", "Internal Server Error"),
}



class InvalidToken(OktaError):
    status = 401
    code = "E0000011"


class InvalidSearch(OktaError):
    code = "E0000031"


class RateLimited(OktaError):
    status = 429
    code = "E0000047"


class RateLimits:
    """Requests per endpoint family in the current lab-clock minute (shared by the server's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}  # family -> (minute, requests)

    def hit(self, family: str, minute: int) -> int:
        """Count one request; return the family's count for the minute."""
        with self._lock:
            window, count = self._counts.get(family, (minute, 0))
            count = count + 1 if window == minute else 1
            self._counts[family] = (minute, count)
            return count

    def used(self, family: str, minute: int) -> int:
        with self._lock:
            window, count = self._counts.get(family, (minute, 0))
            return count if window == minute else 0


def rate_window() -> tuple[str, int, int]:
    """(endpoint family, current minute, the family's limit) of this request on the lab clock."""
    segment = request.path.removeprefix(PREFIX).strip("/").partition("/")[0]
    minute = int(get_backend().clock.now().timestamp()) // 60
    return FAMILIES.get(segment, "other"), minute, int(current_app.config.get("OKTA_RATE_LIMIT", 600))


def admit() -> None:
    """Spend the family's budget, then require ``Authorization: SSWS <token>``.

    The budget comes first, so a client retrying with a bad token is throttled too. The lab
    observing the org (a trainee's checklist, simcore.control.lab_observer) spends none of it:
    a class's checks must not throttle the trainees' own API clients.
    """
    family, minute, limit = rate_window()
    if not lab_observer() and current_app.extensions[RATE_LIMITS].hit(family, minute) > limit:
        raise RateLimited(RATE_LIMITED)
    try:
        api_tokens.authenticate(get_backend(), request.headers.get("Authorization"))
    except api_tokens.TokenRejected:
        raise InvalidToken("Invalid token provided") from None


def okta_headers(response: Response) -> Response:
    """Every answer with a body is JSON, a 204 has neither body nor content type (Okta's own SDK
    parses any body it is told is JSON, and an empty one fails), and every answer tells the
    client where its family's budget stands."""
    family, minute, limit = rate_window()
    used = current_app.extensions[RATE_LIMITS].used(family, minute)
    if response.status_code == 204:
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    else:
        response.headers["Content-Type"] = "application/json"
    response.headers["X-Rate-Limit-Limit"] = str(limit)
    response.headers["X-Rate-Limit-Remaining"] = str(max(0, limit - used))
    response.headers["X-Rate-Limit-Reset"] = str((minute + 1) * 60)
    return response


def error_body(code: str, summary: str, causes: Iterable[str] = (), *, error_id: str | None = None) -> dict[str, Any]:
    """Okta's error JSON; every error has its own ``errorId`` unless one is given."""
    return {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": error_id or "oae" + get_backend().entropy.text(ALPHANUMERIC, 22, key="error"),
        "errorCauses": [{"errorSummary": cause} for cause in causes],
    }


def error_response(status: int, code: str, summary: str, causes: Iterable[str] = ()) -> Response:
    response = jsonify(error_body(code, summary, causes))
    response.status_code = status
    return response


def okta_error(error: OktaError) -> Response:
    return error_response(error.status, error.code, error.message, error.causes)


def http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (bad JSON, too large, unknown path, wrong method) in Okta's JSON."""
    status = error.code or 400
    code, summary = HTTP_ERRORS.get(status, ("E0000001", error.name))
    summary = summary.format(path=request.path, limit=current_app.config.get("MAX_CONTENT_LENGTH"))
    response = error_response(status, code, summary)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def unknown(path: str = "") -> NoReturn:
    """Werkzeug routes a known path with the wrong method here too, so tell 405 from 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ANY_METHOD:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound()


def route_every_method(app: Flask, blueprint: str) -> None:
    """Route whatever no view takes under /api/v1 to :func:`unknown`, with any method.

    A Flask route lists its methods, so a method none of them lists (TRACE, PROPFIND, ...)
    failed in routing, outside the blueprint: werkzeug's HTML 405, without the SSWS check or
    Okta's error JSON. A werkzeug ``Rule`` without ``methods`` matches every method; the
    endpoint keeps the request in the blueprint (its authentication, headers and errors).
    """
    endpoint = f"{blueprint}.{unknown.__name__}"
    app.view_functions[endpoint] = unknown
    app.url_map.converters[ANY_PATH] = AnyPath
    app.url_map.add(Rule(f"{PREFIX}/", endpoint=endpoint))
    app.url_map.add(Rule(f"{PREFIX}/<{ANY_PATH}:path>", endpoint=endpoint))


ANY_PATH = "okta_any_path"


class AnyPath(PathConverter):
    """werkzeug's ``path``, newlines included (its ``.`` stops at one): ``/apps/%0A/users/x`` with a
    method no view takes must still reach :func:`unknown`, not werkzeug's HTML 405."""

    regex = r"[^/][\s\S]*?"


def install(bp: Blueprint) -> None:
    """Give the API's blueprint the protocol: the budget and the token checked before every view,
    Okta's headers after it, Okta's error JSON for every error, and the catch-all route."""
    bp.before_request(admit)
    bp.after_request(okta_headers)
    bp.register_error_handler(OktaError, okta_error)
    bp.register_error_handler(HTTPException, http_error)

    @bp.record_once
    def set_up(state: Any) -> None:
        state.app.extensions[RATE_LIMITS] = RateLimits()
        route_every_method(state.app, bp.name)
