"""okta_sim.apps: which catalog apps can be added."""

from __future__ import annotations

import pytest

from okta_sim import apps
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid


def test_only_the_cybozu_app_can_be_added(okta: OktaBackend) -> None:
    with pytest.raises(Invalid, match="The lab models only the Cybozu"):
        apps.add_app(okta, "slack", domain_name="example")
