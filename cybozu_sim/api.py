"""The SCIM 2.0 endpoint of each tenant: /{subdomain}/scim/v2/...

Flask only carries bytes: the tenant is looked up, the Bearer token checked,
then scim2-server's handler serves the request with cybozu's service and the
IdP's view of the tenant's users.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request, url_for
from scim2_models import Error, SCIMException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from werkzeug.exceptions import HTTPException

from cybozu_sim import get_backend, tokens
from cybozu_sim.scim.idp_view import TenantIdpView
from cybozu_sim.scim.provider import PROVIDER
from cybozu_sim.scim.service import CybozuScimService
from cybozu_sim.tenants import find_tenant

bp = Blueprint("scim", __name__)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
SCIM_PREFIX = "/scim/v2"


def scim_endpoint(subdomain: str) -> str:
    """The SCIM endpoint the Provisioning screen shows: the URL that works."""
    return url_for("scim.endpoint", subdomain=subdomain, path="", _external=True).rstrip("/")


def to_response(scim: ScimResponse) -> Response:
    body = json.dumps(scim.body) if scim.body is not None else None
    return Response(body, status=scim.status, headers=scim.headers)


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    response = to_response(ScimResponse(status, Error(status=status, detail=detail).model_dump()))  # type: ignore[arg-type]
    response.headers.update(headers or {})
    return response


def fault_response(status: int, path: str, headers: dict[str, str]) -> Response:
    """A lab fault on a SCIM path answers a SCIM error; elsewhere plain text."""
    if SCIM_PREFIX in path:
        detail = "Too many requests." if status == 429 else "Fault injected by the lab."
        return error(status, detail, headers)
    return Response(
        f"{status} (fault injected by the lab)\n", status=status, headers=headers, content_type="text/plain"
    )


@bp.route("/<subdomain>/scim/v2", defaults={"path": ""}, methods=METHODS, strict_slashes=False)
@bp.route("/<subdomain>/scim/v2/<path:path>", methods=METHODS)
def endpoint(subdomain: str, path: str) -> Response:
    backend = get_backend()
    tenant = find_tenant(backend, subdomain)
    if tenant is None:
        return error(404, f"There is no cybozu.com environment {subdomain!r}.")
    try:
        tokens.authenticate(backend, subdomain, request.headers.get("Authorization"))
    except tokens.TokenRejected as rejected:
        return error(401, str(rejected), {"WWW-Authenticate": 'Bearer realm="SCIM"'})
    service = CybozuScimService(PROVIDER, tenant)
    try:
        scim_request = ScimRequest(
            method=request.method,
            base_url=scim_endpoint(subdomain),
            path="/" + path,
            query=request.args.to_dict(),
            headers=list(request.headers.items()),
            body=request.get_data(cache=False),
        )
        return to_response(ScimHandler(service, TenantIdpView(backend, tenant)).handle(scim_request))
    except SCIMException as exception:
        return to_response(service.error_response(exception))
    except HTTPException as exception:  # e.g. 413 from MAX_CONTENT_LENGTH
        return error(exception.code or 400, exception.description or exception.name)
