"""What cybozu_sim's SCIM endpoint serves: one resource type (User), its schemas, its limits.

Groups are absent on purpose: departments, job titles and groups (roles)
cannot be synced to cybozu.com.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from scim2_models import Resource, ResourceType, Schema, ScimProvider, ServiceProviderConfig

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
CYBOZU_EXTENSION = "urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

# Searches return at most this many resources per page (Okta asks for 100).
MAX_RESULTS = 100


def _schemas() -> list[Schema]:
    raw = json.loads(files("cybozu_sim.scim").joinpath("schemas.json").read_text("utf-8"))
    return [Schema.model_validate({"schemas": [SCHEMA_SCHEMA], **schema}) for schema in raw]


USER_TYPE = ResourceType.model_validate(
    {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "cybozu.com users",
        "schema": USER_SCHEMA,
        "schemaExtensions": [{"schema": CYBOZU_EXTENSION, "required": False}],
    }
)

CONFIG = ServiceProviderConfig.model_validate(
    {
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
)

PROVIDER = ScimProvider.from_discovery(_schemas(), [USER_TYPE], config=CONFIG)
USER_MODEL: type[Resource[Any]] = PROVIDER.model_for(USER_TYPE)  # type: ignore[assignment]
