"""The ``setup:`` section: the cybozu.com tenants and the Okta people and groups a scenario
starts from."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, post_load, validate

from lab.scenario.fieldtypes import TENANT_SERVICES, Count, Flag, Strict, Text
from lab.scenario.model import DEFAULT_SEED
from lab.scenario.verbs import CybozuUser, Person, SetBasicAuth, SetIpRestriction


class IpRestriction(SetIpRestriction):
    class Meta:
        exclude = ("tenant",)


class BasicAuth(SetBasicAuth):
    class Meta:
        exclude = ("tenant",)


class SetupUser(CybozuUser):
    class Meta:
        exclude = ("tenant",)


class Tenant(Strict):
    subdomain = Text(required=True)
    licenses = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TENANT_SERVICES)),
        values=Count(1, 1_000_000),
        load_default=lambda: {"kintone": 10, "garoon": 10},
        metadata={"doc": "licensed services and their seat counts"},
    )
    propagate_provisioning = Flag(load_default=False)
    users = fields.List(fields.Nested(SetupUser), load_default=list)
    ip_restriction = fields.Nested(IpRestriction)
    basic_auth = fields.Nested(BasicAuth, metadata={"doc": "set after ip_restriction"})


class CybozuSetup(Strict):
    tenants = fields.List(fields.Nested(Tenant), required=True, validate=validate.Length(min=1))


class Generate(Strict):
    count = Count(1, 20_000, required=True)
    seed = Count(0, 2**31, metadata={"doc": "Faker's seed (default: setup.seed)"})
    email_domain = Text(load_default="example.com")
    group = Text(metadata={"doc": "put the generated people in this group (created if missing)"})


class Group(Strict):
    name = Text(required=True)
    members = fields.List(Text(), load_default=list)


class OktaSetup(Strict):
    people = fields.List(fields.Nested(Person), load_default=list)
    generate = fields.List(fields.Nested(Generate), load_default=list)
    groups = fields.List(fields.Nested(Group), load_default=list)


class Setup(Strict):
    clock = fields.String(
        metadata={"doc": "the frozen start instant, ISO 8601 (default 2026-01-05T09:00:00Z)"}
    )
    seed = Count(
        0,
        2**31,
        load_default=DEFAULT_SEED,
        metadata={
            "doc": f"the run's seed (default {DEFAULT_SEED}): both apps' ids and API tokens, and the generated "
            "people, are the same on every run with one seed, so are the reports"
        },
    )
    cybozu = fields.Nested(CybozuSetup)
    okta = fields.Nested(OktaSetup)

    @post_load
    def seed_generated_people(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Faker draws from the scenario's seed unless a ``generate`` entry has its own."""
        for spec in (data.get("okta") or {}).get("generate", []):
            spec.setdefault("seed", data["seed"])
        return data
