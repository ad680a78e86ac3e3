"""The runner, its reports, `lab run` and the pytest plugin, against real sandboxes."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lab.cli import main
from lab.replay import runner
from lab.scenario.loader import load_file

CONNECTED = """
setup:
  cybozu:
    tenants:
      - subdomain: example
        licenses: {kintone: 5}
  okta:
    people:
      - {login: alice@example.com, first_name: Alice, last_name: Smith}
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body).lstrip())
    return path


@pytest.fixture
def passing(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "passing.yaml",
        """
        name: Alice is provisioned
        tags: [smoke]
        """
        + textwrap.indent(CONNECTED, "        ")
        + """
        steps:
          - lab.connect: {}
            save: {token: token}
          - okta.assign_people: {user: alice@example.com, services: [kintone]}
          - expect:
              cybozu_users: [{login: alice@example.com, status: Active, services: [kintone]}]
        """,
    )


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "failing.yaml",
        """
        name: A wrong expectation
        tags: [broken]
        """
        + textwrap.indent(CONNECTED, "        ")
        + """
        steps:
          - lab.connect: {}
          - okta.assign_people: {user: alice@example.com, user_name: "bad/name"}
            expect_error: {contains: "Errors reported by remote server: The login name cannot contain /."}
          - okta.update_assignment: {user: alice@example.com, user_name: alice}
            expect:
              cybozu_users: [{login: alice, given: Alicia}]
        """,
    )


def test_a_passing_scenario_records_every_step(passing: Path) -> None:
    result = runner.run(load_file(passing))
    assert result.passed, result.error or result.failed_step
    assert [r.step.verb for r in result.steps] == ["lab.connect", "okta.assign_people", "expect"]
    # The standalone expect sees the SCIM requests of the action before it.
    assert [e["method"] for e in result.steps[2].exchanges] == ["GET", "POST"]


def test_a_failure_names_the_step_expected_actual_and_the_exchange(failing: Path) -> None:
    result = runner.run(load_file(failing))
    assert not result.passed
    record = result.failed_step
    assert record is not None and record.step.index == 3
    from lab.replay.reports import failure_text

    text = failure_text(result)
    assert f"{failing}:17: step 3 (okta.update_assignment)" in text
    assert "given: expected 'Alicia', got 'Alice'" in text
    assert "SCIM: POST /Users -> 201" in text


def test_the_driver_outlives_its_api_token_when_a_scenario_jumps_past_30_days(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "later.yaml",
        """
        name: Alice is provisioned a month later
        """
        + textwrap.indent(CONNECTED, "        ")
        + """
        steps:
          - lab.connect: {}
          - lab.advance_clock: {days: 31}
          - okta.assign_people: {user: alice@example.com, services: [kintone]}
          - expect:
              cybozu_users: [{login: alice@example.com, status: Active}]
        """,
    )
    result = runner.run(load_file(path))
    assert result.passed, result.error or result.failed_step


def test_an_unexpected_success_fails_the_step(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        """
        name: expecting an error that does not come
        setup: {cybozu: {tenants: [{subdomain: example}]}}
        steps:
          - cybozu.set_propagate_provisioning: {enabled: true}
            expect_error: nope
        """,
    )
    result = runner.run(load_file(path))
    assert result.failed_step is not None
    assert result.failed_step.failures == [
        "expected the step to fail with 'nope', but it succeeded (message: None)"
    ]


def test_a_failed_setup_is_reported_not_raised(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        """
        name: a group member who does not exist
        setup: {okta: {groups: [{name: staff, members: [ghost@example.com]}]}}
        steps:
          - lab.advance_clock: {days: 1}
        """,
    )
    result = runner.run(load_file(path))
    assert not result.passed
    assert result.error is not None and result.error.startswith("setup failed: Not found")


def test_lab_run_exit_codes_junit_and_html(
    passing: Path, failing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit, report = tmp_path / "out" / "junit.xml", tmp_path / "report"
    code = main(["run", str(passing), str(failing), "--junit", str(junit), "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert "PASS  passing  Alice is provisioned" in out
    assert "FAIL  failing  A wrong expectation  (step 3 of 3" in out
    assert "2 scenarios: 1 passed, 1 failed" in out
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    failure = suite.find("testcase[@name='A wrong expectation']/failure")
    assert failure is not None
    assert failure.get("message", "").startswith(
        "step 3 (okta.update_assignment): cybozu.com user 'alice': given"
    )
    page = (report / "index.html").read_text()
    assert "SCIM wire log" in page and "Authorization: Bearer ********" in page
    assert main(["run", str(passing), "-k", "smoke and not broken"]) == 0
    assert main(["run", str(passing), "-k", "nothing-matches"]) == 2
    assert main(["run", str(passing), "-k", "smoke and"]) == 2


def test_no_secret_reaches_a_report(passing: Path, tmp_path: Path) -> None:
    """The token a scenario saves is used on the wire but never written to the HTML report."""
    result = runner.run(load_file(passing))
    from lab.replay.reports import html_report

    page = html_report([result], tmp_path).read_text()
    connect = result.steps[0]
    assert connect.exchanges, "lab.connect sends SCIM requests"
    assert "Bearer ********" in page
    assert "SSWS" not in page
    assert "Bearer " + "*" * 8 in page and page.count("Bearer ") == page.count("Bearer ********")


def test_invalid_input_exits_2_before_running(
    passing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.yaml", "name: x\nsteps:\n  - okta.nope: {}\n")
    assert main(["run", str(passing), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "PASS" not in captured.out
    assert f"{bad}:3:5: step 1: unknown verb or step key 'okta.nope'" in captured.err


def test_the_pytest_plugin_collects_scenarios(
    pytester: pytest.Pytester, passing: Path, failing: Path
) -> None:
    folder = pytester.mkdir("scenarios")
    for path in (passing, failing):
        (folder / path.name).write_text(path.read_text())
    (folder / "invalid.yaml").write_text("name: x\nsteps: []\n")
    outcome = pytester.runpytest_inprocess("scenarios", "-p", "no:cacheprovider", "-p", "no:playwright")
    outcome.assert_outcomes(passed=1, failed=2)
    text = outcome.stdout.str()
    assert "cybozu.com user 'alice': given: expected 'Alicia', got 'Alice'" in text
    assert "invalid.yaml:2:1: a scenario needs at least one step" in text
    selected = pytester.runpytest_inprocess(
        "scenarios", "-p", "no:cacheprovider", "-p", "no:playwright", "-m", "smoke"
    )
    selected.assert_outcomes(passed=1)
