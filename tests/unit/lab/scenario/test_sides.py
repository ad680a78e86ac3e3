"""lab.scenario.sides: which parts of a scenario an external SCIM target leaves out."""

from __future__ import annotations

import textwrap

from lab.scenario import sides
from lab.scenario.expect import Expect
from lab.scenario.loader import load
from lab.scenario.model import Scenario
from lab.scenario.source import read


def scenario(text: str) -> Scenario:
    return load(read("test.yaml", textwrap.dedent(text)))


SCENARIO = """
name: parts
setup:
  cybozu:
    tenants:
      - subdomain: example
        users: [{login: sato}]
  okta:
    people: [{login: alice@example.com, first_name: Alice, last_name: Smith}]
steps:
  - cybozu.create_api_token: {}
    save: {token: token, token_id: id}
  - okta.add_catalog_app: {domain_name: example}
  - okta.configure_api_integration: {token: "${token}"}
  - cybozu.disable_api_token: {id: "${token_id}"}
  - expect: {api_tokens: 0}
  - okta.add_person: {login: "x${token_id}@example.com", first_name: X, last_name: Y}
  - okta.assign_people: {user: alice@example.com, services: [kintone]}
    expect:
      okta_app_users: [{user: alice@example.com, status: PROVISIONED}]
      cybozu_users: [{login: alice@example.com}]
      tenant: example
  - lab.fault: {kind: server_error}
  - lab.fault: {app: okta, kind: server_error}
  - lab.snapshot: {}
"""


def test_the_plan_names_every_part_left_out_and_what_depends_on_it() -> None:
    loaded = scenario(SCENARIO)
    plan = sides.plan(loaded)
    assert plan.setup == ["setup: cybozu.com tenant example and its users (the target is as it is)"]
    skipped = [s.skip for s in plan.steps]
    assert skipped[0] and skipped[0].startswith("done in the tenant's own console")
    assert skipped[1] is None and skipped[2] is None  # the token is the target's: Okta's steps run
    assert skipped[3] == "cybozu.com's console: do it in the tenant's own console"
    assert skipped[4] == "checks step 4 (cybozu.disable_api_token), which was not performed"
    assert skipped[5] == "uses ${token_id}, which step 1 (cybozu.create_api_token) could not give"
    assert skipped[6] is None and plan.steps[6].expect_left_out == ["cybozu_users"]
    assert skipped[7] == "faults are injected into cybozu_sim only" and skipped[8] is None
    assert skipped[9] == "the external server's state cannot be snapshot or restored"
    assert plan.steps[0].given == ("token", "scim_endpoint") and plan.steps[0].unavailable == ("id",)
    assert "step 7 (okta.assign_people): expect cybozu_users" in plan.parts(loaded)


def test_only_the_okta_side_expectations_are_checked() -> None:
    expect = {"tenant": "example", "app": "a", "cybozu_users": [], "okta_app_users": []}
    assert sides.applicable(expect, ["cybozu_users"]) == {"app": "a", "okta_app_users": []}
    assert sides.applicable({"app": "a", "cybozu_users": []}, ["cybozu_users"]) == {}


def test_every_expectation_is_on_one_side() -> None:
    okta_side = {
        "message",
        "message_contains",
        "okta_app_users",
        "okta_unassigned",
        "okta_app_user_count",
        "tasks",
        "open_tasks",
        "exchanges",
        "exchange_count",
        "syslog",
        "okta_app",
    }
    assert set(Expect().fields) == {"tenant", "app", *okta_side, *sides.CYBOZU_EXPECTATIONS}
