"""Replaying a Runscope API test, the JSON in which Okta publishes its SCIM test suites
(okta/okta-developer-docs, ``standards/SCIM/SCIMFiles/Okta-SCIM-20-CRUD-Test.json``), against the
lab: its requests unchanged, over real HTTP, with its assertions and variables.

What the file holds is Runscope's export format: ``steps`` of ``step_type`` "request" (method,
url, headers, body, ``assertions``, ``variables``) and "pause" (``duration`` seconds). Its
``{{name}}`` placeholders are the environment's variables (Okta's "Initial Script" sets the
random user's; the caller gives them here). A pause is there because Okta provisions in the
background; the lab's ``pause`` callback settles okta_sim's queue instead of sleeping, so the
step after it sees what Okta would have done by then. Runscope's JavaScript (``scripts``,
``before_scripts``) cannot run here: a step with a non-empty script is reported, not skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")
PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
MISSING = object()


class RunscopeError(ValueError):
    """A test file the replayer cannot run as written (a placeholder without a value, a script)."""


@dataclass
class StepOutcome:
    number: int  # 1-based, as Runscope numbers steps
    note: str
    method: str = ""
    url: str = ""
    status: int | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def describe(self) -> str:
        where = f"step {self.number} ({self.note or self.method + ' ' + self.url})"
        return f"{where}: " + ("passed" if self.passed else "; ".join(self.failures))


def substitute(text: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise RunscopeError(f"the variable {{{{{name}}}}} has no value")
        return variables[name]

    return PLACEHOLDER.sub(value, text)


def json_path(data: Any, path: str) -> Any:
    """Runscope's property paths: ``Resources[0].name.familyName``; MISSING when absent."""
    for name, index in PATH_STEP.findall(path):
        if name and isinstance(data, dict) and name in data:
            data = data[name]
        elif index and isinstance(data, list) and int(index) < len(data):
            data = data[int(index)]
        else:
            return MISSING
    return data


def text_of(value: Any) -> str:
    """How Runscope compares a JSON value with the assertion's text: ``false``, ``12``, ``abc``."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


COMPARISONS: dict[str, Callable[[Any, str], bool]] = {
    "equal": lambda actual, expected: actual is not MISSING and text_of(actual) == expected,
    "not_equal": lambda actual, expected: actual is MISSING or text_of(actual) != expected,
    "equal_number": lambda actual, expected: (
        number(actual) is not None and number(actual) == number(expected)
    ),
    "contains": lambda actual, expected: actual is not MISSING and expected in text_of(actual),
    "does_not_contain": lambda actual, expected: actual is MISSING or expected not in text_of(actual),
    "is_empty": lambda actual, _: actual in (MISSING, None, "", [], {}),
    "not_empty": lambda actual, _: actual not in (MISSING, None, "", [], {}),
    "is_null": lambda actual, _: actual is None,
    "has_key": lambda actual, expected: isinstance(actual, dict) and expected in actual,
}


def header_value(value: Any) -> str:
    """Runscope stores a header's value as text or as a list of texts."""
    return ", ".join(value) if isinstance(value, list) else str(value)


def run(
    test: dict[str, Any],
    variables: dict[str, str],
    client: httpx2.Client,
    pause: Callable[[float], None],
) -> list[StepOutcome]:
    """Every step of ``test`` in order; a failed assertion does not stop the test (Runscope runs
    every step), but a step that cannot be sent ends it."""
    variables = dict(variables)
    outcomes = []
    for number_, step in enumerate(test.get("steps", []), 1):
        kind = step.get("step_type")
        if kind == "pause":
            pause(float(step.get("duration", 0)))
            outcomes.append(StepOutcome(number_, f"pause {step.get('duration', 0)} s"))
            continue
        if kind != "request":
            raise RunscopeError(f"step {number_}: the step type {kind!r} is not supported")
        if any(script.strip() for script in [*step.get("scripts", []), *step.get("before_scripts", [])]):
            raise RunscopeError(f"step {number_}: Runscope's JavaScript cannot run in the lab")
        outcome = send(number_, step, variables, client)
        outcomes.append(outcome)
    return outcomes


def send(number_: int, step: dict[str, Any], variables: dict[str, str], client: httpx2.Client) -> StepOutcome:
    method = step.get("method", "GET")
    url = substitute(step["url"], variables)
    headers = {
        name: substitute(header_value(value), variables)
        for name, value in (step.get("headers") or {}).items()
    }
    body = substitute(step.get("body") or "", variables)
    outcome = StepOutcome(number_, (step.get("note") or "").strip(), method, url)
    response = client.request(method, url, headers=headers, content=body.encode() if body else None)
    outcome.status = response.status_code
    try:
        data = response.json() if response.content else MISSING
    except ValueError:
        data = MISSING
    for assertion in step.get("assertions", []):
        failure = check(assertion, response, data, variables)
        if failure:
            outcome.failures.append(failure)
    for variable in step.get("variables", []):
        if variable.get("source") == "response_json":
            value = json_path(data, variable.get("property", ""))
            if value is MISSING:
                outcome.failures.append(
                    f"the variable {variable['name']} found no {variable.get('property')}"
                )
            else:
                variables[variable["name"]] = text_of(value)
    return outcome


def check(
    assertion: dict[str, Any], response: httpx2.Response, data: Any, variables: dict[str, str]
) -> str | None:
    """None when the assertion holds, else what was expected and what came."""
    comparison = assertion.get("comparison", "")
    test = COMPARISONS.get(comparison)
    if test is None:
        return f"the comparison {comparison!r} is not supported"
    expected = substitute(str(assertion.get("value", "")), variables)
    source = assertion.get("source")
    if source == "response_status":
        actual: Any = response.status_code
        label = "the status"
    elif source == "response_json":
        actual = json_path(data, assertion.get("property", ""))
        label = assertion.get("property", "the body")
    elif source == "response_headers":
        actual = response.headers.get(assertion.get("property", ""), MISSING)
        label = f"the header {assertion.get('property')}"
    else:
        return f"the source {source!r} is not supported"
    if test(actual, expected):
        return None
    shown = "nothing" if actual is MISSING else text_of(actual)
    return f"{label}: expected {comparison} {expected!r}, got {shown!r}"
