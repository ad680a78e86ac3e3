"""`lab run --driver ui --scim-url`: the UI driver adds the app and fills the API integration form
in the Okta console with the external target's token, and okta_sim provisions into scim2-server
(a real process); a failing step keeps its screenshot but no Playwright trace (a trace records
the token typed into the form)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.scim2_server import Scim2Server

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "external-target-create-update-deactivate.yaml"


def lab_run(url: str, token: str, report: Path) -> subprocess.CompletedProcess[str]:
    """In its own process: a test worker may already run pytest-playwright's Playwright."""
    command = [sys.executable, "-m", "lab.cli", "run", str(SCENARIO), "--driver", "ui", "--scim-url", url,
               "--scim-token-env", "UI_SCIM_TOKEN", "--report", str(report)]  # fmt: skip
    env = {**os.environ, "UI_SCIM_TOKEN": token}
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=ROOT, env=env)


def written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_the_ui_driver_provisions_into_the_external_target(tmp_path: Path) -> None:
    token = "ui" + secrets.token_hex(20)
    with Scim2Server(tmp_path, token) as server:
        done = lab_run(server.url, token, tmp_path / "report")
        users = {u["userName"]: u for u in server.users()}
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Okta's side; 8 not applicable" in done.stdout
    alice = users["alice.smith@example.com"]
    assert (alice["name"]["familyName"], alice["active"]) == ("Jones", False)
    assert token.encode() not in written(tmp_path / "report") and token not in done.stdout


def test_a_failing_ui_step_keeps_no_trace_against_an_external_target(tmp_path: Path) -> None:
    token, wrong = "ui" + secrets.token_hex(20), "ui" + secrets.token_hex(20)
    with Scim2Server(tmp_path, token) as server:
        done = lab_run(server.url, wrong, tmp_path / "report")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Error authenticating: Unauthorized. Errors reported by remote server: Authorization failure" in done.stdout
    step = tmp_path / "report" / "artifacts" / SCENARIO.stem / "step-4"
    assert (step / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert not (step / "trace.zip").exists()
    assert wrong.encode() not in written(tmp_path / "report") and wrong not in done.stdout
