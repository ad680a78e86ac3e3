"""Every exercise, replayed through a training run: its solution ticks the whole checklist in
article order, each wrong turn shows its hint, and runs in one lab do not see each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lab.replay.runner import run_step
from lab.replay.sandbox import Sandbox
from lab.scenario.model import Step
from lab.scenario.verbs import parameters
from lab.training import exercises
from lab.training.exercises import Exercise
from lab.training.runs import Progress, Trainer

pytestmark = pytest.mark.integration

EXERCISES = exercises.load_all()
ALICE = "alice.smith@example.com"
KINTONE = {"kintone": "Enable"}  # verbs get services as the schema loads them

# For each exercise, the actions that lead into each wrong turn, in the order of its wrong_turns.
WRONG_TURNS: dict[str, list[list[tuple[str, dict[str, Any]]]]] = {
    "exercise-setup-from-scratch": [
        [
            ("cybozu.create_api_token", {}),
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("okta.test_api_credentials", {"token": "not-the-token-of-step1"}),
        ],
        [
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("okta.delete_profile_attribute", {"attribute": "kintone"}),
        ],
        [
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("okta.delete_profile_attribute", {"attribute": "garoon"}),
        ],
        [
            ("lab.connect", {}),
            ("cybozu.set_propagate_provisioning", {"enabled": False}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
        ],
        [
            ("cybozu.create_api_token", {}),
            ("cybozu.set_propagate_provisioning", {"enabled": True}),
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("okta.configure_api_integration", {"token": "${token}"}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
        ],
    ],
    "exercise-group-username-format": [
        [
            ("lab.connect", {}),
            ("okta.set_username_format", {"format": "none"}),
            ("okta.assign_group", {"group": "cybozu users", "services": {"kintone": "Enable"}}),
        ],
        [
            ("lab.connect", {}),
            ("okta.assign_group", {"group": "cybozu users", "services": {"kintone": "Enable"}}),
        ],
    ],
    "exercise-ip-restriction": [
        [
            ("cybozu.create_api_token", {}),
            ("cybozu.set_propagate_provisioning", {"enabled": True}),
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("okta.test_api_credentials", {"token": "${token}"}),
        ],
        [
            ("cybozu.create_api_token", {}),
            ("cybozu.set_propagate_provisioning", {"enabled": True}),
            ("okta.add_catalog_app", {"domain_name": "example"}),
            ("cybozu.set_ip_restriction", {"entries": ["127.0.0.1"], "allow_okta_ips": True}),
            ("okta.configure_api_integration", {"token": "${token}"}),
        ],
    ],
    "exercise-recover-deleted-user": [
        [
            ("lab.connect", {}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
            ("cybozu.delete_user", {"login": ALICE}),
            ("okta.unassign", {"user": ALICE}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
        ],
        [
            ("lab.connect", {}),
            ("cybozu.set_propagate_provisioning", {"enabled": False}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
        ],
    ],
    "exercise-change-login-name": [
        [
            ("lab.connect", {}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
            ("okta.update_assignment", {"user": ALICE, "user_name": "asmith"}),
        ],
        [
            ("lab.connect", {}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
            ("cybozu.delete_user", {"login": ALICE}),
            ("okta.unassign", {"user": ALICE}),
            ("okta.assign_people", {"user": ALICE, "user_name": "asmith", "services": KINTONE}),
        ],
        [
            ("lab.connect", {}),
            ("okta.assign_people", {"user": ALICE, "services": KINTONE}),
            ("okta.unassign", {"user": ALICE}),
        ],
    ],
}


@pytest.fixture(scope="module")
def lab() -> Iterator[Sandbox]:
    """One lab shared by every run of this module, as trainees share `lab up`."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def trainer(lab: Sandbox) -> Iterator[Trainer]:
    trainer = Trainer(lab, EXERCISES)
    yield trainer
    trainer.close()


def ticked(progress: Progress) -> list[int]:
    return [item.number for item in progress.items if item.done]


def perform(trainer: Trainer, run_id: str, actions: list[tuple[str, dict[str, Any]]]) -> None:
    """Do ``actions`` in the run, as the trainee would in the consoles (failures are allowed)."""
    driver = trainer.driver(trainer.run(run_id))
    saved: dict[str, Any] = {}
    for index, (verb, params) in enumerate(actions, 1):
        if verb == "cybozu.create_api_token":
            saved["token"] = driver.do("cybozu.create_api_token").values["token"]
            continue
        resolved = {k: saved.get("token") if v == "${token}" else v for k, v in params.items()}
        run_step(driver, Step(index, verb, parameters(verb, resolved), 0), saved, None)


def test_every_exercise_is_found_with_the_articles_words() -> None:
    assert sorted(EXERCISES) == sorted(WRONG_TURNS)
    for exercise in EXERCISES.values():
        assert exercise.scenario.covers and exercise.checklist
        assert len(exercise.wrong_turns) == len(WRONG_TURNS[exercise.id])


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_the_solution_ticks_every_item_in_article_order(trainer: Trainer, exercise_id: str) -> None:
    exercise: Exercise = EXERCISES[exercise_id]
    run = trainer.start(exercise_id, "solver")
    assert run.subdomain.startswith(exercise.base_subdomain + "-t")
    assert ticked(trainer.progress(run.id)) == []
    driver = trainer.driver(run)
    saved: dict[str, Any] = {}
    previous = None
    seen: list[list[int]] = []
    for step in exercise.scenario.steps:
        record = run_step(driver, step, saved, previous)
        assert record.passed, (step.label, record.failures)
        previous = record
        done = ticked(trainer.progress(run.id))
        assert done == list(range(1, len(done) + 1)), f"after {step.label}: ticked {done}, not in order"
        seen.append(done)
    progress = trainer.progress(run.id)
    assert progress.complete and progress.done_count == len(exercise.checklist)
    # Each item ticked after a step of the solution, never all at once before the last step.
    assert len({len(done) for done in seen}) > 2
    assert progress.run.completed is not None and progress.run.completed >= 0


@pytest.mark.parametrize(
    ("exercise_id", "turn"),
    [(exercise_id, n) for exercise_id in sorted(WRONG_TURNS) for n in range(len(WRONG_TURNS[exercise_id]))],
)
def test_each_wrong_turn_shows_its_hint(trainer: Trainer, exercise_id: str, turn: int) -> None:
    run = trainer.start(exercise_id)
    hint = EXERCISES[exercise_id].wrong_turns[turn]["hint"]
    assert hint not in trainer.progress(run.id).hints
    perform(trainer, run.id, WRONG_TURNS[exercise_id][turn])
    progress = trainer.progress(run.id)
    assert hint in progress.hints
    assert hint in progress.shown_hints  # kept for the completion summary
