"""What a step can expect (``expect:``, ``expect_error:``): the state of both apps, the
step's message and the SCIM requests it sent."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from lab.scenario.fieldtypes import (
    APP_SERVICES,
    TENANT_SERVICES,
    USERNAME_FORMATS,
    Count,
    Flag,
    Services,
    Strict,
    Text,
)


class ExpectCybozuUser(Strict):
    login = Text(required=True)
    id = fields.String(metadata={"doc": "the user's id (save it with cybozu.view_user or cybozu.add_user)"})
    display = fields.String()
    surname = fields.String()
    given = fields.String()
    email = fields.String()
    status = fields.String(validate=validate.OneOf(["Active", "Inactive"]))
    services = fields.List(fields.String(validate=validate.OneOf(TENANT_SERVICES)))
    linked = Flag(metadata={"doc": "synced through SCIM (Propagate Provisioning links the user to the IdP)"})
    held = Flag(
        metadata={"doc": "added in the console while Propagate Provisioning was on: hidden from the IdP"}
    )


class ExpectAppUser(Strict):
    user = Text(required=True, metadata={"doc": "the person's Okta username"})
    status = fields.String(validate=validate.OneOf(["STAGED", "PROVISIONED", "DEPROVISIONED"]))
    sync_state = fields.String(validate=validate.OneOf(["SYNCHRONIZED", "OUT_OF_SYNC", "ERROR", "DISABLED"]))
    user_name = fields.String()
    scope = fields.String(validate=validate.OneOf(["USER", "GROUP"]))
    services = Services(
        metadata={"doc": "the services Okta holds for the assignment: each one named has that value (Enable, Disable, or null for not set)"}
    )


class ExpectTask(Strict):
    user = Text(required=True)
    status = fields.String(validate=validate.OneOf(["OPEN", "RESOLVED"]), load_default="OPEN")
    error = fields.String(metadata={"doc": "the task's exact error text"})
    error_contains = fields.String()
    operation = fields.String()


class ExpectExchange(Strict):
    method = fields.String(validate=validate.OneOf(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    path = Text(metadata={"doc": "the path after the SCIM base URL; * and ? are wildcards"})
    status = fields.Integer(strict=True, allow_none=True, metadata={"doc": "null: no answer"})
    request = fields.Raw(metadata={"doc": "a subset of the request body"})
    response = fields.Raw(metadata={"doc": "a subset of the response body"})
    source = fields.String(metadata={"doc": "the address the request left from"})


class ExpectEvent(Strict):
    event_type = Text(required=True)
    outcome = fields.String(validate=validate.OneOf(["SUCCESS", "FAILURE"]))
    message = fields.String(metadata={"doc": "the displayMessage (Okta's description of the event type)"})
    message_contains = fields.String()
    reason = fields.String(metadata={"doc": "outcome.reason: what failed, in Okta's words (the task's text)"})
    reason_contains = fields.String()
    user = Text(metadata={"doc": "a target's alternateId: the Okta login or the app username"})


class ToApp(Strict):
    create = Flag()
    update = Flag()
    deactivate = Flag()


class ExpectApp(Strict):
    domain_name = Text(metadata={"doc": 'General Settings: "Domain Name" (the tenant\'s subdomain)'})
    api_integration = Flag(metadata={"doc": '"Enable API integration" saved'})
    to_app = fields.Nested(ToApp, metadata={"doc": "Provisioning to App: create, update, deactivate"})
    attributes = fields.List(
        fields.String(validate=validate.OneOf(APP_SERVICES)),
        metadata={"doc": "the Profile Editor's service attributes"},
    )
    attributes_missing = fields.List(
        fields.String(validate=validate.OneOf(APP_SERVICES)),
        metadata={"doc": "service attributes that must have been deleted from the Profile Editor (the others may be anything)"},
    )
    username_format = fields.String(
        validate=validate.OneOf(USERNAME_FORMATS), metadata={"doc": 'Sign On: "Application username format"'}
    )


class Expect(Strict):
    tenant = Text(metadata={"doc": "the cybozu.com tenant checked (default: the first)"})
    app = Text(metadata={"doc": "the Okta app checked (default: the last added)"})
    message = fields.String(metadata={"doc": "the step's message, exactly"})
    message_contains = fields.String()
    cybozu_users = fields.List(fields.Nested(ExpectCybozuUser))
    cybozu_absent = fields.List(Text(), metadata={"doc": "log in names that must not exist"})
    cybozu_user_count = Count(0)
    okta_app_users = fields.List(fields.Nested(ExpectAppUser))
    okta_unassigned = fields.List(
        Text(),
        metadata={
            "doc": "people with no assignment, as Okta's API answers (404): one unassigned whose "
            "deactivation failed is unassigned, its open task in `tasks`"
        },
    )
    okta_app_user_count = Count(0, metadata={"doc": "the app's assignments, as okta_unassigned counts them"})
    tasks = fields.List(fields.Nested(ExpectTask))
    open_tasks = Count(0, metadata={"doc": "the number of open tasks"})
    exchanges = fields.List(
        fields.Nested(ExpectExchange),
        metadata={"doc": "SCIM requests of the step, in this order (others may come between)"},
    )
    exchange_count = Count(0, metadata={"doc": "SCIM requests the step sent"})
    syslog = fields.List(fields.Nested(ExpectEvent))
    api_tokens = Count(0, metadata={"doc": "the tenant's API tokens that are enabled and not expired"})
    propagate_provisioning = Flag(metadata={"doc": 'the tenant\'s "Propagate Provisioning"'})
    ip_restriction = Flag(metadata={"doc": 'the tenant restricts IP addresses (not "Allow all")'})
    ip_addresses = fields.List(
        Text(),
        metadata={"doc": 'the IP address list, exactly and in order: "192.0.2.8", "198.51.100.0/24"'},
    )
    basic_auth = Flag(metadata={"doc": "the tenant's Basic authentication is on"})
    license_warnings = fields.List(
        fields.String(),
        metadata={"doc": "the licence warnings the tenant's Licenses page shows, exactly ([] for none)"},
    )
    okta_app = fields.Nested(ExpectApp, metadata={"doc": "the Okta app's settings"})

    @validates_schema
    def not_empty(self, data: dict[str, Any], **kwargs: object) -> None:
        if not set(data) - {"tenant", "app"}:
            raise ValidationError("an expect block needs at least one expectation")


class ExpectError(Strict):
    message = fields.String(metadata={"doc": "the error, exactly"})
    contains = fields.String()

    @validates_schema
    def one(self, data: dict[str, Any], **kwargs: object) -> None:
        if len(data) != 1:
            raise ValidationError("give message or contains")
