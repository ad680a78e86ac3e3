"""lab.scenario.selection: -k expressions over names and tags."""

from __future__ import annotations

import pytest

from lab.scenario.loader import load
from lab.scenario.selection import BadExpression, matches
from lab.scenario.source import read


def scenario(text: str):  # type: ignore[no-untyped-def]
    return load(read("t.yaml", text))


def test_selection_expressions() -> None:
    s = scenario("name: Turning off provisioning\ntags: [flow, smoke]\nsteps:\n  - okta.force_sync: {}\n")
    assert matches("flow", s)
    assert matches("turning and not bulk", s)
    assert not matches("bulk or (limitation and flow)", s)
    assert matches("(bulk or smoke) and t", s)
    for bad in ["", "flow and", "(flow", "flow )", "and flow"]:
        with pytest.raises(BadExpression):
            matches(bad, s)
