"""What the endpoint serves: discovery documents (built once) and users as SCIM resources.

Groups are absent on purpose: departments, job titles and groups (roles)
cannot be synced to cybozu.com, so User is the only resource type.
"""

from __future__ import annotations

from typing import Any

from cybozu_sim.scim.paths import AttrPath
from cybozu_sim.scim.schema import CORE, CYBOZU_EXTENSION, USER_SCHEMA, schema_documents

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SCIM_JSON = "application/scim+json"

# Searches return at most this many resources per page (Okta asks for 100).
MAX_RESULTS = 100

SERVICE_PROVIDER_CONFIG: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "documentationUri": "https://github.com/okta-cybozu-lab/docs/cybozu_sim.md",
    "patch": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": True, "maxResults": MAX_RESULTS},
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": False},
    "authenticationSchemes": [
        {
            "type": "oauthbearertoken",
            "name": "API token",
            "description": "Authorization: Bearer <API token created in cybozu.com "
            "Administration > Provisioning>",
            "primary": True,
        }
    ],
}

USER_RESOURCE_TYPE: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    "id": "User",
    "name": "User",
    "endpoint": "/Users",
    "description": "cybozu.com users",
    "schema": USER_SCHEMA,
    "schemaExtensions": [{"schema": CYBOZU_EXTENSION, "required": False}],
}

SCHEMAS: dict[str, dict[str, Any]] = {doc["id"].lower(): doc for doc in schema_documents()}
RESOURCE_TYPES: dict[str, dict[str, Any]] = {"user": USER_RESOURCE_TYPE}

# Attributes served whatever ``attributes`` / ``excludedAttributes`` say (returned "always").
_ALWAYS = {"id", "schemas"} | {a.name for a in CORE.values() if a.returned == "always"}
_NEVER = {a.name for a in CORE.values() if a.returned == "never"}


def discovery(document: dict[str, Any], base_url: str, kind: str, path: str) -> dict[str, Any]:
    """A discovery document with its meta (RFC 7643 §5-7), located under this tenant's endpoint."""
    return {**document, "meta": {"resourceType": kind, "location": f"{base_url}/{path}"}}


def list_response(resources: list[dict[str, Any]], total: int, start_index: int) -> dict[str, Any]:
    """A ListResponse (RFC 7644 §3.4.2): the counts are integers, as Okta's import requires."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def render_user(
    user: dict[str, Any],
    base_url: str,
    attributes: list[AttrPath] | None = None,
    excluded: list[AttrPath] | None = None,
) -> dict[str, Any]:
    """A stored user as the protocol shows it: no password, meta with its location, attributes chosen."""
    body = {k: v for k, v in user.items() if k not in _NEVER}
    body["meta"] = {**user["meta"], "location": f"{base_url}/Users/{user['id']}"}
    if attributes is not None:
        body = _only(body, attributes)
    elif excluded:
        body = _without(body, excluded)
    return body


def _only(body: dict[str, Any], paths: list[AttrPath]) -> dict[str, Any]:
    """RFC 7644 §3.9 ``attributes``: the named ones, plus those returned always."""
    wanted: dict[str, set[str] | None] = {}  # attribute -> its sub-attributes asked for (None: all)
    for path in paths:
        name = path.top.name
        if path.sub is None:
            wanted[name] = None
        elif name not in wanted or wanted[name] is not None:
            wanted.setdefault(name, set()).add(path.sub.name)  # type: ignore[union-attr]
    kept: dict[str, Any] = {k: v for k, v in body.items() if k in _ALWAYS}
    for name, subs in wanted.items():
        value = body.get(name)
        if value is None or name in kept:
            continue
        if subs is None:
            kept[name] = value
        elif isinstance(value, list):
            items = [{k: v for k, v in item.items() if k in subs} for item in value]
            if any(items):
                kept[name] = [item for item in items if item]
        else:
            picked = {k: v for k, v in value.items() if k in subs}
            if picked:
                kept[name] = picked
    return _schemas_of(kept)


def _without(body: dict[str, Any], paths: list[AttrPath]) -> dict[str, Any]:
    """RFC 7644 §3.9 ``excludedAttributes``: all but the named ones (those returned always stay)."""
    result = dict(body)
    for path in paths:
        name = path.top.name
        if name not in result:
            continue
        if path.sub is None:
            if name not in _ALWAYS:
                del result[name]
            continue
        sub = path.sub.name
        value = result[name]
        if isinstance(value, list):
            items = [{k: v for k, v in item.items() if k != sub} for item in value]
            result[name] = [item for item in items if item]
        else:
            result[name] = {k: v for k, v in value.items() if k != sub}
        if not result[name]:
            del result[name]
    return _schemas_of(result)


def _schemas_of(body: dict[str, Any]) -> dict[str, Any]:
    body["schemas"] = [USER_SCHEMA, CYBOZU_EXTENSION] if body.get(CYBOZU_EXTENSION) else [USER_SCHEMA]
    return body
