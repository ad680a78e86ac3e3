"""Which parts of a scenario are cybozu.com's side, which an external SCIM target leaves out.

Against an external target (a QA's own cybozu.com test tenant, or any SCIM 2.0 server) the
lab runs only Okta's side: it can neither act in the tenant's console nor read the tenant's
state. Those parts are "not applicable" - reported as such, never as passed - and a step
that needs a value only they would give is not applicable too. The plan is made from the
scenario alone, so ``lab run``'s reports and pytest's items name the same parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lab.scenario.model import EXPECT_VERB, REFERENCE, Scenario, Step

NOT_APPLICABLE = "not applicable against an external SCIM target"
# The expectations that read the cybozu.com tenant (the lab's cybozu_sim).
CYBOZU_EXPECTATIONS = (
    "cybozu_users",
    "cybozu_absent",
    "cybozu_user_count",
    "api_tokens",
    "propagate_provisioning",
    "ip_restriction",
    "ip_addresses",
    "basic_auth",
    "license_warnings",
)
# The results an external target gives in place of a step it leaves out: the token and SCIM
# endpoint noted down from cybozu.com's dialog are the ones given to the run.
TARGET_RESULTS = {"cybozu.create_api_token": ("token", "scim_endpoint")}
# What a performed step does not do against an external target, and the results it cannot give.
PARTLY = {
    "lab.connect": (
        "STEP1 in the tenant (Create API Token, Propagate Provisioning) is not the lab's: the given "
        "token is used; the Profile Editor keeps the services setup.cybozu licenses",
        ("token_id",),
    ),
    "lab.advance_clock": ("only Okta's clock moved: the external server keeps its own", ()),
}


def verb_reason(verb: str, params: dict[str, Any]) -> str | None:
    """Why a verb is left out against an external target (None: it is Okta's side)."""
    if verb in TARGET_RESULTS:
        return "done in the tenant's own console: the token and SCIM endpoint given to the run are used"
    if verb.startswith("cybozu."):
        return "cybozu.com's console: do it in the tenant's own console"
    if verb in ("lab.snapshot", "lab.restore"):
        return "the external server's state cannot be snapshot or restored"
    if verb == "lab.fault" and params.get("app") == "cybozu":
        return "faults are injected into cybozu_sim only"
    return None


@dataclass
class StepPlan:
    """What of one step runs against an external target."""

    skip: str | None = None  # the step is not performed, for this reason
    note: str | None = None  # what a performed step leaves out
    expect_left_out: list[str] = field(default_factory=list)  # expectations not checked
    given: tuple[str, ...] = ()  # results the target gives (TARGET_RESULTS)
    unavailable: tuple[str, ...] = ()  # results that get no value

    def parts(self, step: Step) -> list[str]:
        """The step's parts that are not applicable, as reports list them."""
        found = [f"{step.label}: {self.skip}"] if self.skip else []
        if self.note:
            found.append(f"{step.label}: {self.note}")
        found += [f"{step.label}: expect {key}" for key in self.expect_left_out]
        return found


@dataclass
class Plan:
    setup: list[str]
    steps: list[StepPlan]

    def parts(self, scenario: Scenario) -> list[str]:
        return [
            *self.setup,
            *(p for s, step in zip(self.steps, scenario.steps, strict=True) for p in s.parts(step)),
        ]


def references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)
    elif isinstance(value, str):
        yield from REFERENCE.findall(value)


def setup_parts(setup: dict[str, Any]) -> list[str]:
    parts = []
    for tenant in (setup.get("cybozu") or {}).get("tenants", []):
        made = [key for key in ("users", "ip_restriction", "basic_auth") if tenant.get(key)]
        extra = f" and its {', '.join(made)}" if made else ""
        parts.append(f"setup: cybozu.com tenant {tenant['subdomain']}{extra} (the target is as it is)")
    return parts


def plan(scenario: Scenario) -> Plan:
    """Every step's part against an external target, in order: a value that a left-out step
    would have saved makes the steps that use it left out too."""
    missing: dict[str, str] = {}  # variable -> the step that could not give it
    steps = []
    left_out_action: str | None = None  # the last action, when it was left out (a bare expect reads it)
    for step in scenario.steps:
        step_plan = StepPlan()
        needed = [name for name in references(step.params) if name in missing]
        if step.verb != EXPECT_VERB:
            step_plan.skip = verb_reason(step.verb, step.params)
            if step_plan.skip is None and needed:
                step_plan.skip = f"uses ${{{needed[0]}}}, which {missing[needed[0]]} could not give"
            left_out_action = step.label if step_plan.skip else None
        elif left_out_action:
            step_plan.skip = f"checks {left_out_action}, which was not performed"
        if step_plan.skip:
            step_plan.given = TARGET_RESULTS.get(step.verb, ())
            step_plan.unavailable = tuple(r for r in step.save.values() if r not in step_plan.given)
        elif step.verb in PARTLY:
            step_plan.note, step_plan.unavailable = PARTLY[step.verb]
        expect = step.expect or {}
        step_plan.expect_left_out = [
            key
            for key, value in expect.items()
            if step_plan.skip or key in CYBOZU_EXPECTATIONS or any(n in missing for n in references(value))
        ]
        step_plan.expect_left_out = [k for k in step_plan.expect_left_out if k not in ("tenant", "app")]
        for name, result in step.save.items():
            if result in step_plan.unavailable:
                missing[name] = step.label
            else:
                missing.pop(name, None)
        steps.append(step_plan)
    return Plan(setup_parts(scenario.setup), steps)


def applicable(expect: dict[str, Any], left_out: list[str]) -> dict[str, Any]:
    """The expectations checked: without the left-out ones (and without ``tenant``, which only
    picks the tenant they read); empty when nothing is left to check."""
    kept = {k: v for k, v in expect.items() if k not in left_out and k != "tenant"}
    return kept if set(kept) - {"app"} else {}
