"""Training mode in Chromium: a trainee does the article's setup in the two consoles while
the exercise page, open in another browser, ticks its checklist by itself.

The trainee's clicks are the lab's UI driver (lab/drivers/ui.py) over a run's client,
bound to the run's environment and app; it runs in its own thread because Playwright's sync API
is per thread and pytest-playwright's ``page`` is the exercise page.

LAB_UPDATE_SCREENSHOTS=1 writes docs/screenshots/exercise.png (the README's picture).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, expect

from lab.replay.runner import run_step
from lab.replay.sandbox import Sandbox
from lab.server import ServerThread
from lab.training import exercises
from lab.training.runs import Run, Trainer, connect
from lab.training.web import create_app
from tests.ui import screenshots

pytestmark = pytest.mark.ui

TRAINER_PASSWORD = "the trainer's password"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "exercise.png"
TICK_TIMEOUT_MS = 20_000  # the page polls every 3 s, then reloads
# Items done after each step of exercise-setup-from-scratch's solution.
DONE_AFTER_STEP = [1, 2, 3, 3, 4, 5, 5, 5, 6, 8]
T = TypeVar("T")


def trainee(lab: Sandbox, run: Run) -> Any:
    """The UI driver in a run: its subdomain, and the app whose Domain Name is that subdomain."""
    from lab.drivers.ui import UiDriver  # imports Playwright

    return UiDriver(connect(lab, run))


class InBrowser:
    """The trainee's browser, in a thread of its own."""

    def __init__(self, lab: Sandbox, run: Run) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.driver = self.do(lambda: trainee(lab, run))

    def do(self, work: Callable[[], T]) -> T:
        return self.pool.submit(work).result(timeout=300)

    def close(self) -> None:
        self.do(self.driver.close)
        self.pool.shutdown()


@pytest.fixture
def lab() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def training(lab: Sandbox) -> Iterator[tuple[str, Trainer]]:
    trainer = Trainer(lab, exercises.load_all())
    with ServerThread(create_app(trainer, trainer_password=TRAINER_PASSWORD)) as server:
        yield server.url, trainer
    trainer.close()


def start(page: Page, url: str, title: str) -> str:
    """Start an exercise from the Exercises page, as a trainee would; return the run's id."""
    page.goto(url + "/")
    expect(page.get_by_role("heading", name="Exercises", level=1)).to_be_visible()
    card = page.get_by_role("region", name=title)
    card.get_by_label("Your name (optional)").fill("Ann")
    card.get_by_role("button", name=f"Start exercise: {title}").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    return page.url.rsplit("/", 1)[1].split("?key=")[0]  # the link carries the run's key


def test_the_checklist_ticks_itself_through_a_full_setup(
    page: Page, lab: Sandbox, training: tuple[str, Trainer]
) -> None:
    url, trainer = training
    run_id = start(page, url, "Set up provisioning from scratch")
    checklist = page.get_by_role("list", name="Checklist")
    expect(checklist.get_by_role("listitem")).to_have_count(8)
    expect(checklist.locator('li[data-state="done"]')).to_have_count(0)
    expect(page.get_by_text("Domain Name of your Okta app")).to_be_visible()

    exercise = trainer.exercise("exercise-setup-from-scratch")
    trainee = InBrowser(lab, trainer.run(run_id))
    try:
        saved: dict[str, Any] = {}
        previous = None
        for step, count in zip(exercise.scenario.steps, DONE_AFTER_STEP, strict=True):
            record = trainee.do(
                lambda step=step, previous=previous: run_step(trainee.driver, step, saved, previous)
            )
            assert record.passed, (step.label, record.failures)
            previous = record
            # No reload from the test: the page's own polling brings the tick.
            expect(checklist.locator('li[data-state="done"]')).to_have_count(count, timeout=TICK_TIMEOUT_MS)
    finally:
        trainee.close()

    summary = page.get_by_role("region", name="Exercise complete")
    expect(summary).to_be_visible(timeout=TICK_TIMEOUT_MS)
    expect(summary).to_contain_text("All 8 steps done in")
    expect(summary).to_contain_text("No hints were needed.")
    expect(page.get_by_role("region", name="Hint")).to_have_count(0)
    if os.environ.get("LAB_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_wrong_turn_shows_its_hint_and_reset_starts_over(
    page: Page, lab: Sandbox, training: tuple[str, Trainer]
) -> None:
    url, trainer = training
    run_id = start(page, url, "Diagnose the IP restriction error")
    trainee = InBrowser(lab, trainer.run(run_id))
    try:
        ui = trainee.driver
        token = trainee.do(lambda: ui.do("cybozu.create_api_token", notes="Okta").values["token"])
        trainee.do(lambda: ui.do("cybozu.set_propagate_provisioning", enabled=True))
        trainee.do(lambda: ui.do("okta.add_catalog_app", domain_name="example"))
        tested = trainee.do(lambda: ui.do("okta.test_api_credentials", token=token))
        assert not tested.ok and "Invalid JSON: Unexpected character" in (tested.message or "")
    finally:
        trainee.close()
    hint = page.get_by_role("region", name="Hint")
    expect(hint).to_contain_text("may be due to IP address restrictions", timeout=TICK_TIMEOUT_MS)
    expect(page.get_by_role("list", name="Checklist").locator('li[data-state="done"]')).to_have_count(2)

    page.get_by_role("button", name="Reset exercise").click()
    expect(page.get_by_role("heading", name="Diagnose the IP restriction error", level=1)).to_be_visible()
    expect(page.get_by_role("list", name="Checklist").locator('li[data-state="done"]')).to_have_count(0)
    expect(page.get_by_role("region", name="Hint")).to_have_count(0)
    expect(page.get_by_text("(not added yet)")).to_be_visible()


def test_the_trainer_signs_in_sees_every_run_and_resets_one(
    page: Page, lab: Sandbox, training: tuple[str, Trainer]
) -> None:
    url, trainer = training
    for name in ("Ann", "Ben"):
        trainer.start("exercise-setup-from-scratch", name)
    page.goto(url + "/trainer")
    page.get_by_label("Trainer's password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Trainer's password").fill(TRAINER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    table = page.get_by_role("table", name="Runs (2)")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text('click on "Create API Token"')
    screenshots.save(page, "trainer")
    page.get_by_role("link", name="Reset Ben").click()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_role("heading", name="Trainer", level=1)).to_be_visible()
    assert [run.resets for run in trainer.store.all()] == [0, 1]
