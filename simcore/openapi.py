"""An app's OpenAPI 3.1 document, built from its Flask routes and a table of what each one is.

The paths and methods come from the URL map itself, and every route under the documented
prefixes must have an entry in the table (and every entry a route), so the document cannot drift
from the code: a new route without a contract entry fails the build of the document, and with it
the tests (tests/architecture/test_openapi.py) and ``python -m lab.openapi``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.routing import Map

PARAMETER = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\((?P<arguments>[^)]*)\))?:)?(?P<name>\w+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
           413: "Content Too Large", 429: "Too Many Requests"}  # fmt: skip


class ContractError(ValueError):
    """The table and the routes disagree."""


@dataclass(frozen=True)
class Operation:
    """One method of one route: what it answers on success (``schema``: a component name, or
    None for no body), what it takes (``request``, ``query``) and the errors it documents."""

    summary: str
    status: int = 200
    schema: str | None = "Object"
    request: str | None = None
    query: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    error_schema: str = ""  # the errors' component when not the document's (the lab's own)


LAB_ERRORS = (400, 403, 404, 409)
LAB_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}  # the lab's JSON error; 403 off the loopback or without X-Lab-Key


def lab_operations(rows: Iterable[tuple[str, str, str, int, str | None]]) -> dict[tuple[str, str], Operation]:
    """A /_lab/ table from (view, method, summary, status, schema) rows of the lab_control blueprint."""
    return {
        (f"lab_control.{view}", method): Operation(
            summary, status=status, schema=schema, errors=LAB_ERRORS, error_schema="LabError"
        )
        for view, method, summary, status, schema in rows
    }


# The endpoints simcore.control gives every app's /_lab/.
COMMON_LAB = lab_operations(
    [
        ("reset", "POST", "Empty the app (optionally seeding the demo data again)", 200, "Object"),
        ("snapshot", "GET", "The app's whole state", 200, "Object"),
        ("restore", "POST", "Go back to a snapshot", 200, "Object"),
        ("clock_state", "GET", "The lab clock", 200, "Object"),
        ("clock_change", "POST", "Freeze, advance or unfreeze the lab clock", 200, "Object"),
        ("faults_list", "GET", "The faults in place", 200, "Object"),
        ("faults_add", "POST", "Make the app misbehave (429, 5xx, latency, a dropped connection, a malformed or slow body)", 201, "Object"),
        ("faults_clear", "DELETE", "Remove every fault", 204, None),
    ]
)


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """``/users/<user_id>/lifecycle/<any(a, b):action>`` -> ``/users/{user_id}/lifecycle/{action}``
    with its path parameters (an ``any`` converter's choices as an enum)."""
    parameters = []
    for match in PARAMETER.finditer(rule):
        schema: dict[str, Any] = {"type": "string"}
        if match["converter"] == "any":
            schema["enum"] = [choice.strip().strip("'\"") for choice in match["arguments"].split(",")]
        parameters.append({"name": match["name"], "in": "path", "required": True, "schema": schema})
    return PARAMETER.sub(lambda m: "{" + m["name"] + "}", rule), parameters


def document(
    *,
    title: str,
    description: str,
    url_map: Map,
    prefixes: Iterable[str],
    operations: Mapping[tuple[str, str], Operation],
    schemas: Mapping[str, Any],
    error: str,
    ignored: Iterable[str] = (),
    security: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The document for the routes under ``prefixes``; ``operations`` is keyed by (endpoint,
    method) and ``ignored`` names endpoints that are not API operations (a catch-all)."""
    prefixes, ignored = tuple(prefixes), set(ignored)
    paths: dict[str, dict[str, Any]] = {}
    seen = set()
    missing = []
    for rule in sorted(url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefixes) or rule.endpoint in ignored:
            continue
        path, parameters = openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            key = (rule.endpoint, method)
            if key not in operations:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
                continue
            seen.add(key)
            item = paths.setdefault(path, {})
            if parameters:
                item["parameters"] = parameters
            item[method.lower()] = operation_object(rule.endpoint, operations[key], error)
    stale = sorted(f"{method} ({endpoint})" for endpoint, method in set(operations) - seen)
    if missing or stale:
        raise ContractError(
            "the contract and the routes disagree: "
            + "; ".join([*(f"no contract for {m}" for m in missing), *(f"no route for {s}" for s in stale)])
        )
    built: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1", "description": description},
        "paths": paths,
        "components": {"schemas": {"Object": {"type": "object"}, "LabError": LAB_ERROR, **schemas}},
    }
    if security:
        built["components"]["securitySchemes"] = dict(security)
        built["security"] = [{name: []} for name in security]
    return built


def operation_object(endpoint: str, operation: Operation, error: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": REASONS.get(operation.status, "Answer")}
    if operation.schema is not None:
        answer["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{operation.schema}"}}
        }
    responses: dict[str, Any] = {str(operation.status): answer}
    for status in operation.errors:
        responses[str(status)] = {
            "description": REASONS.get(status, "Error"),
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{operation.error_schema or error}"}
                }
            },
        }
    built: dict[str, Any] = {"operationId": endpoint, "summary": operation.summary, "responses": responses}
    if operation.query:
        built["parameters"] = [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in operation.query
        ]
    if operation.request is not None:
        built["requestBody"] = {
            "required": False,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{operation.request}"}}
            },
        }
    return built


def serve(app: Flask, build: Callable[[Flask], dict[str, Any]]) -> None:
    """``GET /openapi.json``: the app's document, built on the first request (once every route is
    registered) and kept."""

    def contract() -> Response:
        if "openapi" not in app.extensions:
            app.extensions["openapi"] = build(app)
        return jsonify(app.extensions["openapi"])

    app.add_url_rule("/openapi.json", "openapi", contract, methods=["GET"])
