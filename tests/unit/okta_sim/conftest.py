"""What okta_sim's unit tests share: a backend in memory on a frozen lab clock, and people to add."""

from __future__ import annotations

import pytest

from okta_sim.backend import OktaBackend
from simcore.clock import LabClock
from tests.conftest import NOW

PROFILE = {
    "login": "alice.smith@example.com",
    "email": "Alice.Smith@Mail.example.com",
    "firstName": "Alice",
    "lastName": "Smith",
}


@pytest.fixture
def okta() -> OktaBackend:
    return OktaBackend(clock=LabClock(NOW))


def person(number: int, **extra: str) -> dict[str, str]:
    """The profile of the ``number``-th of many people (the scenario engine's bulk setup)."""
    login = f"p{number}@example.com"
    return {"login": login, "email": login, "firstName": "P", "lastName": str(number), **extra}
