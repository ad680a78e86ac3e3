"""Okta's side against an external SCIM server: `lab run --scim-url` and pytest's --scim-url point
okta_sim at python-scim's scim2-server, started as a real process, instead of cybozu_sim.

The Okta-side steps and their `exchanges` pass, cybozu.com's side is reported not applicable
(never passed) in the console, the JUnit XML and the HTML report, and the token is in no
report; a wrong token fails with Okta's text for the server's 401.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, request

from lab.cli import main
from lab.scenario.loader import load_file
from lab.server import ServerThread
from tests.integration.scim2_server import Scim2Server

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "external-target-create-update-deactivate.yaml"
CONNECTING = ROOT / "scenarios" / "deactivating-a-user.yaml"  # lab.connect, then Okta-only verbs
VARIABLE = "LAB_TEST_SCIM_TOKEN"


def a_token() -> str:
    return "ext" + secrets.token_hex(20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Scim2Server]:
    folder = tmp_path / "scim2-server"
    folder.mkdir()
    with Scim2Server(folder, a_token()) as started:
        yield started


def lab_run(paths: list[Path], url: str, out: Path, *options: str) -> int:
    return main(
        [
            "run",
            *map(str, paths),
            "--scim-url",
            url,
            *options,
            "--junit",
            str(out / "junit.xml"),
            "--report",
            str(out / "report"),
        ]
    )


def written(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def cases(junit: Path) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in ET.parse(junit).getroot().iter("testcase")}


def test_okta_side_passes_and_cybozu_side_is_not_applicable(
    server: Scim2Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(VARIABLE, server.token)
    out = tmp_path / "out"
    assert lab_run([SCENARIO, CONNECTING], server.url, out, "--scim-token-env", VARIABLE) == 0
    console = capsys.readouterr().out

    # Okta really pushed: the server holds Alice, renamed, then inactive; and the others of lab.connect's scenario.
    users = {u["userName"]: u for u in server.users()}
    assert set(users) == {"alice.smith@example.com", "bob.jones@example.com", "carol.white@example.com"}
    assert users["bob.jones@example.com"]["urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"] == {
        "kintone": True
    }

    assert f"PASS  {SCENARIO.stem}" in console and "Okta's side; 8 not applicable" in console
    assert f"PASS  {CONNECTING.stem}" in console
    for part in (
        "N/A   setup: cybozu.com tenant example (the target is as it is)",
        "N/A   step 1 (cybozu.create_api_token) 'STEP1 Create API Token, note down the token and the SCIM Endpoint': done in the tenant's own console",
        "N/A   step 2 (cybozu.set_propagate_provisioning): expect propagate_provisioning",
        "N/A   step 9 (okta.assign_people) 'Assign Alice; Okta looks her up, then creates her': expect cybozu_users",
        "N/A   step 1 (lab.connect): STEP1 in the tenant (Create API Token, Propagate Provisioning) is not the lab's",
    ):
        assert part in console
    assert (
        f"against the external SCIM target {server.url}: 21 cybozu.com-side parts not applicable" in console
    )

    found = cases(out / "junit.xml")
    okta_side = found[load_name(SCENARIO)]
    assert okta_side.find("failure") is None and okta_side.find("skipped") is None
    cybozu_side = found[load_name(SCENARIO) + " [cybozu.com side]"]
    skipped = cybozu_side.find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith(
        "not applicable against an external SCIM target"
    )
    assert "step 11 (okta.deactivate_user)" in (skipped.text or "") and "expect cybozu_users" in (
        skipped.text or ""
    )
    suite = ET.parse(out / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "0", "2")

    report = (out / "report" / "index.html").read_text()
    assert f"Okta's side against the external SCIM target {server.url}" in report
    assert '<td class="na">1</td><td>cybozu.create_api_token' in report  # the step itself is N/A, not PASS
    assert "N/A: step 9 (okta.assign_people)" in report
    assert "Authorization: Bearer ********" in report  # the wire log shows the header masked
    assert server.token not in written(out) and server.token not in console


def load_name(path: Path) -> str:
    return load_file(path).name


def test_a_wrong_token_fails_with_oktas_text_for_the_servers_401(
    server: Scim2Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = a_token()
    token_file = tmp_path / "token"
    token_file.write_text(wrong + "\n")
    out = tmp_path / "out"
    assert lab_run([SCENARIO], server.url, out, "--scim-token-file", str(token_file)) == 1
    console = capsys.readouterr().out
    text = (
        "the step failed: Error authenticating: Unauthorized. Errors reported by remote server: "
        "Authorization failure. The authorization header is invalid or missing"
    )
    assert f"FAIL  {SCENARIO.stem}" in console and "step 4 of 11" in console
    assert f"{SCENARIO}:32: step 4 (okta.configure_api_integration)" in console
    assert text in console
    assert "SCIM: GET /Users?startIndex=1&count=2 -> 401" in console
    failure = cases(out / "junit.xml")[load_name(SCENARIO)].find("failure")
    assert failure is not None and text in (failure.text or "")
    assert text.removeprefix("the step failed: ") in (out / "report" / "index.html").read_text()
    assert server.users() == []
    assert wrong not in written(out) and wrong not in console and server.token not in written(out)


def echoing_server(token: str) -> Flask:
    """A SCIM server that repeats the credential it was given in its error (some do): the one
    place the token could come back into the lab's reports from outside."""
    app = Flask("echo")

    @app.get("/scim/v2/Users")
    def users() -> Any:
        given = request.headers.get("Authorization", "")
        answer = jsonify(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "401",
                "detail": f"unknown credential {given}",
            }
        )
        return answer, 401

    return app


def test_a_token_the_server_echoes_is_masked_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = a_token()
    monkeypatch.setenv(VARIABLE, token)
    out = tmp_path / "out"
    with ServerThread(echoing_server(token)) as echo:
        assert lab_run([SCENARIO], f"{echo.url}/scim/v2", out, "--scim-token-env", VARIABLE) == 1
    console = capsys.readouterr().out
    assert "Errors reported by remote server: unknown credential Bearer ********" in console
    assert token not in console and token not in written(out)
    assert "unknown credential Bearer ********" in (out / "report" / "index.html").read_text()


@pytest.mark.parametrize(
    ("options", "environ", "error"),
    [
        (
            ["--scim-url", "ftp://example.cybozu.com/scim/v2", "--scim-token-env", VARIABLE],
            {VARIABLE: "t0ken"},
            "--scim-url must be an http:// or https:// URL",
        ),
        (
            ["--scim-url", "https://user:pw@example.cybozu.com/scim/v2", "--scim-token-env", VARIABLE],
            {VARIABLE: "t0ken"},
            "must not hold credentials",
        ),
        (["--scim-url", "https://example.cybozu.com/scim/v2"], {}, "needs the API token from exactly one of"),
        (
            ["--scim-url", "https://example.cybozu.com/scim/v2", "--scim-token-env", VARIABLE],
            {},
            f"the environment variable {VARIABLE} (--scim-token-env) is not set or empty",
        ),
        (["--scim-token-env", VARIABLE], {VARIABLE: "t0ken"}, "go with --scim-url"),
    ],
)
def test_bad_target_options_are_one_line_and_exit_2(
    options: list[str],
    environ: dict[str, str],
    error: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main(["run", str(SCENARIO), *options]) == 2
    assert error in capsys.readouterr().err


def test_pytest_items_against_the_target_pass_and_skip_cybozus_side(
    server: Scim2Server, tmp_path: Path
) -> None:
    """The pytest plugin takes the same options: Okta's side is an item that passes, cybozu.com's
    side an item skipped with its parts."""
    junit = tmp_path / "pytest.xml"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(SCENARIO),
            "-q",
            "-n",
            "0",
            "-rs",
            "--scim-url",
            server.url,
            "--scim-token-env",
            VARIABLE,
            f"--junitxml={junit}",
        ],
        cwd=ROOT,
        env={**os.environ, VARIABLE: server.token},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "1 passed, 1 skipped" in finished.stdout
    assert (
        "not applicable against an external SCIM target: setup: cybozu.com tenant example" in finished.stdout
    )
    assert server.token not in finished.stdout + junit.read_text()


def test_pytest_refuses_to_compare_drivers_against_one_external_target(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", str(SCENARIO), "-q", "-n", "0", "--scenario-driver", "both",
         "--scim-url", "https://example.cybozu.com/scim/v2", "--scim-token-env", VARIABLE],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, VARIABLE: "t0ken"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 4, finished.stdout + finished.stderr  # pytest's usage error
    assert "run one driver at a time" in finished.stderr
