"""pytest plugin (entry point ``pytest11``): each YAML scenario under a ``scenarios``
folder is a test item, marked with its tags, failing with the same text as ``lab run``.
With ``--scim-url`` (an external SCIM target, lab.target) the item is Okta's side and a
second item, skipped, names the cybozu.com parts that are not applicable.

Every item starts its own sandbox on ephemeral ports, so ``pytest -n auto``
(pytest-xdist) runs scenarios side by side without shared state. ``--scenario-shard I/N``
keeps the scenarios ``lab run --shard I/N`` would run (lab.scenario.shards), so CI jobs can
split them either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab import browser, target
from lab.replay import end_state, reports, runner
from lab.scenario import shards, sides
from lab.scenario.loader import load_file
from lab.scenario.model import Scenario
from lab.scenario.source import InvalidScenario

FOLDER = "scenarios"
SHARD_SIZE = pytest.StashKey[tuple[int, int]]()  # (scenarios in this shard, scenarios selected)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--scenario-driver",
        default="api",
        choices=[*sorted(runner.DRIVERS), "both"],
        help="how verbs are performed; both: the API driver, then the UI driver, and their end states compared",
    )
    parser.addoption(
        "--scenario-shard",
        type=shards.parse,
        metavar="I/N",
        help="run only the I-th of N shards of the selected scenarios, as `lab run --shard I/N` "
        "(other tests are not sharded)",
    )
    target.add_options(parser.addoption)


EXTERNAL = pytest.StashKey[target.ExternalTarget | None]()


def external_target(config: pytest.Config) -> target.ExternalTarget | None:
    """The --scim-url target, read once per session (the token from its variable or file)."""
    if EXTERNAL not in config.stash:
        try:
            config.stash[EXTERNAL] = target.from_options(
                config.getoption("scim_url"), config.getoption("scim_token_env"), config.getoption("scim_token_file")
            )
        except target.TargetError as error:
            raise pytest.UsageError(str(error)) from None
        if config.stash[EXTERNAL] and config.getoption("scenario_driver") == "both":
            raise pytest.UsageError(
                "--scenario-driver both compares two runs from the same start: against an external target "
                "the second would meet the users the first created there; run one driver at a time"
            )
    return config.stash[EXTERNAL]


@pytest.hookimpl(trylast=True)  # after -k and -m, so that the selected scenarios are what is split
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard: shards.Shard | None = config.getoption("scenario_shard")
    if shard is None:
        return
    scenarios = [i for i in items if isinstance(i, ScenarioItem | InvalidItem)]
    mine = set(shards.select(scenarios, shard, _work))
    other = [i for i in scenarios if i not in mine]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [i for i in items if i not in other]
    config.stash[SHARD_SIZE] = (len(mine), len(scenarios))
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller (below)
        config.workeroutput["scenario_shard"] = (len(mine), len(scenarios))


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's: the controller collects nothing itself
def pytest_testnodedown(node: Any, error: object) -> None:
    size = getattr(node, "workeroutput", {}).get("scenario_shard")
    if size is not None:
        node.config.stash[SHARD_SIZE] = tuple(size)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if SHARD_SIZE not in config.stash:
        return
    mine, selected = config.stash[SHARD_SIZE]
    shard = config.getoption("scenario_shard")
    if mine:
        terminalreporter.write_line(f"scenario shard {shard}: {mine} of {selected} scenario(s)")
    else:
        terminalreporter.write_line(
            f"scenario shard {shard}: no scenarios (the {selected} selected are all in other shards); nothing to run"
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """An empty shard (more shards than scenarios) passes, as ``lab run --shard`` does, rather
    than failing as "no tests ran"."""
    size = session.config.stash.get(SHARD_SIZE, None)
    if size is not None and size[0] == 0 and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


def _work(item: pytest.Item) -> shards.Work:
    if isinstance(item, ScenarioItem):
        return shards.work(item.scenario)
    return shards.Work(item.path.stem, "", 1)  # an invalid file: its id as lab would name it


def pytest_configure(config: pytest.Config) -> None:
    """A missing browser, or bad target options, are one usage error before anything runs, not a
    failure per scenario."""
    external_target(config)
    if config.getoption("scenario_driver") != "api" and not browser.browser_available():
        raise pytest.UsageError(browser.NO_BROWSER)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and FOLDER in file_path.parent.parts:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario = load_file(self.path)
        except InvalidScenario as error:
            yield InvalidItem.from_parent(self, name=self.path.stem, problems=str(error))
            return
        external = external_target(self.config)
        item = ScenarioItem.from_parent(self, name=scenario.id, scenario=scenario, external=external)
        items: list[pytest.Item] = [item]
        left_out = sides.plan(scenario).parts(scenario) if external else []
        if left_out:  # cybozu.com's side is its own item, skipped: never counted as passed
            items.append(NotApplicableItem.from_parent(self, name=f"{scenario.id}[cybozu.com side]", parts=left_out))
        for tag in scenario.tags:
            self.config.addinivalue_line("markers", f"{tag}: scenario tag")
            for each in items:
                each.add_marker(tag)
        yield from items


class ScenarioFailed(Exception):
    def __init__(self, result: runner.ScenarioResult) -> None:
        self.result = result
        super().__init__(reports.failure_text(result))


class DifferentEndStates(Exception):
    def __init__(self, differences: list[str]) -> None:
        super().__init__(
            "the API and UI drivers ended in different states (api != ui):\n  " + "\n  ".join(differences)
        )


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, external: target.ExternalTarget | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.external = external

    def runtest(self) -> None:
        driver = self.config.getoption("scenario_driver")
        if driver != "both":
            result = runner.run(self.scenario, driver, target=self.external)
            if not result.passed:
                raise ScenarioFailed(result)
            return
        results = [runner.run(self.scenario, name, capture=True) for name in ("api", "ui")]  # never external
        for result in results:
            if not result.passed:
                raise ScenarioFailed(result)
        api, ui = (r.end_state for r in results)
        different = end_state.differences(api, ui)
        if different:
            raise DifferentEndStates(different)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed | DifferentEndStates):
            return (
                f"[{excinfo.value.result.driver} driver] {excinfo.value}"
                if isinstance(excinfo.value, ScenarioFailed)
                else str(excinfo.value)
            )
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.scenario.name}"


class NotApplicableItem(pytest.Item):
    """A scenario's cybozu.com side against an external target: skipped, naming each part."""

    def __init__(self, *, parts: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.parts = parts

    def runtest(self) -> None:
        pytest.skip(f"{sides.NOT_APPLICABLE}: " + "; ".join(self.parts))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"cybozu.com side of {self.path.name}"


class InvalidItem(pytest.Item):
    """A file that does not validate fails as one item, listing its problems like ``lab check``."""

    def __init__(self, *, problems: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self) -> None:
        raise InvalidScenario([])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return self.problems

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"invalid scenario file {self.path.name}"
