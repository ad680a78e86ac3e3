"""simcore.faults: fault rules, refused when malformed, matched and used up."""

from __future__ import annotations

import pytest

from simcore.faults import FaultError, FaultInjector, parse_fault


@pytest.mark.parametrize(
    "spec",
    [
        None,
        {"path": "("},
        {"status": 99},
        {"status": 429, "retry_after": -1},
        {"retry_after": 5},
        {"delay_ms": "x"},
        {"status": 500, "colour": "red"},
        {},
    ],
)
def test_bad_fault_rules_are_refused(spec) -> None:
    with pytest.raises(FaultError):
        parse_fault(spec, 1)


def test_fault_rules_match_and_expire() -> None:
    faults = FaultInjector()
    faults.add({"path": "/Users$", "method": "post", "status": 500, "times": 2})
    assert faults.take("GET", "/x/scim/v2/Users") is None
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users").status == 500
    assert faults.take("POST", "/x/scim/v2/Users") is None
    assert faults.list() == []
