"""What the lab's orchestration may use of cybozu_sim, besides cybozu_sim.app.create_app.

The lab drives cybozu_sim over HTTP only; what it must *know* (the demo logins,
the service codes, where a tenant's SCIM endpoint is) it reads here, so each
fact lives once, in cybozu_sim. An architecture test (tests/architecture) keeps
the lab from importing anything else of cybozu_sim.
"""

from __future__ import annotations

from cybozu_sim.ip_restriction import MODES as IP_RESTRICTION_MODES
from cybozu_sim.ip_restriction import cells as ip_entry_cells
from cybozu_sim.ip_restriction import parse_trusted_proxies
from cybozu_sim.licenses import SERVICES
from cybozu_sim.scim_endpoint import SCIM_PREFIX
from cybozu_sim.seed import (
    ADMIN_LOGIN,
    DEFAULT_ADMIN_PASSWORD,
    DEFAULT_USER_PASSWORD,
    DEMO_SUBDOMAIN,
    DEMO_USER_LOGIN,
)
from cybozu_sim.tokens import DEFAULT_VALIDITY as DEFAULT_TOKEN_VALIDITY
from cybozu_sim.tokens import VALIDITY_PERIODS as TOKEN_VALIDITY_PERIODS

__all__ = [
    "ADMIN_LOGIN",  # each environment's administrator (Users & System Administrators)
    "DEFAULT_ADMIN_PASSWORD",
    "DEFAULT_USER_PASSWORD",
    "DEMO_SUBDOMAIN",  # the demo environment `lab up` creates
    "DEMO_USER_LOGIN",
    "DEFAULT_TOKEN_VALIDITY",
    "TOKEN_VALIDITY_PERIODS",  # Create API Token's validity periods -> months
    "IP_RESTRICTION_MODES",  # the Store's IP address restriction modes -> their labels
    "SERVICES",  # service code -> the name the console shows
    "ip_entry_cells",  # an IP address entry's short form -> its IP Address, CIDR and Memo
    "parse_trusted_proxies",
    "scim_url_template",
]


def scim_url_template(base_url: str) -> str:
    """okta_sim's SCIM_URL_TEMPLATE for a cybozu_sim at ``base_url``: "Domain Name" -> its tenant's endpoint."""
    return base_url.rstrip("/") + "/{domain}" + SCIM_PREFIX
