"""lab/runscope.py: Runscope's steps, variables and assertions, on a transport in memory."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from lab import runscope


def client(answer: dict[str, Any], status: int = 200) -> httpx2.Client:
    seen: list[httpx2.Request] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(status, json=answer)

    made = httpx2.Client(transport=httpx2.MockTransport(handle))
    made.seen = seen  # type: ignore[attr-defined]
    return made


def step(**fields: Any) -> dict[str, Any]:
    return {"step_type": "request", "method": "GET", "url": "http://x/{{path}}", "scripts": [], **fields}


def test_variables_flow_from_one_step_to_the_next_and_assertions_compare_as_runscope_does() -> None:
    http = client({"Resources": [{"id": "u1", "active": False, "n": 3}]})
    suite = {
        "steps": [
            step(variables=[{"source": "response_json", "property": "Resources[0].id", "name": "uid"}]),
            {"step_type": "pause", "duration": 20},
            step(
                url="http://x/Users/{{uid}}",
                headers={"Authorization": ["Bearer {{token}}"]},
                assertions=[
                    {"source": "response_status", "comparison": "equal_number", "value": "200"},
                    {
                        "source": "response_json",
                        "property": "Resources[0].active",
                        "comparison": "equal",
                        "value": "false",
                    },
                    {
                        "source": "response_json",
                        "property": "Resources[0].n",
                        "comparison": "equal_number",
                        "value": 3,
                    },
                ],
            ),
        ]
    }
    paused: list[float] = []
    outcomes = runscope.run(suite, {"path": "Users", "token": "t"}, http, paused.append)
    assert [o.passed for o in outcomes] == [True, True, True] and paused == [20.0]
    assert [str(r.url) for r in http.seen] == ["http://x/Users", "http://x/Users/u1"]  # type: ignore[attr-defined]
    assert http.seen[1].headers["Authorization"] == "Bearer t"  # type: ignore[attr-defined]


def test_a_failed_assertion_says_what_was_expected_and_the_test_goes_on() -> None:
    suite = {
        "steps": [
            step(
                assertions=[
                    {
                        "source": "response_json",
                        "property": "Resources[0].active",
                        "comparison": "equal",
                        "value": "true",
                    }
                ]
            ),  # fmt: skip
            step(assertions=[{"source": "response_json", "property": "missing", "comparison": "not_empty"}]),
            step(),
        ]
    }
    outcomes = runscope.run(
        suite, {"path": "Users"}, client({"Resources": [{"active": False}]}), lambda _: None
    )
    assert outcomes[0].failures == ["Resources[0].active: expected equal 'true', got 'false'"]
    assert outcomes[1].failures == ["missing: expected not_empty '', got 'nothing'"]
    assert outcomes[2].passed and "step 1 (GET http://x/Users): Resources" in outcomes[0].describe()


@pytest.mark.parametrize(
    ("suite", "message"),
    [
        ({"steps": [step(url="http://x/{{nobody}}")]}, "the variable {{nobody}} has no value"),
        ({"steps": [step(scripts=["assert(true)"])]}, "step 1: Runscope's JavaScript cannot run in the lab"),
        ({"steps": [{"step_type": "condition"}]}, "step 1: the step type 'condition' is not supported"),
    ],
)
def test_what_cannot_run_is_said_not_skipped(suite: dict[str, Any], message: str) -> None:
    with pytest.raises(runscope.RunscopeError, match=message.replace("{", r"\{").replace("}", r"\}")):
        runscope.run(suite, {"path": "p"}, client({}), lambda _: None)


def test_an_unknown_comparison_or_source_fails_the_step() -> None:
    suite = {"steps": [step(assertions=[{"source": "response_json", "comparison": "is_a_number"}, {"source": "response_time", "comparison": "equal"}])]}  # fmt: skip
    [outcome] = runscope.run(suite, {"path": "p"}, client({}), lambda _: None)
    assert outcome.failures == [
        "the comparison 'is_a_number' is not supported",
        "the source 'response_time' is not supported",
    ]


def test_the_vendored_suite_uses_only_what_the_replayer_knows() -> None:
    from tests.integration.test_okta_crud_suite import SUITE

    suite = json.loads(SUITE.read_text())
    for item in suite["steps"]:
        for assertion in item.get("assertions", []):
            assert assertion["comparison"] in runscope.COMPARISONS
