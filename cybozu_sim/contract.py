"""cybozu_sim's published contract: the OpenAPI document of its /_lab/ control API (simcore.openapi
builds it from the routes; GET /openapi.json serves it; docs/openapi/cybozu_sim.json is its copy).
The SCIM service provider describes itself the SCIM way, at /{domain}/scim/v2/ServiceProviderConfig,
/Schemas and /ResourceTypes (RFC 7644 §4)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from simcore.openapi import COMMON_LAB, document, lab_operations

LAB_OPERATIONS = lab_operations(
    [
        ("tenants_list", "GET", "Every cybozu.com environment", 200, "Tenants"),
        ("tenants_create", "POST", "Create a cybozu.com environment with its licences", 201, "Tenant"),
        ("tenant_show", "GET", "An environment: settings, tokens, users", 200, "Tenant"),
        ("tenant_delete", "DELETE", "Delete an environment", 204, None),
        ("token_create", "POST", "Create an API token ({token, id})", 201, "Object"),
        ("token_set", "PUT", "Enable or disable an API token", 200, "Object"),
        ("token_delete", "DELETE", "Delete an API token", 204, None),
        ("propagate", "PUT", "Turn Propagate Provisioning on or off", 200, "Tenant"),
        ("ip", "PUT", "Set the IP address restriction: mode and entries", 200, "Tenant"),
        ("ip_csv_export", "GET", "The IP address list as the Store exports it (CSV, Shift-JIS)", 200, None),
        ("ip_csv_import", "PUT", "Import a CSV file (the body) as the Store's [Import] and [Save]", 200, "Tenant"),
        ("basic", "PUT", "Set Basic authentication (enabled, user, password)", 200, "Tenant"),
        ("users_list", "GET", "The environment's users", 200, "Users"),
        ("users_add", "POST", "Add a user as an admin would in the console", 201, "Object"),
        ("users_edit", "PUT", "Edit a user as an admin would in the console (the fields given)", 200, "Object"),
        ("users_delete", "DELETE", "Delete a user", 204, None),
    ]
)

SCHEMAS: dict[str, Any] = {
    "Tenant": {"type": "object", "required": ["subdomain"], "properties": {"subdomain": {"type": "string"}}},
    "Tenants": {"type": "array", "items": {"$ref": "#/components/schemas/Tenant"}},
    "Users": {
        "type": "array",
        "items": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
    },  # fmt: skip
}


def openapi(app: Flask) -> dict[str, Any]:
    return document(
        title="cybozu_sim: the lab control API",
        description="/_lab/ (loopback and X-Lab-Key only, docs/lab.md); the SCIM 2.0 service provider "
        "describes itself at /{domain}/scim/v2/ServiceProviderConfig.",
        url_map=app.url_map,
        prefixes=("/_lab",),
        operations={**COMMON_LAB, **LAB_OPERATIONS},
        schemas=SCHEMAS,
        error="LabError",
    )
