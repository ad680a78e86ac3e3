"""A driver that cannot start or cannot perform a step (issue 17): one clear error, the failing
step's file and line, and nothing carried into the next scenario."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lab import browser
from lab.cli import main
from lab.drivers import consoles  # noqa: F401  (imported before any patch, as in a full run)
from lab.drivers.api import ApiDriver
from lab.replay import reports, runner
from lab.scenario.loader import load_file

SCENARIO = """
name: Three steps, the last one breaks the driver
setup:
  cybozu:
    tenants:
      - subdomain: example
        licenses: {kintone: 5}
steps:
  - lab.connect: {}
  - lab.advance_clock: {days: 1}
  - cybozu.set_basic_auth: {enabled: false}
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(textwrap.dedent(SCENARIO).lstrip())
    return path


def test_a_missing_browser_is_one_error_naming_make_browser_and_nothing_runs(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browser, "find_browser", lambda: None)
    ran: list[object] = []
    monkeypatch.setattr(runner, "run", lambda *args, **kwargs: ran.append(args))
    assert main(["run", str(scenario_file), str(scenario_file), "--driver", "ui"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("make browser") == 1 and "no scenario was run" in captured.err
    assert ran == [] and "PASS" not in captured.out and "FAIL" not in captured.out


def test_a_failed_browser_launch_leaves_the_next_scenario_unharmed(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before the fix the first launch left Playwright running and the second scenario died in
    "It looks like you are using Playwright Sync API inside the asyncio loop"."""
    monkeypatch.setattr(browser, "find_browser", lambda: str(tmp_path / "no-such-chrome"))
    scenario = load_file(scenario_file)
    first, second = (runner.run(scenario, "ui") for _ in range(2))
    for result in (first, second):
        assert result.error is not None and "no-such-chrome" in result.error
        assert "asyncio" not in result.error
        assert reports.failure_text(result).startswith(f"{scenario_file}: the lab failed: ")


def test_a_step_the_driver_cannot_perform_fails_there_with_its_file_and_line(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ApiDriver, params: dict) -> None:
        raise TimeoutError("Timeout 20000ms exceeded.\n=========================== logs ===")

    monkeypatch.setattr(ApiDriver, "cybozu_set_basic_auth", broken)
    result = runner.run(load_file(scenario_file), "api")
    assert result.error is None and not result.passed
    assert [record.passed for record in result.steps] == [True, True, False]
    assert "(step 3 of 3," in reports.headline(result)
    text = reports.failure_text(result)
    assert text.splitlines()[0] == f"{scenario_file}:10: step 3 (cybozu.set_basic_auth)"
    assert "the api driver failed: TimeoutError: Timeout 20000ms exceeded." in text
    assert "logs" not in text


def test_a_broken_step_is_not_taken_for_an_expected_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "expects.yaml"
    body = textwrap.dedent(SCENARIO).lstrip().replace(
        "{enabled: false}", "{enabled: false}\n    expect_error: {contains: failed}"
    )
    path.write_text(body)
    monkeypatch.setattr(
        ApiDriver, "cybozu_set_basic_auth", lambda self, params: 1 / 0
    )
    result = runner.run(load_file(path), "api")
    assert result.steps[-1].failures == ["the api driver failed: ZeroDivisionError: division by zero"]


def test_the_pytest_plugin_refuses_the_ui_driver_without_a_browser(
    pytester: pytest.Pytester, scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "three.yaml").write_text(scenario_file.read_text())
    # undone after the test: the in-process run shares this worker's modules with the UI tests
    monkeypatch.setattr(browser, "find_browser", lambda: None)
    outcome = pytester.runpytest_inprocess(
        "scenarios", "--scenario-driver", "both", "-p", "no:cacheprovider", "-p", "no:playwright"
    )
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    assert "make browser" in outcome.stderr.str()
