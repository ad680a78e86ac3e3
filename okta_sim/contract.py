"""okta_sim's published contract: the OpenAPI document of /api/v1 and of its /_lab/ control API
(simcore.openapi builds it from the routes; GET /openapi.json serves it; docs/openapi/okta_sim.json
is its copy). The shapes are the subset of Okta's management API objects (okta-sdk-python
``openapi/api.yaml``) that okta_sim answers; extra properties are allowed, as Okta adds them."""

from __future__ import annotations

from typing import Any

from flask import Flask

from simcore.openapi import COMMON_LAB, Operation, document, lab_operations

READ = (401, 404, 429)
WRITE = (400, 401, 403, 404, 429)
USER_QUERY = ("q", "search", "filter", "limit", "after", "sortBy", "sortOrder")

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
LINKS = {"type": "object"}


def shape(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **optional}}


def listing(item: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}


SCHEMAS: dict[str, Any] = {
    "Org": {
        "type": "object",
        "required": ["name", "path", "egress"],
        "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "egress": {"type": "array"}},
    },
    "Orgs": {"type": "array", "items": {"$ref": "#/components/schemas/Org"}},
    "Error": shape(
        {
            "errorCode": {"type": "string", "pattern": "^E0000[0-9]{3}$"},
            "errorSummary": TEXT,
            "errorLink": TEXT,
            "errorId": TEXT,
            "errorCauses": {"type": "array", "items": shape({"errorSummary": TEXT})},
        },
    ),  # fmt: skip
    "User": shape(
        {
            "id": TEXT,
            "status": {
                "enum": ["STAGED", "PROVISIONED", "ACTIVE", "SUSPENDED", "LOCKED_OUT", "DEPROVISIONED"]
            },
            "created": TEXT,
            "activated": NULLABLE_TEXT,
            "statusChanged": NULLABLE_TEXT,
            "lastLogin": NULLABLE_TEXT,
            "lastUpdated": TEXT,
            "passwordChanged": NULLABLE_TEXT,
            "type": shape({"id": TEXT}),
            "profile": shape({"login": TEXT, "email": TEXT, "firstName": TEXT, "lastName": TEXT}),
            "credentials": shape({"provider": shape({"type": TEXT, "name": TEXT})}),
            "_links": LINKS,
        },
    ),  # fmt: skip
    "Users": listing("User"),
    "Group": shape(
        {
            "id": TEXT,
            "created": TEXT,
            "lastUpdated": TEXT,
            "lastMembershipUpdated": TEXT,
            "objectClass": {"type": "array", "items": TEXT},
            "type": {"enum": ["OKTA_GROUP", "APP_GROUP", "BUILT_IN"]},
            "profile": shape({"name": TEXT}, description=NULLABLE_TEXT),
            "_links": LINKS,
        },
        _embedded=shape({}, stats=shape({"usersCount": {"type": "integer"}})),
    ),  # fmt: skip
    "Groups": listing("Group"),
    "Application": shape(
        {
            "id": TEXT,
            "name": TEXT,
            "label": TEXT,
            "status": {"enum": ["ACTIVE", "INACTIVE"]},
            "created": TEXT,
            "lastUpdated": TEXT,
            "signOnMode": TEXT,
            "settings": shape({"app": shape({"domainName": TEXT})}),
            "credentials": shape(
                {"userNameTemplate": shape({"template": NULLABLE_TEXT, "type": TEXT, "pushStatus": TEXT})}
            ),
            "features": {"type": "array", "items": TEXT},
            "_links": LINKS,
        },
    ),  # fmt: skip
    "Applications": listing("Application"),
    "AppUser": shape(
        {
            "id": TEXT,
            "scope": {"enum": ["USER", "GROUP"]},
            "status": TEXT,
            "syncState": TEXT,
            "created": TEXT,
            "lastUpdated": TEXT,
            "credentials": shape({"userName": NULLABLE_TEXT}),
            "profile": {"type": "object"},
            "_links": LINKS,
        },
    ),  # fmt: skip
    "AppUsers": listing("AppUser"),
    "AppGroup": shape(
        {"id": TEXT, "priority": {"type": "integer"}, "profile": {"type": "object"}, "_links": LINKS}
    ),
    "AppGroups": listing("AppGroup"),
    "AppLinks": {
        "type": "array",
        "items": shape({"id": TEXT, "appInstanceId": TEXT, "appName": TEXT, "label": TEXT, "linkUrl": TEXT}),
    },  # fmt: skip
    "Connection": shape(
        {"authScheme": {"const": "TOKEN"}, "status": {"enum": ["ENABLED", "DISABLED"]}, "_links": LINKS}
    ),
    "Feature": shape(
        {"name": TEXT, "status": {"enum": ["ENABLED", "DISABLED"]}, "capabilities": {"type": "object"}}
    ),
    "Features": listing("Feature"),
    "AppUserSchema": shape({"definitions": {"type": "object"}}),
    "LogEvents": {
        "type": "array",
        "items": shape({"uuid": TEXT, "published": TEXT, "eventType": TEXT, "outcome": {"type": "object"}}),
    },  # fmt: skip
    "Empty": {"type": "object", "maxProperties": 0},
    "LifecycleAnswer": {
        "anyOf": [
            {"$ref": "#/components/schemas/Empty"},
            shape({"activationUrl": TEXT, "activationToken": TEXT}),
        ]
    },
}

OPERATIONS: dict[tuple[str, str], Operation] = {
    # /api/v1/users
    ("api_v1.users.list_users", "GET"): Operation(
        "List users", schema="Users", query=USER_QUERY, errors=(400, 401, 429)
    ),
    ("api_v1.users.create_user", "POST"): Operation(
        "Create a user", schema="User", request="Object", query=("activate",), errors=WRITE
    ),  # fmt: skip
    ("api_v1.users.get_user", "GET"): Operation("Retrieve a user by id or login", schema="User", errors=READ),
    ("api_v1.users.update_user", "POST"): Operation(
        "Update a user (partial)", schema="User", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.users.replace_user", "PUT"): Operation(
        "Replace a user", schema="User", request="Object", errors=WRITE
    ),
    ("api_v1.users.delete_user", "DELETE"): Operation(
        "Deactivate, then delete a user", status=204, schema=None, errors=WRITE
    ),  # fmt: skip
    ("api_v1.users.user_lifecycle", "POST"): Operation(
        "A lifecycle operation", schema="LifecycleAnswer", query=("sendEmail",), errors=WRITE
    ),  # fmt: skip
    ("api_v1.users.user_app_links", "GET"): Operation(
        "List the person's assigned app links", schema="AppLinks", errors=READ
    ),  # fmt: skip
    ("api_v1.users.user_groups", "GET"): Operation("List the person's groups", schema="Groups", errors=READ),
    # /api/v1/groups
    ("api_v1.groups.list_groups", "GET"): Operation(
        "List groups",
        schema="Groups",
        query=("q", "search", "filter", "expand", "limit", "after", "sortBy", "sortOrder"),
        errors=(400, 401, 429),
    ),  # fmt: skip
    ("api_v1.groups.create_group", "POST"): Operation(
        "Create a group", schema="Group", request="Object", errors=WRITE
    ),
    ("api_v1.groups.get_group", "GET"): Operation("Retrieve a group", schema="Group", errors=READ),
    ("api_v1.groups.replace_group", "PUT"): Operation(
        "Replace a group", schema="Group", request="Object", errors=WRITE
    ),
    ("api_v1.groups.delete_group", "DELETE"): Operation(
        "Delete a group", status=204, schema=None, errors=WRITE
    ),
    ("api_v1.groups.group_users", "GET"): Operation(
        "List the members", schema="Users", query=("limit", "after"), errors=READ
    ),  # fmt: skip
    ("api_v1.groups.add_member", "PUT"): Operation("Add a member", status=204, schema=None, errors=WRITE),
    ("api_v1.groups.remove_member", "DELETE"): Operation(
        "Remove a member", status=204, schema=None, errors=WRITE
    ),
    # /api/v1/apps
    ("api_v1.applications.list_apps", "GET"): Operation(
        "List apps",
        schema="Applications",
        query=("q", "filter", "expand", "limit", "after"),
        errors=(400, 401, 429),
    ),  # fmt: skip
    ("api_v1.applications.add_app", "POST"): Operation(
        "Add the Cybozu (cybozu.com) app", schema="Application", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.applications.get_app", "GET"): Operation("Retrieve an app", schema="Application", errors=READ),
    ("api_v1.applications.update_app", "PUT"): Operation(
        "Replace an app's label, Domain Name and username template",
        schema="Application",
        request="Object",
        errors=WRITE,
    ),  # fmt: skip
    ("api_v1.applications.delete_app", "DELETE"): Operation(
        "Delete a deactivated app", status=204, schema=None, errors=WRITE
    ),  # fmt: skip
    ("api_v1.applications.app_lifecycle", "POST"): Operation(
        "Activate or deactivate an app", schema="Empty", errors=WRITE
    ),  # fmt: skip
    ("api_v1.applications.get_connection", "GET"): Operation(
        "The provisioning connection", schema="Connection", errors=READ
    ),  # fmt: skip
    ("api_v1.applications.save_connection", "POST"): Operation(
        "Save and activate the provisioning connection",
        schema="Connection",
        request="Object",
        query=("activate",),
        errors=WRITE,
    ),  # fmt: skip
    ("api_v1.applications.connection_lifecycle", "POST"): Operation(
        "Activate or deactivate the provisioning connection", status=204, schema=None, errors=WRITE
    ),  # fmt: skip
    ("api_v1.applications.list_features", "GET"): Operation(
        "List the app's features", schema="Features", errors=READ
    ),
    ("api_v1.applications.get_feature", "GET"): Operation(
        "Retrieve a feature", schema="Feature", errors=READ
    ),
    ("api_v1.applications.update_feature", "PUT"): Operation(
        "Update USER_PROVISIONING's capabilities", schema="Feature", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.applications.get_schema", "GET"): Operation(
        "The app user schema (Profile Editor)", schema="AppUserSchema", errors=READ
    ),  # fmt: skip
    ("api_v1.applications.update_schema", "POST"): Operation(
        "Delete service attributes from the app user schema",
        schema="AppUserSchema",
        request="Object",
        errors=WRITE,
    ),  # fmt: skip
    ("api_v1.app_users.list_app_users", "GET"): Operation(
        "List the assigned people", schema="AppUsers", query=("limit", "after"), errors=READ
    ),  # fmt: skip
    ("api_v1.app_users.assign_user", "POST"): Operation(
        "Assign a person", schema="AppUser", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.app_users.get_app_user", "GET"): Operation(
        "Retrieve an assigned person", schema="AppUser", errors=READ
    ),
    ("api_v1.app_users.update_app_user", "POST"): Operation(
        "Update an assignment", schema="AppUser", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.app_users.unassign_user", "DELETE"): Operation(
        "Unassign a person", status=204, schema=None, errors=WRITE
    ),
    ("api_v1.app_users.list_app_groups", "GET"): Operation(
        "List the assigned groups", schema="AppGroups", query=("limit", "after"), errors=READ
    ),  # fmt: skip
    ("api_v1.app_users.assign_group", "PUT"): Operation(
        "Assign a group", schema="AppGroup", request="Object", errors=WRITE
    ),  # fmt: skip
    ("api_v1.app_users.get_app_group", "GET"): Operation(
        "Retrieve a group assignment", schema="AppGroup", errors=READ
    ),
    ("api_v1.app_users.unassign_group", "DELETE"): Operation(
        "Unassign a group", status=204, schema=None, errors=WRITE
    ),
    # /api/v1/logs
    ("api_v1.logs.list_logs", "GET"): Operation(
        "The System Log",
        schema="LogEvents",
        query=("since", "until", "filter", "q", "sortOrder", "limit", "after"),
        errors=(400, 401, 429),
    ),  # fmt: skip
}

LAB_OPERATIONS = lab_operations(
    [
        ("token_create", "POST", "Mint an SSWS API token", 201, "Object"),
        (
            "app_state",
            "GET",
            "An app with its app users, group assignments and provisioning state",
            200,
            "Object",
        ),
        ("app_delete", "DELETE", "Delete an app at once (training mode's reset)", 204, None),
        ("app_force_sync", "POST", "[Force Sync]", 200, "Object"),
        ("app_test_credentials", "POST", "[Test API Credentials]", 200, "Object"),
        ("egress", "GET", "The egress addresses", 200, "Object"),
        ("egress_rotate", "POST", "Move to the next egress pool", 200, "Object"),
        ("exchanges", "GET", "The SCIM wire log", 200, "Object"),
        ("exchanges_clear", "DELETE", "Clear the SCIM wire log", 204, None),
        ("exchanges_total", "GET", "How many SCIM requests were sent", 200, "Object"),
        ("people_import", "POST", "Seed many people at once", 201, "Object"),
        ("queue_state", "GET", "The push queue", 200, "Object"),
        ("settle", "POST", "Wait until no push is queued or running", 200, "Object"),
        ("tasks", "GET", "Tasks", 200, "Object"),
        ("tasks_retry", "POST", "[Retry Selected]", 200, "Object"),
        ("user_lock_out", "POST", "Lock an active person out, as failed sign-ins would", 200, "Object"),
        # The root org only: the orgs it hosts at /orgs/<name>/ (okta_sim.orgs).
        ("orgs_list", "GET", "The orgs the lab hosts beside its own", 200, "Orgs"),
        ("org_create", "POST", "Create an org with its administrator's password", 201, "Org"),
        ("org_reset", "POST", "Put an org back to new (only its administrator)", 200, "Org"),
        ("org_delete", "DELETE", "Delete an org and its data", 204, None),
    ]
)


def openapi(app: Flask) -> dict[str, Any]:
    return document(
        title="okta_sim: /api/v1 and the lab control API",
        description="The part of Okta's management API okta_sim answers (docs/okta_sim.md), and /_lab/ "
        "(loopback and X-Lab-Key only, docs/lab.md).",
        url_map=app.url_map,
        prefixes=("/api/v1", "/_lab"),
        operations={**OPERATIONS, **COMMON_LAB, **LAB_OPERATIONS},
        schemas=SCHEMAS,
        error="Error",
        ignored=("api_v1.unknown",),
        security={
            "SSWS": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "SSWS <token>"}
        },
    )
