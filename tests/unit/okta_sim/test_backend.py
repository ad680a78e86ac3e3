"""okta_sim.backend: the egress addresses pushes leave from, in turn, and their rotation."""

from __future__ import annotations

from okta_sim.backend import Egress


def test_egress_round_robin_and_rotation() -> None:
    egress = Egress(pools=[["127.0.0.11", "127.0.0.12"], ["127.0.0.21"]])
    assert [egress.next_address() for _ in range(3)] == ["127.0.0.11", "127.0.0.12", "127.0.0.11"]
    assert egress.rotate() == ["127.0.0.21"] and egress.next_address() == "127.0.0.21"
    assert egress.rotate() == ["127.0.0.11", "127.0.0.12"]
    assert Egress(bind=False).next_address() is None
