"""Replay a scenario against its own fresh sandbox and record what each step did.

A record is the same on every run of a scenario (with its seed): the sandbox's ids and
tokens come from the seed, and its ephemeral ports are written as the apps' names
(:func:`stable`); only the ``seconds`` are the wall clock's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lab.drivers.api import ApiDriver
from lab.drivers.client import ActionError, LabClient
from lab.drivers.protocol import Driver, Params, Result
from lab.replay import end_state, expectations, masking
from lab.replay.sandbox import ExternalSandbox, Sandbox, sandbox
from lab.scenario import sides
from lab.scenario.model import EXPECT_VERB, REFERENCE, Scenario, Step
from lab.target import ExternalTarget

Lab = Sandbox | ExternalSandbox


def ui_driver(lab: Lab, trace: bool = False) -> Driver:
    from lab.drivers.ui import UiDriver  # Playwright is imported only when a browser is wanted

    return UiDriver(LabClient(lab, external=lab.external), trace=trace)


def api_driver(lab: Lab, trace: bool = False) -> Driver:
    return ApiDriver(LabClient(lab, external=lab.external))


# driver name -> factory(lab, trace): trace keeps what shows a failing step (the UI driver's trace)
DRIVERS: dict[str, Callable[[Lab, bool], Driver]] = {"api": api_driver, "ui": ui_driver}


@dataclass
class StepRecord:
    step: Step
    message: str | None = None
    failures: list[str] = field(default_factory=list)
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    artifacts: list[Path] = field(default_factory=list)  # the UI driver's screenshot and trace of a failure
    # Against an external target: why the step was not performed at all, and every part of it
    # not applicable (reported so, never as passed).
    skipped: str | None = None
    not_applicable: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def state(self) -> str:
        return "fail" if self.failures else ("n/a" if self.skipped else "pass")

    def culprit(self) -> dict[str, Any] | None:
        """The SCIM exchange most likely behind a failure: the last refused one, else the last one."""
        refused = [e for e in self.exchanges if e["status"] is None or e["status"] >= 400]
        return (refused or self.exchanges or [None])[-1]


@dataclass
class ScenarioResult:
    scenario: Scenario
    driver: str
    steps: list[StepRecord] = field(default_factory=list)
    error: str | None = None  # setup failed, or the lab itself broke
    seconds: float = 0.0
    end_state: dict[str, Any] | None = None  # captured when asked, to compare drivers
    # the secret values its steps gave or got (tokens, passwords), which reports mask wherever they are
    secrets: set[str] = field(default_factory=set)
    target: str | None = None  # the external SCIM target, as reports name it (never its token)
    setup_not_applicable: list[str] = field(default_factory=list)

    @property
    def not_applicable(self) -> list[str]:
        """Every part of the scenario left out against the external target, in order."""
        return [*self.setup_not_applicable, *(p for s in self.steps for p in s.not_applicable)]

    @property
    def passed(self) -> bool:
        return self.error is None and all(s.passed for s in self.steps)

    @property
    def failed_step(self) -> StepRecord | None:
        return next((s for s in self.steps if not s.passed), None)


def resolve(value: Any, saved: dict[str, Any]) -> Any:
    """Put saved values in place of ``${name}``; a value that is only a reference keeps its type."""
    if isinstance(value, dict):
        return {k: resolve(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, saved) for v in value]
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return saved[whole.group(1)]
        return REFERENCE.sub(lambda m: str(saved[m.group(1)]), value)
    return value


def stable(value: Any, urls: Mapping[str, str]) -> Any:
    """``value`` with each app's address in ``urls`` (an ephemeral ``127.0.0.1:port``) written as
    the app's name, ``cybozu_sim`` or ``okta_sim``: a SCIM ``meta.location`` or an error that names
    the server reads the same on every run."""
    hosts = {urlsplit(url).netloc: f"{name}_sim" for name, url in urls.items()}
    pattern = re.compile("(?:" + "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True)) + r")(?!\d)")
    return _replaced(value, pattern, hosts)


def _replaced(value: Any, pattern: re.Pattern[str], hosts: dict[str, str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(lambda m: hosts[m.group(0)], value)
    if isinstance(value, dict):
        return {k: _replaced(v, pattern, hosts) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, pattern, hosts) for v in value]
    return value


class DriverBroke(Exception):
    """The driver could not perform a step (a page that never showed what it waited for, a bug):
    that step fails with this text, where its file and line are reported, and no ``expect_error``
    can match it."""


def perform(driver: Driver, step: Step, params: Params) -> Result:
    """The step's verb, by name; an app's refusal is a failed Result with its message."""
    try:
        return driver.perform(step.verb, params)
    except ActionError as error:
        return Result(ok=False, message=str(error))
    except Exception as error:  # noqa: BLE001 - reported as this step's failure, not the lab's
        first_line = (str(error).strip().splitlines() or [""])[0]
        raise DriverBroke(f"the {driver.name} driver failed: {type(error).__name__}: {first_line}") from error


def judge(step: Step, result: Result) -> list[str]:
    """A failing action needs ``expect_error``; a step that expects an error must fail with it."""
    wanted = step.expect_error
    if wanted is None:
        return [] if result.ok else [f"the step failed: {result.message}"]
    if result.ok:
        return [
            f"expected the step to fail with {describe_error(wanted)}, but it succeeded (message: {result.message!r})"
        ]
    if "message" in wanted and result.message != wanted["message"]:
        return [f"error: expected {wanted['message']!r}, got {result.message!r}"]
    if "contains" in wanted and wanted["contains"] not in (result.message or ""):
        return [f"error: expected it to contain {wanted['contains']!r}, got {result.message!r}"]
    return []


def describe_error(wanted: dict[str, Any]) -> str:
    return repr(wanted["message"]) if "message" in wanted else f"an error containing {wanted['contains']!r}"


def run_step(
    driver: Driver,
    step: Step,
    saved: dict[str, Any],
    previous: StepRecord | None,
    artifacts: Path | None = None,
    plan: sides.StepPlan | None = None,
    secrets: set[str] | None = None,
) -> StepRecord:
    """Perform and judge one step; ``plan``: against an external target, what of the step runs
    (lab.scenario.sides); the secrets among its parameters and results go to ``secrets``."""
    record = StepRecord(step)
    started = time.perf_counter()
    if plan is not None:
        record.not_applicable = plan.parts(step)
        record.skipped = plan.skip
    if record.skipped:
        leave_out(driver, step, saved, plan)
    else:
        if step.verb != EXPECT_VERB:
            driver.begin_step()
        try:
            _run_step(driver, step, saved, previous, record, plan, set() if secrets is None else secrets)
        finally:
            if step.verb != EXPECT_VERB:
                folder = artifacts / f"step-{step.index}" if artifacts else None
                record.artifacts = driver.end_step(not record.passed, folder)
    record.failures = stable(record.failures, driver.client.endpoints.urls)
    record.seconds = time.perf_counter() - started
    return record


def leave_out(driver: Driver, step: Step, saved: dict[str, Any], plan: sides.StepPlan | None) -> None:
    """A step not performed against an external target: only the results the target gives
    (its token and SCIM endpoint) are saved."""
    external = driver.client.external
    given = {"token": external.token, "scim_endpoint": external.scim_url} if external else {}
    for name, key in step.save.items():
        if plan is not None and key in plan.given:
            saved[name] = given[key]


def _run_step(
    driver: Driver,
    step: Step,
    saved: dict[str, Any],
    previous: StepRecord | None,
    record: StepRecord,
    plan: sides.StepPlan | None,
    secrets: set[str],
) -> None:
    if step.verb == EXPECT_VERB:
        # A standalone expect reads the message and SCIM requests of the action before it.
        result = Result(message=previous.message if previous else None)
        record.message = result.message
        record.exchanges = previous.exchanges if previous else []
    else:
        urls = driver.client.endpoints.urls
        params = resolve(step.params, saved)
        secrets |= masking.secret_values(params)
        try:
            result = perform(driver, step, params)
        except DriverBroke as error:
            record.failures.append(str(error))
            record.exchanges = stable(driver.client.exchanges(), urls)
            return
        secrets |= masking.secret_values(result.values)
        result.message = stable(result.message, urls)
        record.message = result.message
        try:  # Okta pushes in the background: what the step caused is done before it is judged
            driver.client.settle()
        except ActionError as error:
            record.failures.append(str(error))
        record.exchanges = stable(driver.client.exchanges(), urls)
        record.failures += judge(step, result)
        results = {**({"message": result.message} if result.message is not None else {}), **result.values}
        for name, key in step.save.items():
            if key in results:
                saved[name] = results[key]
            elif plan is not None and key in plan.unavailable:
                continue  # the plan left out every step that uses it
            elif not record.failures:
                record.failures.append(f"save {name}: the step returned no {key!r}")
    expect = sides.applicable(step.expect or {}, plan.expect_left_out) if plan else step.expect
    if expect and not record.failures:
        try:
            record.failures += expectations.check(
                resolve(expect, saved), driver.client, record.message, record.exchanges
            )
        except ActionError as error:
            record.failures.append(f"could not read the lab's state: {error}")


def scrubbed(record: StepRecord, target: ExternalTarget | None) -> StepRecord:
    """``record`` with the external target's token masked wherever it appears: reports are made
    from results, and the token must never reach one."""
    if target is not None:
        record.message = hide_token(record.message, target)
        record.failures = hide_token(record.failures, target)
        record.exchanges = hide_token(record.exchanges, target)
    return record


def hide_token(value: Any, target: ExternalTarget) -> Any:
    return masking.scrub(value, [target.token] if target.token else [])


def run(
    scenario: Scenario,
    driver: str = "api",
    on_step: Callable[[StepRecord], None] | None = None,
    artifacts: Path | None = None,
    capture: bool = False,
    target: ExternalTarget | None = None,
) -> ScenarioResult:
    """Start a sandbox, set it up, replay the steps until one fails; a failing step's
    screenshot and trace (UI driver) go under ``artifacts``. With ``target``, okta_sim
    provisions into that external SCIM server and cybozu.com's side is not applicable."""
    result = ScenarioResult(scenario, driver, target=target.describe() if target else None)
    plan = sides.plan(scenario) if target else None
    started = time.perf_counter()
    try:
        with sandbox(target, scenario.seed) as lab:
            actor = DRIVERS[driver](lab, artifacts is not None)
            try:
                if plan is not None:
                    result.setup_not_applicable = plan.setup
                try:
                    actor.setup(scenario.setup)
                except ActionError as error:
                    result.error = stable(f"setup failed: {error}", lab.urls)
                    return result
                saved: dict[str, Any] = {}
                previous = None
                for number, step in enumerate(scenario.steps):
                    step_plan = plan.steps[number] if plan else None
                    record = run_step(actor, step, saved, previous, artifacts, step_plan, result.secrets)
                    result.steps.append(scrubbed(record, target))
                    if on_step:
                        on_step(record)
                    if not record.passed:
                        break
                    if step.verb != EXPECT_VERB:
                        previous = record
                if capture and result.passed:
                    result.end_state = end_state.capture(actor.client)
            finally:
                actor.close()
    except Exception as error:  # noqa: BLE001 - the report must say the lab broke, not crash the run
        result.error = f"the lab failed: {type(error).__name__}: {error}"
    finally:
        if target is not None and result.error:
            result.error = hide_token(result.error, target)
        result.seconds = time.perf_counter() - started
    return result
