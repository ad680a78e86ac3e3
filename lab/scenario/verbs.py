"""The verbs a scenario step can use: their parameters (marshmallow schemas), what they
return for ``save:``, and one line of help each.

The article's actions on each side (``cybozu.*``, ``okta.*``) plus the lab's own
(``lab.*``). The drivers implement each verb by name and receive the parameters as its
schema loaded them (defaults included), so a parameter and its default are declared
here only; ``lab check``, the JSON Schema and docs/scenarios.md are all made from this
table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from cybozu_sim.public import DEFAULT_TOKEN_VALIDITY, IP_RESTRICTION_MODES, TOKEN_VALIDITY_PERIODS
from lab.scenario.fieldtypes import (
    APP_SERVICES,
    TENANT_SERVICES,
    USERNAME_FORMATS,
    Count,
    Flag,
    IpEntry,
    Services,
    Strict,
    Text,
)
from okta_sim.public import PROFILE_FIELDS, USERNAME_UPDATE_ON

# -- cybozu.com ------------------------------------------------------------------


class CybozuTarget(Strict):
    tenant = Text(metadata={"doc": "subdomain (default: the first tenant of setup)"})


class CreateApiToken(CybozuTarget):
    notes = fields.String(
        validate=validate.Length(max=200), metadata={"doc": '"Enter notes for this API token."'}
    )
    validity = fields.String(
        load_default=DEFAULT_TOKEN_VALIDITY,
        validate=validate.OneOf(list(TOKEN_VALIDITY_PERIODS)),
        metadata={"doc": '"Expiration date": a validity period; the token expires that long from today'},
    )


class TokenRef(CybozuTarget):
    id = Text(required=True, metadata={"doc": "the token's id (save it from cybozu.create_api_token)"})


class SetEnabled(CybozuTarget):
    enabled = Flag(required=True)


class SetIpRestriction(CybozuTarget):
    mode = fields.String(
        load_default="allow_specific",
        validate=validate.OneOf(list(IP_RESTRICTION_MODES)),
        metadata={"doc": ", ".join(f'{k}: "{v}"' for k, v in IP_RESTRICTION_MODES.items())},
    )
    entries = fields.List(
        IpEntry(),
        load_default=list,
        validate=validate.Length(max=2900),
        metadata={"doc": 'up to 2,900: "192.0.2.8", "198.51.100.0/24" or {ip, cidr, memo}'},
    )
    allow_okta_ips = Flag(load_default=False, metadata={"doc": "also allow Okta's current egress addresses"})


class ImportIpCsv(CybozuTarget):
    csv = fields.String(required=True, metadata={"doc": 'the file: "IP Address","CIDR","Memo" header, then rows'})
    encoding = fields.String(
        load_default="shift_jis",
        validate=validate.OneOf(["shift_jis", "utf-8"]),
        metadata={"doc": "how the file is written (the Store reads Shift-JIS)"},
    )
    line_breaks = fields.String(
        load_default="crlf", validate=validate.OneOf(["crlf", "lf"]), metadata={"doc": "the Store reads CRLF"}
    )


class SetBasicAuth(CybozuTarget):
    enabled = Flag(load_default=True)
    user = fields.String(load_default="", metadata={"doc": "the user name all users share"})
    password = fields.String(metadata={"doc": "its password (omitted: keep the saved one)"})


class CybozuUser(CybozuTarget):
    login = Text(required=True)
    display = Text()
    surname = fields.String()
    given = fields.String()
    email = fields.String()
    services = fields.List(fields.String(validate=validate.OneOf(TENANT_SERVICES)), load_default=list)
    active = Flag(load_default=True)


class CybozuLogin(CybozuTarget):
    login = Text(required=True)


class EditCybozuUser(CybozuLogin):
    new_login = Text(metadata={"doc": "a new login name (refused while Propagate Provisioning is on)"})
    display = Text(metadata={"doc": "display name"})
    surname = fields.String(metadata={"doc": "surname"})
    given = fields.String(metadata={"doc": "given name"})
    email = fields.String(metadata={"doc": "e-mail address"})


# -- Okta ------------------------------------------------------------------------


class AppTarget(Strict):
    app = Text(metadata={"doc": "app id (default: the app the scenario added last)"})


class AddCatalogApp(Strict):
    search = Text(load_default="cybozu", metadata={"doc": "what to type in the App Catalog search box"})
    domain_name = Text(required=True, metadata={"doc": '"Domain Name": the cybozu.com subdomain'})
    label = Text()


class ConfigureApiIntegration(AppTarget):
    enabled = Flag(load_default=True, metadata={"doc": '"Enable API integration"'})
    token = Text(metadata={"doc": '"API Token" (required when enabling)'})

    @validates_schema
    def token_when_enabling(self, data: dict, **kwargs: object) -> None:
        if data.get("enabled", True) and not data.get("token"):
            raise ValidationError("enabling the API integration needs the API Token", "token")


class TestApiCredentials(AppTarget):
    token = Text(required=True)


class ProvisioningToApp(AppTarget):
    create = Flag(load_default=True, metadata={"doc": "Create Users"})
    update = Flag(load_default=True, metadata={"doc": "Update User Attributes"})
    deactivate = Flag(load_default=True, metadata={"doc": "Deactivate Users"})


class DeleteProfileAttribute(AppTarget):
    attribute = fields.String(required=True, validate=validate.OneOf(APP_SERVICES))


class SetUsernameFormat(AppTarget):
    format = fields.String(required=True, validate=validate.OneOf(USERNAME_FORMATS))
    expression = Text(metadata={"doc": "Okta Expression Language, for format custom"})
    update_on = fields.String(
        validate=validate.OneOf(USERNAME_UPDATE_ON),
        metadata={"doc": '"Update application username on" (unchanged if not given)'},
    )

    @validates_schema
    def expression_for_custom(self, data: dict, **kwargs: object) -> None:
        if data.get("format") == "custom" and not data.get("expression"):
            raise ValidationError("the custom format needs an expression", "expression")
        if data.get("format") != "custom" and "expression" in data:
            raise ValidationError("only the custom format takes an expression", "expression")


SERVICES_DOC = 'a list of services to Enable, or {service: Enable | Disable | null ("(not set)")}'


class AssignPeople(AppTarget):
    user = Text(required=True, metadata={"doc": "the person's Okta username"})
    user_name = fields.String(metadata={"doc": "the cybozu.com log in name (default: the username format)"})
    services = Services(load_default=dict, metadata={"doc": SERVICES_DOC})


class UpdateAssignment(AppTarget):
    user = Text(required=True)
    user_name = fields.String()
    services = Services(metadata={"doc": SERVICES_DOC + "; services not named keep their values"})


class AssignGroup(AppTarget):
    group = Text(required=True, metadata={"doc": "the group's name"})
    services = Services(load_default=dict, metadata={"doc": SERVICES_DOC})
    priority = Count(0, 100)


class Unassign(AppTarget):
    user = Text()
    group = Text()

    @validates_schema
    def one_target(self, data: dict, **kwargs: object) -> None:
        if ("user" in data) == ("group" in data):
            raise ValidationError("give either user or group")


class Person(Strict):
    login = Text(required=True)
    first_name = Text(required=True)
    last_name = Text(required=True)
    email = Text()
    display_name = Text()


class UpdateUser(Strict):
    user = Text(required=True)
    profile = fields.Dict(
        keys=fields.String(validate=validate.OneOf(PROFILE_FIELDS)), values=fields.String(), required=True
    )


class UserRef(Strict):
    user = Text(required=True)


class GroupMember(Strict):
    group = Text(required=True)
    user = Text(required=True)


class RetryTasks(Strict):
    user = Text(metadata={"doc": "retry this person's open tasks (default: every open task)"})


class RestartProvisioning(AppTarget):
    pass


# -- lab -------------------------------------------------------------------------


class AdvanceClock(Strict):
    seconds = Count(0, 10 * 365 * 86400)
    days = Count(0, 3650)

    @validates_schema
    def some_time(self, data: dict, **kwargs: object) -> None:
        if not data:
            raise ValidationError("give seconds or days")


# The parameters each kind of fault takes, besides app, path, method, times and probability.
FAULT_KINDS: dict[str, tuple[str, ...]] = {
    "rate_limit": ("retry_after",),
    "server_error": ("status",),
    "latency": ("delay_ms",),
    "timeout": (),
    "connection_reset": (),
    "empty_reply": (),
    "malformed_body": ("body", "status"),
    "slow_body": ("delay_ms", "chunks"),
}


class Fault(Strict):
    app = fields.String(load_default="cybozu", validate=validate.OneOf(["cybozu", "okta"]))
    kind = fields.String(
        required=True,
        validate=validate.OneOf(list(FAULT_KINDS)),
        metadata={
            "doc": "rate_limit: 429 with Retry-After; server_error: 5xx; latency; timeout: no answer within "
            "Okta's read timeout; connection_reset: the connection is reset (RST) instead of an answer; "
            "empty_reply: it is closed with zero bytes; malformed_body: a body Okta cannot parse; "
            "slow_body: the headers at once, the body trickled"
        },
    )
    status = Count(
        200,
        599,
        metadata={"doc": "server_error: 500-599 (default 503); malformed_body with body html: 200-599 (default 200)"},
    )
    retry_after = Count(0, 60, metadata={"doc": "seconds, for rate_limit (default 1)"})
    delay_ms = Count(
        0,
        60_000,
        metadata={
            "doc": "latency: the added delay (default 500); slow_body: how long the body takes after the headers "
            "(default: each pause one second past Okta's read timeout)"
        },
    )
    body = fields.String(
        validate=validate.OneOf(["html", "truncated_json"]),
        metadata={
            "doc": "malformed_body: html (a proxy's HTML error page instead of the answer) or truncated_json "
            "(the app's own answer, processed, cut in half)"
        },
    )
    chunks = Count(2, 100, metadata={"doc": "slow_body: the pieces the body comes in, the first with the headers (default 2)"})
    probability = fields.Float(
        validate=validate.Range(min=0, max=1, min_inclusive=False),
        metadata={"doc": "fire on each matching request with this probability, drawn from the scenario's seed (default 1)"},
    )
    times = Count(1, 1_000_000, metadata={"doc": "how many requests it hits (default: all)"})
    path = Text(load_default="/scim/v2/", metadata={"doc": "regular expression on the request path"})
    method = fields.String(validate=validate.OneOf(["GET", "POST", "PUT", "PATCH", "DELETE"]))

    @validates_schema
    def fits_kind(self, data: dict, **kwargs: object) -> None:
        kind = data.get("kind")
        if kind not in FAULT_KINDS:
            return
        for name in ("status", "retry_after", "delay_ms", "body", "chunks"):
            if name in data and name not in FAULT_KINDS[kind]:
                takers = " or ".join(k for k, taken in FAULT_KINDS.items() if name in taken)
                raise ValidationError(f"{name} is for kind {takers}, not {kind}", name)
        if kind == "server_error" and data.get("status", 500) < 500:
            raise ValidationError("a server_error's status is from 500 to 599", "status")
        if kind == "malformed_body" and "body" not in data:
            raise ValidationError("malformed_body needs body: html or truncated_json", "body")
        if kind == "malformed_body" and "status" in data and data["body"] != "html":
            raise ValidationError("only body html takes a status: truncated_json cuts the app's own answer", "status")


class Name(Strict):
    name = Text(load_default="default")


class Empty(Strict):
    pass


class Connect(Strict):
    tenant = Text()
    domain_name = Text()
    delete_unlicensed = Flag(
        load_default=True, metadata={"doc": "delete the attributes of unlicensed services"}
    )


@dataclass(frozen=True)
class Verb:
    name: str
    schema: type[Schema]
    help: str
    results: dict[str, str] = field(default_factory=dict)


MESSAGE = {"message": "the message the console shows"}

VERBS: dict[str, Verb] = {
    v.name: v
    for v in [
        Verb(
            "cybozu.create_api_token",
            CreateApiToken,
            "STEP1 5-8: Create API Token, note it down, [Close]",
            {"token": "the API Token", "scim_endpoint": "the SCIM Endpoint", "id": "the token's id"},
        ),
        Verb("cybozu.disable_api_token", TokenRef, "Provisioning: disable an API token"),
        Verb("cybozu.enable_api_token", TokenRef, "Provisioning: enable a disabled API token again"),
        Verb("cybozu.delete_api_token", TokenRef, "Provisioning: delete an API token"),
        Verb(
            "cybozu.set_propagate_provisioning",
            SetEnabled,
            'STEP1 9: "Propagate Provisioning" Enabled/Disabled',
        ),
        Verb(
            "cybozu.set_ip_restriction",
            SetIpRestriction,
            "Store > Security & Authentication > IP Address Restrictions: mode and IP addresses",
        ),
        Verb(
            "cybozu.import_ip_csv",
            ImportIpCsv,
            "Store > IP Address Restrictions: import a CSV file, [Save] (allows only its addresses)",
        ),
        Verb("cybozu.set_basic_auth", SetBasicAuth, "Store > Security & Authentication > Basic Authentication"),
        Verb(
            "cybozu.add_user", CybozuUser, "Departments & Users: add a user by hand", {"id": "the user's id"}
        ),
        Verb(
            "cybozu.view_user",
            CybozuLogin,
            "Departments & Users: open a user's [Edit] page (its id is in the address)",
            {"id": "the user's id", "status": "Active or Inactive"},
        ),
        Verb("cybozu.delete_user", CybozuLogin, "Departments & Users: delete a user"),
        Verb("cybozu.edit_user", EditCybozuUser, "Departments & Users: [Edit] a user's names and e-mail address"),
        Verb("cybozu.deactivate_user", CybozuLogin, "Departments & Users: [Edit], Status Inactive"),
        Verb("cybozu.activate_user", CybozuLogin, "Departments & Users: [Edit], Status Active"),
        Verb(
            "okta.add_catalog_app",
            AddCatalogApp,
            "STEP2 1: Browse App Catalog, search, [Add], Domain Name, [Done]",
            {"id": "the app's id", "label": "the app's label"},
        ),
        Verb(
            "okta.configure_api_integration",
            ConfigureApiIntegration,
            "STEP2 2.1-2.5: Enable API integration, API Token, [Save] (tests the token)",
            MESSAGE,
        ),
        Verb("okta.test_api_credentials", TestApiCredentials, "STEP2 2.4: [Test API Credentials]", MESSAGE),
        Verb(
            "okta.set_provisioning_to_app",
            ProvisioningToApp,
            "STEP2 2.6-2.8: Provisioning to App: Create Users, Update User Attributes, Deactivate Users",
        ),
        Verb(
            "okta.delete_profile_attribute",
            DeleteProfileAttribute,
            "STEP2 3: Profile Editor: [x] next to a service, [Delete Attribute]",
        ),
        Verb("okta.set_username_format", SetUsernameFormat, "Sign On: Application username format"),
        Verb(
            "okta.assign_people", AssignPeople, "STEP2 4: Assign to People (log in name, services)", MESSAGE
        ),
        Verb(
            "okta.update_assignment",
            UpdateAssignment,
            "Assignments: edit a person's log in name or services",
            MESSAGE,
        ),
        Verb("okta.assign_group", AssignGroup, "STEP2 4: Assign to Groups (services)", MESSAGE),
        Verb("okta.unassign", Unassign, "Unassigning Users / Groups: [x], [OK]"),
        Verb("okta.add_person", Person, "Directory > People: add a person", {"id": "the person's id"}),
        Verb("okta.update_user", UpdateUser, "Directory: edit a person's profile"),
        Verb("okta.deactivate_user", UserRef, "Directory: deactivate a person"),
        Verb("okta.activate_user", UserRef, "Directory: activate a deactivated person"),
        Verb("okta.suspend_user", UserRef, "Directory: suspend an active person (nothing is pushed)"),
        Verb("okta.unsuspend_user", UserRef, "Directory: unsuspend a suspended person"),
        Verb("okta.unlock_user", UserRef, "Directory: unlock a locked-out person ([Unlock])"),
        Verb("okta.add_to_group", GroupMember, "Directory > Groups: add a member"),
        Verb("okta.remove_from_group", GroupMember, "Directory > Groups: remove a member"),
        Verb(
            "okta.force_sync",
            AppTarget,
            "Running Force Sync",
            {**MESSAGE, "checked": "users checked", "errors": "users in error"},
        ),
        Verb("okta.retry_tasks", RetryTasks, "Tasks: [Retry Selected]", MESSAGE),
        Verb("okta.turn_off_provisioning", AppTarget, "Turning off the Provisioning Feature"),
        Verb(
            "okta.restart_provisioning",
            RestartProvisioning,
            "Restarting the Provisioning Feature (Enable API Integration, then Provisioning to App)",
            MESSAGE,
        ),
        Verb(
            "lab.connect",
            Connect,
            "STEP1 and STEP2 1-3 in one: token, Propagate Provisioning, app, API integration, To App",
            {"token": "the API Token", "app": "the app's id", "token_id": "the token's id"},
        ),
        Verb("lab.advance_clock", AdvanceClock, "move both apps' clocks forward"),
        Verb("lab.lock_out_user", UserRef, "lock an active Okta person out, as too many failed sign-ins would"),
        Verb(
            "lab.rotate_okta_ips",
            Empty,
            "Okta moves to its next egress addresses",
            {"addresses": "the new addresses, comma separated"},
        ),
        Verb(
            "lab.fault",
            Fault,
            "make an app misbehave: 429, 5xx, latency, timeout, a reset or empty reply, a malformed or slow body",
        ),
        Verb("lab.clear_faults", Empty, "remove every fault"),
        Verb("lab.snapshot", Name, "remember both apps' state under a name"),
        Verb("lab.restore", Name, "go back to a snapshot"),
    ]
}


def parameters(verb: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` loaded by the verb's schema, defaults filled in, as a step's parameters are: for
    the verbs a driver performs on its own account (the setup's, lab.connect's)."""
    return dict(VERBS[verb].schema().load(given))
