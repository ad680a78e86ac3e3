"""simcore.faults: fault rules, refused when malformed (saying which field is wrong), matched,
used up, and fired with a probability that a rerun draws the same way."""

from __future__ import annotations

import pytest

from simcore.faults import FaultError, FaultInjector, parse_fault


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (None, "a fault is a JSON object"),
        ({"path": "("}, "path is not a valid regular expression"),
        ({"status": 99}, "status must be an integer from 400 to 599"),
        ({"status": 200}, "status must be an integer from 400 to 599"),
        ({"status": 429, "retry_after": -1}, "retry_after must be an integer from 0 to 3600"),
        ({"retry_after": 5}, "a fault needs a status"),
        ({"delay_ms": "x"}, "delay_ms must be an integer from 0 to 600000"),
        ({"status": 500, "colour": "red"}, "unknown fault field(s): colour"),
        ({}, "a fault needs a status (400-599), a delay_ms, a drop, a body or a slow_body_ms"),
        ({"drop": "fin"}, "drop must be reset or close"),
        ({"drop": "reset", "status": 503}, "drop ends the connection without an answer"),
        ({"drop": "close", "slow_body_ms": 100}, "drop ends the connection without an answer"),
        ({"body": "xml"}, "body must be html or truncated_json"),
        ({"body": "html", "status": 199}, "status must be an integer from 200 to 599"),
        ({"body": "truncated_json", "status": 500}, "body truncated_json cuts the app's own answer"),
        ({"slow_body_ms": 0}, "slow_body_ms must be an integer from 1 to 600000"),
        ({"status": 500, "chunks": 3}, "chunks needs a slow_body_ms"),
        ({"slow_body_ms": 10, "chunks": 1}, "chunks must be an integer from 2 to 1000"),
        ({"status": 500, "probability": 0}, "probability must be a number greater than 0 and at most 1"),
        ({"status": 500, "probability": 1.5}, "probability must be a number greater than 0 and at most 1"),
        ({"status": 500, "probability": True}, "probability must be a number greater than 0 and at most 1"),
        ({"status": 500, "seed": 4}, "seed needs a probability"),
        ({"status": 500, "probability": 0.5, "seed": "abc"}, "seed must be an integer"),
        ({"status": 500, "probability": 0.5, "seed": 2**63}, "seed must be an integer"),
    ],
)
def test_bad_fault_rules_are_refused_saying_why(spec, message: str) -> None:
    with pytest.raises(FaultError) as refused:
        parse_fault(spec, 1)
    assert message in str(refused.value)


def test_the_new_kinds_of_rule_are_accepted() -> None:
    assert parse_fault({"drop": "reset"}, 1).drop == "reset"
    assert parse_fault({"body": "html"}, 1).status == 200  # a proxy's page with 200 OK
    assert parse_fault({"body": "html", "status": 502}, 1).status == 502
    slow = parse_fault({"slow_body_ms": 900}, 1)
    assert (slow.slow_body_ms, slow.chunks) == (900, 2)
    assert parse_fault({"status": 503, "probability": 1}, 1).to_dict()["probability"] == 1.0


def test_fault_rules_match_and_expire() -> None:
    faults = FaultInjector()
    faults.add({"path": "/Users$", "method": "post", "status": 500, "times": 2})
    assert faults.take("GET", "/x/scim/v2/Users") is None
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users") is None
    assert faults.list() == []


def fired(seed: int, *, requests: int = 200, probability: float = 0.3) -> list[int]:
    """Which of ``requests`` matching requests a fresh app's first rule fires on."""
    faults = FaultInjector()
    faults.add({"status": 503, "probability": probability, "seed": seed})
    return [n for n in range(requests) if faults.take("GET", "/scim/v2/Users") is not None]


def test_a_probable_rule_fires_on_the_same_requests_in_a_rerun() -> None:
    first = fired(7)
    assert first == fired(7)
    assert first != fired(8)  # another seed, other requests
    assert 30 < len(first) < 90  # about 30% of 200, not all nor none


def test_a_rule_that_does_not_fire_leaves_the_request_to_the_next_rule() -> None:
    faults = FaultInjector()
    faults.add({"status": 503, "probability": 0.5, "seed": 1})
    faults.add({"status": 500})
    statuses = {faults.take("GET", "/").status for _ in range(50)}
    assert statuses == {500, 503}


def test_each_rule_draws_from_its_own_seed_and_id_and_a_cleared_lab_draws_again() -> None:
    faults = FaultInjector()
    first = faults.add({"status": 503, "probability": 0.5, "seed": 3})
    second = faults.add({"status": 503, "probability": 0.5, "seed": 3})
    assert [first.draw() for _ in range(40)] != [second.draw() for _ in range(40)]
    faults.clear()
    again = faults.add({"status": 503, "probability": 0.5, "seed": 3})
    assert again.id == 1
    reference = parse_fault({"status": 503, "probability": 0.5, "seed": 3}, 1)
    assert [again.draw() for _ in range(40)] == [reference.draw() for _ in range(40)]
