"""lab.scenario.setup: the scenario's seed, and Faker's seed that follows it."""

from __future__ import annotations

from lab.scenario.loader import load
from lab.scenario.model import DEFAULT_SEED, Scenario
from lab.scenario.setup import Setup
from lab.scenario.source import read


def scenario(text: str) -> Scenario:
    return load(read("x.yaml", text))


def test_the_seed_has_a_fixed_default_the_drivers_see_too() -> None:
    without_setup = scenario("name: x\nsteps:\n  - lab.clear_faults: {}\n")
    assert without_setup.seed == DEFAULT_SEED and without_setup.setup["seed"] == DEFAULT_SEED
    assert scenario("name: x\nsetup: {seed: 12}\nsteps:\n  - lab.clear_faults: {}\n").seed == 12


def test_generated_people_follow_the_scenario_seed_unless_given_their_own() -> None:
    setup = Setup().load({"seed": 9, "okta": {"generate": [{"count": 2}, {"count": 2, "seed": 3}]}})
    assert [spec["seed"] for spec in setup["okta"]["generate"]] == [9, 3]
