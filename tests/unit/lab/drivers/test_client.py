"""lab.drivers.client: the people a setup generates are the same for a seed."""

from __future__ import annotations

from lab.drivers.client import generated_people


def test_generated_people_are_the_same_for_a_seed() -> None:
    spec = {"count": 50, "seed": 7, "email_domain": "example.com"}
    first, again = generated_people(spec), generated_people(spec)
    assert first == again
    assert len({p["login"] for p in first}) == 50
    assert all(p["login"].endswith("@example.com") and p["login"].isascii() for p in first)
    assert generated_people({**spec, "seed": 8}) != first
