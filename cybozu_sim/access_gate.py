"""Where access control is enforced: before every tenant URL, the console's and SCIM's.

The rules are access_control.py's (IP address restrictions, then Basic
authentication); this module applies them to the request in hand. A refused
request is answered before the login page or the SCIM token check, in HTML
whatever the client asked for: that HTML is what makes Okta say "Invalid JSON:
Unexpected character". The cybozu.com Store (cybozu_store.py) is not behind it: it is
where an administrator who locked the domain out turns the restriction off
(jp.cybozu.help, list_access/access_denied.html).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request

from cybozu_sim import access_control, ip_restriction
from cybozu_sim.backend import get_backend
from cybozu_sim.tenants import find_tenant

# Where the app keeps its parsed TRUSTED_PROXIES (Flask's app.extensions).
TRUSTED_PROXIES = "trusted_proxies"
# The realm a browser shows when it asks for the shared user name and password (inference).
REALM = "cybozu.com"


def install(app: Flask) -> None:
    """Check every request of ``app``; a malformed TRUSTED_PROXIES entry stops the app from starting."""
    app.extensions[TRUSTED_PROXIES] = ip_restriction.parse_trusted_proxies(app.config["TRUSTED_PROXIES"])
    app.before_request(enforce_access_control)


def client_address() -> str | None:
    """The address of the request's client as IP address restriction sees it (the one rule
    for the SCIM endpoint, the console and its "current IP address")."""
    return ip_restriction.client_address(
        request.remote_addr,
        request.headers.getlist("X-Forwarded-For"),
        current_app.extensions[TRUSTED_PROXIES],
    )


def enforce_access_control() -> Response | None:
    subdomain = (request.view_args or {}).get("subdomain")
    # The lab control API is the lab operator's (loopback and lab key), not a tenant URL.
    if not subdomain or request.path.startswith("/_lab/"):
        return None
    tenant = find_tenant(get_backend(), subdomain)
    if tenant is None:
        return None
    address = client_address()
    verdict = access_control.verdict(tenant, address, request.headers.get("Authorization"))
    if verdict is access_control.Verdict.ADMITTED:
        return None
    if verdict is access_control.Verdict.CHALLENGED:
        html = render_template("basic_auth_required.html", tenant=tenant)
        response = Response(html, status=401, content_type="text/html; charset=utf-8")
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
        return response
    html = render_template("access_denied.html", address=address, tenant=tenant)
    return Response(html, status=403, content_type="text/html; charset=utf-8")
