"""What the unit tests of both simulators share: each app in process, with the lab control API."""

from __future__ import annotations

import pytest

import cybozu_sim.app
import okta_sim.app
from simcore.clock import LabClock
from tests.conftest import NOW, Lab


@pytest.fixture
def cybozu_lab() -> Lab:
    return Lab(cybozu_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True}))


@pytest.fixture
def okta_lab() -> Lab:
    return Lab(okta_sim.app.create_app({"CLOCK": LabClock(NOW), "TESTING": True, "PUSH_MODE": "inline"}))
