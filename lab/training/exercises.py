"""The exercises: scenario files in scenarios/ that carry an ``exercise:`` block."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab.scenario.loader import collect, load_file
from lab.scenario.model import Scenario
from lab.scenario.source import InvalidScenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
EXERCISE_KEY = re.compile(r"^exercise\s*:", re.MULTILINE)
# A run shares one lab with other trainees: its solution may act on its own environment and
# app only, never on the lab's clock, faults or snapshots, which every trainee would feel.
SHARED_VERBS = ("lab.advance_clock", "lab.rotate_okta_ips", "lab.fault", "lab.clear_faults")


class NotAnExercise(Exception):
    """The named scenario does not exist, or cannot be run by a trainee in a shared lab."""


@dataclass(frozen=True)
class Exercise:
    scenario: Scenario

    @property
    def id(self) -> str:
        return self.scenario.id

    @property
    def block(self) -> dict[str, Any]:
        return self.scenario.exercise or {}

    @property
    def title(self) -> str:
        return str(self.block["title"])

    @property
    def goal(self) -> str:
        return str(self.block.get("goal") or "")

    @property
    def checklist(self) -> list[dict[str, Any]]:
        return list(self.block["checklist"])

    @property
    def wrong_turns(self) -> list[dict[str, Any]]:
        return list(self.block.get("wrong_turns") or [])

    @property
    def diagnosis(self) -> bool:
        """The checklist names a step only once it is done (the trainee finds the way)."""
        return bool(self.block.get("diagnosis"))

    @property
    def base_subdomain(self) -> str:
        tenants = (self.scenario.setup.get("cybozu") or {}).get("tenants") or []
        return str(tenants[0]["subdomain"])


def problems(scenario: Scenario) -> list[str]:
    """Why a scenario cannot be an exercise in a shared lab (empty: it can)."""
    found = []
    if not (scenario.setup.get("cybozu") or {}).get("tenants"):
        found.append("an exercise needs a cybozu.com tenant in setup (the run's own environment)")
    if (scenario.setup.get("okta") or {}).get("generate"):
        found.append("an exercise cannot generate people: the Okta org is shared by every trainee")
    for step in scenario.steps:
        if step.verb in SHARED_VERBS or step.verb in ("lab.snapshot", "lab.restore"):
            found.append(f"{step.label}: {step.verb} would change the lab for every trainee")
    return found


def load_exercise(path: Path) -> Exercise:
    scenario = load_file(str(path))
    if scenario.exercise is None:
        raise NotAnExercise(f"{path}: has no exercise: block")
    found = problems(scenario)
    if found:
        raise NotAnExercise(f"{path}: " + "; ".join(found))
    return Exercise(scenario)


def load_all(folder: Path = SCENARIOS, refused: list[str] | None = None) -> dict[str, Exercise]:
    """Every exercise in ``folder`` by id (file stem), in file-name order; other scenarios are
    skipped, and an exercise a shared lab cannot run is left out with its reason in ``refused``
    (one bad file must not keep the lab, or the other exercises, from starting)."""
    found: dict[str, Exercise] = {}
    for path in collect([str(folder)]):
        if not EXERCISE_KEY.search(path.read_text(encoding="utf-8", errors="replace")):
            continue  # not an exercise: skip validating it (`lab up` starts faster)
        try:
            scenario = load_file(path)
        except InvalidScenario:
            continue  # `lab check` reports broken files; the Exercises page lists the good ones
        if scenario.exercise is not None:
            try:
                exercise = load_exercise(Path(path))
            except NotAnExercise as error:
                if refused is not None:
                    refused.append(str(error))
                continue
            found[exercise.id] = exercise
    return found
