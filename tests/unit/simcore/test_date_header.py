"""Every response's Date header is the lab clock's, in both apps (simcore.simulator.date_from)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import cybozu_sim.app
import okta_sim.app
from simcore.clock import LabClock

FACTORIES = [cybozu_sim.app.create_app, okta_sim.app.create_app]


@pytest.mark.parametrize("create_app", FACTORIES, ids=["cybozu_sim", "okta_sim"])
def test_the_date_header_is_the_lab_clocks_on_answers_and_errors(create_app) -> None:
    clock = LabClock(datetime(2031, 7, 9, 6, 5, 4, tzinfo=UTC))
    client = create_app({"TESTING": True, "CLOCK": clock}).test_client()
    for path in ("/", "/no-such-page"):
        assert client.get(path).headers["Date"] == "Wed, 09 Jul 2031 06:05:04 GMT"
    clock.advance(86400)
    assert client.get("/").headers["Date"] == "Thu, 10 Jul 2031 06:05:04 GMT"
