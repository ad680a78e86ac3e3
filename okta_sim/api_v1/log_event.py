"""The attributes of Okta's LogEvent object, as the System Log's ``filter`` names them.

The tree is the LogEvent of Okta's System Log reference and of the management API's OpenAPI
document (``LogEvent`` and the ``Log…`` objects it holds; ``authenticationContext.rootSessionId``
from the System Log query guide), so a filter on any attribute Okta has is accepted even where
the lab's own events leave it out, and any other is Okta's "field is not valid".
"""

from __future__ import annotations

from typing import Any

# A map (``detailEntry``, ``debugData``, ``transaction.detail``): the map itself or any key below.
ANY_KEY = "any key"
# ``changeDetails.from`` and ``.to``: "you can't search on the to or from objects alone".
A_PROPERTY = "a property"

Tree = dict[str, Any]


def fields(*names: str, **nested: Any) -> Tree:
    """An object: its plain attributes, then those that hold an object or a map."""
    return {**dict.fromkeys(names), **nested}


GEOGRAPHY = fields("city", "state", "country", "postalCode", geolocation=fields("lat", "lon"))

LOG_EVENT = fields(
    "uuid",
    "published",
    "eventType",
    "version",
    "severity",
    "legacyEventType",
    "displayMessage",
    actor=fields("id", "type", "alternateId", "displayName", detailEntry=ANY_KEY),
    client=fields(
        "id",
        "zone",
        "ipAddress",
        "device",
        userAgent=fields("browser", "os", "rawUserAgent"),
        geographicalContext=GEOGRAPHY,
    ),
    device=fields(
        "id",
        "name",
        "os_platform",
        "os_version",
        "managed",
        "registered",
        "disk_encryption_type",
        "screen_lock_type",
        "jailbreak",
        "secure_hardware_present",
        device_integrator=ANY_KEY,
    ),
    request=fields(ipChain=fields("ip", "version", "source", geographicalContext=GEOGRAPHY)),
    outcome=fields("result", "reason"),
    target=fields(
        "id",
        "type",
        "alternateId",
        "displayName",
        detailEntry=ANY_KEY,
        changeDetails=fields(**{"from": A_PROPERTY, "to": A_PROPERTY}),
    ),
    transaction=fields("id", "type", detail=ANY_KEY),
    debugContext=fields(debugData=ANY_KEY),
    authenticationContext=fields(
        "authenticationProvider",
        "authenticationStep",
        "credentialProvider",
        "credentialType",
        "externalSessionId",
        "interface",
        "rootSessionId",
        issuer=fields("id", "type"),
    ),
    securityContext=fields(
        "asNumber", "asOrg", "isp", "domain", "isProxy", userBehaviors=fields("id", "name", "result")
    ),
)


def known(path: str) -> bool:
    """Whether a dotted path names an attribute (or an object) of the LogEvent."""
    node: Any = LOG_EVENT
    for name in path.split("."):
        if node in (ANY_KEY, A_PROPERTY):
            return True
        if not isinstance(node, dict) or name not in node:
            return False
        node = node[name]
    return node != A_PROPERTY
