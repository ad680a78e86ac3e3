"""One Chromium per thread for every UI scenario it replays, a context of its own for each."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lab.drivers.consoles import launched_browser
from lab.replay import runner
from lab.scenario.loader import load_file

pytestmark = pytest.mark.ui

SCENARIO = """
name: Propagate Provisioning through the console
setup: {cybozu: {tenants: [{subdomain: example, licenses: {kintone: 1}}]}}
steps:
  - cybozu.set_propagate_provisioning: {enabled: true}
    expect: {propagate_provisioning: true}
"""


def test_scenarios_share_the_threads_browser_and_leave_no_context_behind(tmp_path: Path) -> None:
    path = tmp_path / "propagate.yaml"
    path.write_text(textwrap.dedent(SCENARIO).lstrip())
    scenario = load_file(path)
    first = runner.run(scenario, "ui")
    browser = launched_browser()
    assert first.passed, first.error
    assert browser.contexts == []  # the scenario's cookies and pages went with its context
    second = runner.run(scenario, "ui")
    assert second.passed, second.error
    assert launched_browser() is browser and browser.contexts == []


def test_a_browser_that_went_away_is_launched_again() -> None:
    gone = launched_browser()
    gone.close()
    again = launched_browser()
    assert again is not gone and again.is_connected()
