"""Two runs of a scenario with one seed write the same HTML report (wire logs included) and the
same JUnit XML but for its wall-clock times, byte for byte; another seed hands out other ids
and tokens. The runs are separate processes with different hash seeds, as two CI jobs are."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from lab.drivers.api import ApiDriver
from lab.drivers.client import LabClient
from lab.replay import runner
from lab.replay.reports import html_report
from lab.replay.sandbox import Sandbox
from lab.scenario.loader import load_file
from lab.scenario.setup import Setup
from tests.conftest import ROOT

# API tokens, cybozu.com users, Faker people, and a group whose members the push workers
# provision concurrently: every source of ids a run has.
GROUP_PUSH = """
name: A group of generated people is provisioned, then one person leaves
setup:
  seed: {seed}
  cybozu:
    tenants:
      - subdomain: example
        licenses: {{kintone: 50}}
        users: [{{login: sato, display: Sato Hanako, services: [kintone]}}]
  okta:
    people:
      - {{login: alice.smith@example.com, first_name: Alice, last_name: Smith}}
    generate:
      - {{count: 12, group: cybozu users}}
steps:
  - cybozu.create_api_token: {{notes: Okta provisioning}}
    save: {{token: token}}
  - cybozu.set_propagate_provisioning: {{enabled: true}}
  - okta.add_catalog_app: {{domain_name: example}}
  - okta.configure_api_integration: {{token: "${{token}}"}}
  - okta.set_provisioning_to_app: {{}}
  - okta.assign_group: {{group: cybozu users, services: [kintone]}}
    expect: {{cybozu_user_count: 14, open_tasks: 0}}
  - okta.assign_people: {{user: alice.smith@example.com, services: [kintone]}}
  - okta.deactivate_user: {{user: alice.smith@example.com}}
    expect:
      cybozu_users: [{{login: alice.smith@example.com, status: Inactive}}]
"""
TIME = re.compile(rb' time="[0-9.]+"')


def scenario(folder: Path, seed: int) -> Path:
    path = folder / f"group-push-{seed}.yaml"
    path.write_text(textwrap.dedent(GROUP_PUSH.format(seed=seed)).lstrip())
    return path


def lab_run(files: list[Path], out: Path, hash_seed: str) -> tuple[bytes, bytes, list[bytes]]:
    """``lab run`` in a process of its own; the report's, the JUnit file's and the HAR files' bytes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "lab.cli", "run", *map(str, files)]
    command += ["--report", str(out / "report"), "--har", "--junit", str(out / "junit.xml")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    hars = [path.read_bytes() for path in sorted((out / "report").glob("artifacts/*/exchanges.har"))]
    return (out / "report" / "index.html").read_bytes(), (out / "junit.xml").read_bytes(), hars


def test_two_runs_of_a_scenario_write_identical_reports(tmp_path: Path) -> None:
    files = [scenario(tmp_path, 0), ROOT / "scenarios" / "step1-step2-setup.yaml"]
    report, junit, hars = lab_run(files, tmp_path / "first", "1")
    again, junit_again, hars_again = lab_run(files, tmp_path / "second", "2")
    assert report == again
    assert len(hars) == 2 and hars == hars_again  # response Dates too: the lab clock's
    assert TIME.sub(b"", junit) == TIME.sub(b"", junit_again)  # JUnit's times are the wall clock's
    text = report.decode()
    assert "http://cybozu_sim/example/scim/v2/Users/" in text  # meta.location, without its port
    assert not re.search(r"127\.0\.0\.1:\d", text), "an ephemeral port reached the report"
    assert not re.search(r"\d\.\d+ s\b", text), "a wall-clock duration reached the report"
    assert "(seed 0)" in text


def test_another_seed_hands_out_other_ids(tmp_path: Path) -> None:
    """The cybozu.com user ids and Okta user ids on the wire come from the seed; with one seed,
    the whole wire log (stamps, app ids, times) is the same."""
    first, again, other = (runner.run(load_file(scenario(tmp_path, seed))) for seed in (0, 0, 1))
    assert first.passed and again.passed and other.passed, [first.error, again.error, other.error]
    records = [[(s.message, s.failures, s.exchanges) for s in r.steps] for r in (first, again)]
    assert records[0] == records[1]
    ids = []
    for result in (first, other):
        exchanges = [e for record in result.steps for e in record.exchanges]
        created = [e["response"] for e in exchanges if e["method"] == "POST" and e["status"] == 201]
        assert len(created) == 13
        ids.append({u["id"] for u in created} | {u["externalId"] for u in created})
    assert not ids[0] & ids[1]
    assert html_report([first], tmp_path / "0").read_bytes() != html_report([other], tmp_path / "1").read_bytes()


def tokens(seed: int | None) -> dict[str, object]:
    """The API tokens a sandbox hands out: cybozu.com's (value and id) and Okta's."""
    with Sandbox(seed=seed) as sandbox:
        driver = ApiDriver(LabClient(sandbox))
        try:
            driver.setup(Setup().load({"cybozu": {"tenants": [{"subdomain": "example"}]}}))
            cybozu = driver.perform("cybozu.create_api_token", {"notes": "", "validity": "1 year"}).values
            okta = driver.client.call("okta", "POST", "/_lab/api-tokens", {"name": "again"})
        finally:
            driver.close()
    return {"cybozu": (cybozu["token"], cybozu["id"]), "okta": okta["token"]}


def test_a_seed_decides_the_api_tokens_of_a_sandbox() -> None:
    first = tokens(5)
    assert tokens(5) == first
    for other in (tokens(6), tokens(None)):
        assert other["cybozu"] != first["cybozu"] and other["okta"] != first["okta"]
