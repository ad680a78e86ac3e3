"""`lab run --driver ui`: a scenario clicked through the consoles, and what a failure leaves."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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


def test_a_failing_ui_step_leaves_a_screenshot_and_a_trace(tmp_path: Path) -> None:
    """In its own process, as a user runs it: a test worker may already run pytest-playwright's
    Playwright, and the sync API cannot be started twice in one thread."""
    scenario = tmp_path / "propagate.yaml"
    scenario.write_text(SCENARIO)
    report = tmp_path / "report"
    command = [
        sys.executable,
        "-m",
        "lab.cli",
        "run",
        str(scenario),
        "--driver",
        "ui",
        "--report",
        str(report),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "step 2 of 2" in out and "propagate_provisioning: expected True, got False" in out, out
    step = report / "artifacts" / "propagate" / "step-2"
    assert (step / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert "trace.trace" in zipfile.ZipFile(step / "trace.zip").namelist()
    assert not (report / "artifacts" / "propagate" / "step-1").exists()  # only the failing step's
    page = (report / "index.html").read_text()
    assert 'src="artifacts/propagate/step-2/screenshot.png"' in page
    assert 'href="artifacts/propagate/step-2/trace.zip"' in page
