"""The published JSON Schema of scenario files, made from the same marshmallow schemas
and verb table that ``lab check`` uses, so editors and the validator agree.

    python -m lab.scenario.jsonschema > docs/scenario.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from marshmallow import Schema, fields, validate

from lab.scenario import article
from lab.scenario.expect import Expect, ExpectError
from lab.scenario.fieldtypes import APP_SERVICES, IpEntry, Services
from lab.scenario.metadata import Metadata
from lab.scenario.verbs import VERBS
from okta_sim.public import DISABLE, ENABLE

SERVICE_STATES = {"anyOf": [{"type": "boolean"}, {"type": "null"}, {"enum": [ENABLE, DISABLE]}]}


def field_schema(field: fields.Field) -> dict[str, Any]:
    result: dict[str, Any]
    if isinstance(field, fields.Nested):
        nested = field.schema
        result = object_schema(nested)
    elif isinstance(field, fields.List):
        result = {"type": "array", "items": field_schema(field.inner)}
    elif isinstance(field, fields.Dict):
        result = {"type": "object"}
        if field.value_field is not None:
            result["additionalProperties"] = field_schema(field.value_field)
        if field.key_field is not None:
            result["propertyNames"] = field_schema(field.key_field)
    elif isinstance(field, Services):
        result = {
            "anyOf": [
                {"type": "array", "items": {"enum": APP_SERVICES}},
                {
                    "type": "object",
                    "propertyNames": {"enum": APP_SERVICES},
                    "additionalProperties": SERVICE_STATES,
                },
            ]
        }
    elif isinstance(field, IpEntry):
        entry = {"ip": {"type": "string"}, "cidr": {"type": ["integer", "string", "null"]}, "memo": {"type": "string"}}
        result = {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "required": ["ip"], "properties": entry, "additionalProperties": False},
            ]
        }
    elif isinstance(field, fields.Boolean):
        result = {"type": "boolean"}
    elif isinstance(field, fields.Integer):
        result = {"type": "integer"}
    elif isinstance(field, fields.Number):
        result = {"type": "number"}
    elif isinstance(field, fields.String):
        result = {"type": "string"}
    else:
        result = {}
    if isinstance(field, fields.Integer | fields.String) and getattr(field, "allow_none", False):
        result = {"anyOf": [result, {"type": "null"}]}
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            result["enum"] = list(rule.choices)
        elif isinstance(rule, validate.Range):
            low = "minimum" if rule.min_inclusive else "exclusiveMinimum"
            high = "maximum" if rule.max_inclusive else "exclusiveMaximum"
            result.update({k: v for k, v in ((low, rule.min), (high, rule.max)) if v is not None})
        elif isinstance(rule, validate.Length):
            prefix = "Items" if result.get("type") == "array" else "Length"
            if rule.min is not None:
                result[f"min{prefix}"] = rule.min
            if rule.max is not None:
                result[f"max{prefix}"] = rule.max
        elif isinstance(rule, validate.Regexp):
            result["pattern"] = rule.regex.pattern
    doc = field.metadata.get("doc")
    if doc:
        result["description"] = doc
    return result


def object_schema(schema: Schema | type[Schema]) -> dict[str, Any]:
    instance = schema() if isinstance(schema, type) else schema
    return {
        "type": "object",
        "properties": {name: field_schema(f) for name, f in instance.fields.items()},
        "required": sorted(name for name, f in instance.fields.items() if f.required),
        "additionalProperties": False,
    }


def step_schema() -> dict[str, Any]:
    """A step: exactly one verb (or ``expect`` alone), plus name/expect/expect_error/save."""
    common = {
        "name": {"type": "string"},
        "expect": object_schema(Expect),
        "expect_error": {"anyOf": [{"type": "string"}, object_schema(ExpectError)]},
        "save": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    variants = []
    for verb in VERBS.values():
        params = object_schema(verb.schema)
        params["description"] = verb.help
        variants.append(
            {
                "type": "object",
                "properties": {**common, verb.name: {"anyOf": [params, {"type": "null"}]}},
                "required": [verb.name],
                "additionalProperties": False,
            }
        )
    only_expect = {k: v for k, v in common.items() if k in ("name", "expect")}
    variants.append(
        {"type": "object", "properties": only_expect, "required": ["expect"], "additionalProperties": False}
    )
    return {"oneOf": variants}


def scenario_schema() -> dict[str, Any]:
    document = object_schema(Metadata)
    document["properties"]["steps"] = {"type": "array", "minItems": 1, "items": step_schema()}
    document["properties"]["covers"]["items"] = {"enum": article.SECTIONS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/okta-cybozu-lab/scenario.schema.json",
        "title": "Okta + cybozu.com provisioning lab scenario",
        **document,
    }


if __name__ == "__main__":
    json.dump(scenario_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
