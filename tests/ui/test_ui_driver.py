"""`lab run --driver ui`: a scenario clicked through the consoles, and what a failure leaves."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lab.cli import main

pytestmark = pytest.mark.ui

SCENARIO = """
name: Propagate Provisioning through the console
setup: {cybozu: {tenants: [{subdomain: example, licenses: {kintone: 1}}]}}
steps:
  - cybozu.set_propagate_provisioning: {enabled: true}
    expect: {propagate_provisioning: true}
  - name: A wrong expectation, on purpose
    cybozu.set_propagate_provisioning: {enabled: false}
    expect: {propagate_provisioning: true}
"""


def test_a_failing_ui_step_leaves_a_screenshot_and_a_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "propagate.yaml"
    scenario.write_text(SCENARIO)
    report = tmp_path / "report"
    assert main(["run", str(scenario), "--driver", "ui", "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "step 2 of 2" in out and "propagate_provisioning: expected True, got False" in out
    step = report / "artifacts" / "propagate" / "step-2"
    assert (step / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert "trace.trace" in zipfile.ZipFile(step / "trace.zip").namelist()
    assert not (report / "artifacts" / "propagate" / "step-1").exists()  # only the failing step's
    page = (report / "index.html").read_text()
    assert 'src="artifacts/propagate/step-2/screenshot.png"' in page
    assert 'href="artifacts/propagate/step-2/trace.zip"' in page
