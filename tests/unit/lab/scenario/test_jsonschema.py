"""lab.scenario.jsonschema: the published JSON Schema is current and refuses what lab check refuses."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from lab.scenario.jsonschema import scenario_schema
from tests.conftest import ROOT

SCHEMA_CATCHES = [
    "unknown-verb",
    "unknown-param",
    "missing-param",
    "wrong-type-bool",
    "bad-choice",
    "expect-unknown-key",
    "unknown-top-key",
    "setup-typo",
    "unknown-section",
    "two-verbs",
]


def test_the_published_json_schema_is_current() -> None:
    published = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    assert published == scenario_schema(), (
        "regenerate: python -m lab.scenario.jsonschema > docs/scenario.schema.json"
    )
    jsonschema.Draft202012Validator.check_schema(published)


@pytest.mark.parametrize("name", SCHEMA_CATCHES)
def test_the_json_schema_refuses_what_lab_check_refuses(name: str) -> None:
    data = yaml.safe_load((ROOT / "tests" / "scenario_errors" / f"{name}.yaml").read_text())
    assert not jsonschema.Draft202012Validator(scenario_schema()).is_valid(data)
