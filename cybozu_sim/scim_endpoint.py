"""The SCIM 2.0 endpoint of each tenant: /{subdomain}/scim/v2/...

Flask only carries bytes: the tenant is looked up, the Bearer token checked,
then cybozu_sim's own SCIM service (cybozu_sim/scim_service.py) answers with
plain JSON. Every answer, refusals included, is ``application/scim+json``.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request, url_for
from werkzeug.exceptions import HTTPException

from cybozu_sim import tokens
from cybozu_sim.backend import get_backend
from cybozu_sim.scim.errors import ScimError
from cybozu_sim.scim.resources import SCIM_JSON
from cybozu_sim.scim_service import Answer, CybozuScimService, Request
from cybozu_sim.tenants import find_tenant

bp = Blueprint("scim", __name__)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
SCIM_PREFIX = "/scim/v2"
# Each tenant's endpoint: /{subdomain}/scim/v2 (what the Provisioning screen shows, and what the lab
# points Okta's "Domain Name" at; see public.scim_url_template).
TENANT_ROOT = "/<subdomain>" + SCIM_PREFIX


def scim_endpoint(subdomain: str) -> str:
    """The SCIM endpoint the Provisioning screen shows: the URL that works."""
    return url_for("scim.endpoint", subdomain=subdomain, path="", _external=True).rstrip("/")


def to_response(answer: Answer) -> Response:
    """The HTTP response of a service answer (no body for 204)."""
    headers = answer.headers or None
    if answer.body is None:
        return Response(status=answer.status, headers=headers)
    return Response(json.dumps(answer.body), status=answer.status, headers=headers, content_type=SCIM_JSON)


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """A SCIM error response (RFC 7644 §3.12)."""
    problem = ScimError(status, detail, headers=headers)
    return to_response(Answer(status, problem.body(), problem.headers))


def fault_response(status: int, path: str, headers: dict[str, str]) -> Response:
    """A lab fault on a SCIM path answers a SCIM error; elsewhere plain text."""
    if SCIM_PREFIX in path:
        detail = "Too many requests." if status == 429 else "Fault injected by the lab."
        return error(status, detail, headers)
    return Response(
        f"{status} (fault injected by the lab)\n", status=status, headers=headers, content_type="text/plain"
    )


@bp.route(TENANT_ROOT, defaults={"path": ""}, methods=METHODS, strict_slashes=False)
@bp.route(TENANT_ROOT + "/<path:path>", methods=METHODS)
def endpoint(subdomain: str, path: str) -> Response:
    """Every SCIM request of a tenant: tenant, token, then the SCIM service (IP restriction ran before)."""
    backend = get_backend()
    tenant = find_tenant(backend, subdomain)
    if tenant is None:
        return error(404, f"There is no cybozu.com environment {subdomain!r}.")
    try:
        tokens.authenticate(backend, subdomain, request.headers.get("Authorization"))
    except tokens.TokenRejected as rejected:
        return error(401, str(rejected), {"WWW-Authenticate": 'Bearer realm="SCIM"'})
    try:
        body = request.get_data(cache=False) if request.method in ("POST", "PUT", "PATCH") else b""
    except HTTPException as exception:  # e.g. 413 from MAX_CONTENT_LENGTH
        return error(exception.code or 400, exception.description or exception.name)
    scim_request = Request(request.method, path, request.args, request.headers.get("Content-Type"), body)
    # What scim_endpoint() gives, without a URL adapter or IRI conversion on every request.
    base_url = f"{request.scheme}://{request.host}{request.script_root}/{subdomain}{SCIM_PREFIX}"
    service = CybozuScimService(backend, tenant, base_url)
    return to_response(service.handle(scim_request))
