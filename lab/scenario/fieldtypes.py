"""The kinds of value scenario fields take, shared by the verb, setup and expectation schemas,
and the names they are checked against (read from each simulator's public module, so a
service or username format lives once, in the simulator that has it)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from cybozu_sim.public import SERVICES as CYBOZU_SERVICES
from okta_sim.public import DISABLE, ENABLE, SERVICE_ATTRIBUTES
from okta_sim.public import USERNAME_FORMATS as OKTA_USERNAME_FORMATS

# Okta: the Cybozu app's service attributes (assignments, the Profile Editor).
APP_SERVICES: list[str] = [attribute for attribute, _label in SERVICE_ATTRIBUTES]
# cybozu.com: the service codes of a tenant's licences and users.
TENANT_SERVICES: list[str] = list(CYBOZU_SERVICES)
USERNAME_FORMATS: list[str] = list(OKTA_USERNAME_FORMATS)


def Text(**kwargs: object) -> fields.String:  # noqa: N802 - reads like a field class
    return fields.String(validate=validate.Length(min=1, max=2000), **kwargs)  # type: ignore[arg-type]


def Flag(**kwargs: object) -> fields.Boolean:  # noqa: N802
    """Only YAML true/false: "yes" or 1 is a mistake in a scenario, not a boolean."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)  # type: ignore[arg-type]


def Count(low: int = 0, high: int = 1_000_000, **kwargs: object) -> fields.Integer:  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=low, max=high), **kwargs)  # type: ignore[arg-type]


class Strict(Schema):
    """Every scenario schema refuses unknown keys (marshmallow's default, made explicit)."""

    class Meta:
        unknown = "raise"


class Services(fields.Field):
    """A list of services to set to Enable, or a mapping ``{service: Enable|Disable|true|false|null}``;
    null is the form's "(not set)": the assignment holds no value for the service."""

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, list):
            pairs = [(name, True) for name in value]
        elif isinstance(value, dict):
            pairs = list(value.items())
        else:
            raise ValidationError("services is a list of services or a mapping {service: Enable|Disable|null}")
        result = {}
        for name, state in pairs:
            if name not in APP_SERVICES:
                raise ValidationError(f"unknown service {name!r}; the services are {', '.join(APP_SERVICES)}")
            if state not in (True, False, ENABLE, DISABLE, None):
                raise ValidationError(f"{name}: use Enable or Disable (or true/false), or null for not set")
            result[name] = None if state is None else ENABLE if state in (True, ENABLE) else DISABLE
        return result


class IpEntry(fields.Field):
    """An IP address list entry: "192.0.2.8", "198.51.100.0/24" or {ip, cidr, memo}. cybozu_sim
    checks the address itself, so a bad one fails the step with the Store's message."""

    KEYS = ("ip", "cidr", "memo")

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and "ip" in value and value.keys() <= set(self.KEYS):
            return dict(value)
        raise ValidationError('an entry is "192.0.2.8", "198.51.100.0/24" or {ip, cidr, memo}')
