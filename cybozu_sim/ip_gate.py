"""Where IP address restriction is enforced: before every tenant URL, the console's and SCIM's.

The rules themselves (entries, ranges, which address is checked) are
ip_restriction.py's; this module applies them to the request in hand. A refused
request gets the 403 HTML page before authentication, whatever the client asked
for: that HTML is what makes Okta say "Invalid JSON: Unexpected character".
"""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request

from cybozu_sim import ip_restriction
from cybozu_sim.backend import get_backend
from cybozu_sim.tenants import find_tenant

# Where the app keeps its parsed TRUSTED_PROXIES (Flask's app.extensions).
TRUSTED_PROXIES = "trusted_proxies"


def install(app: Flask) -> None:
    """Check every request of ``app``; a malformed TRUSTED_PROXIES entry stops the app from starting."""
    app.extensions[TRUSTED_PROXIES] = ip_restriction.parse_trusted_proxies(app.config["TRUSTED_PROXIES"])
    app.before_request(enforce_ip_restriction)


def client_address() -> str | None:
    """The address of the request's client as IP address restriction sees it (the one rule
    for the SCIM endpoint, the console and its "current IP address")."""
    return ip_restriction.client_address(
        request.remote_addr,
        request.headers.getlist("X-Forwarded-For"),
        current_app.extensions[TRUSTED_PROXIES],
    )


def enforce_ip_restriction() -> Response | None:
    """Every tenant URL (console and SCIM) is refused before authentication when the
    client's address is not allowed. The body is HTML, whatever the client asked for."""
    subdomain = (request.view_args or {}).get("subdomain")
    # The lab control API is the lab operator's (loopback and lab key), not a tenant URL.
    if not subdomain or request.path.startswith("/_lab/"):
        return None
    tenant = find_tenant(get_backend(), subdomain)
    address = client_address()
    if tenant is None or ip_restriction.allows(tenant.ip, address):
        return None
    html = render_template("access_denied.html", address=address, tenant=tenant)
    return Response(html, status=403, content_type="text/html; charset=utf-8")
