"""lab.fault: each kind takes only its own parameters (a mistake names the parameter and the
kinds it is for), and becomes the rule of simcore.faults the app is sent."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from marshmallow import ValidationError

from lab.drivers.lab_verbs import LabVerbs
from lab.scenario.verbs import parameters
from simcore.faults import parse_fault


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"kind": "connection_reset", "status": 503}, "status", "status is for kind server_error or malformed_body, not connection_reset"),
        ({"kind": "empty_reply", "delay_ms": 10}, "delay_ms", "delay_ms is for kind latency or slow_body, not empty_reply"),
        ({"kind": "server_error", "body": "html"}, "body", "body is for kind malformed_body, not server_error"),
        ({"kind": "latency", "chunks": 3}, "chunks", "chunks is for kind slow_body, not latency"),
        ({"kind": "malformed_body"}, "body", "malformed_body needs body: html or truncated_json"),
        ({"kind": "malformed_body", "body": "truncated_json", "status": 502}, "status", "only body html takes a status"),
        ({"kind": "server_error", "status": 404}, "status", "a server_error's status is from 500 to 599"),
        ({"kind": "malformed_body", "body": "xml"}, "body", "Must be one of: html, truncated_json."),
        ({"kind": "slow_body", "chunks": 1}, "chunks", "Must be greater than or equal to 2"),
        ({"kind": "timeout", "probability": 0}, "probability", "Must be greater than 0 and less than or equal to 1."),
        ({"kind": "timeout", "probability": True}, "probability", "Not a valid number."),
        ({"kind": "reset"}, "kind", "Must be one of:"),
    ],
)
def test_a_fault_step_with_a_parameter_its_kind_does_not_take_is_refused(given, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parameters("lab.fault", given)
    assert message in " ".join(refused.value.messages_dict[field])


class Recorder:
    """The part of LabClient lab.fault uses: what it would send to the app's /_lab/faults."""

    def __init__(self) -> None:
        self.endpoints = SimpleNamespace(scim_timeout=3.0)
        self.seed = 42
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def call(self, app: str, method: str, path: str, body: dict[str, Any]) -> None:
        assert (method, path) == ("POST", "/_lab/faults")
        self.sent.append((app, body))


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        ({"kind": "connection_reset"}, {"drop": "reset"}),
        ({"kind": "empty_reply", "method": "GET", "times": 2}, {"drop": "close", "method": "GET", "times": 2}),
        ({"kind": "malformed_body", "body": "html"}, {"body": "html"}),
        ({"kind": "malformed_body", "body": "html", "status": 502}, {"body": "html", "status": 502}),
        ({"kind": "malformed_body", "body": "truncated_json"}, {"body": "truncated_json"}),
        ({"kind": "slow_body"}, {"slow_body_ms": 4000, "chunks": 2}),  # a pause past the 3 s timeout
        ({"kind": "slow_body", "chunks": 3}, {"slow_body_ms": 8000, "chunks": 3}),
        ({"kind": "slow_body", "delay_ms": 1200, "chunks": 4}, {"slow_body_ms": 1200, "chunks": 4}),
        ({"kind": "server_error", "probability": 0.25}, {"status": 503, "probability": 0.25, "seed": 42}),
    ],
)
def test_each_kind_is_sent_as_its_rule_with_the_scenario_seed(given: dict[str, Any], rule: dict[str, Any]) -> None:
    client = Recorder()
    LabVerbs(client).perform("lab.fault", parameters("lab.fault", given))  # type: ignore[arg-type]
    [(app, sent)] = client.sent
    assert (app, sent) == ("cybozu", {"path": "/scim/v2/", **rule})
    parse_fault(sent, 1)  # the app accepts it
