"""`lab run --report DIR --har`: each scenario's SCIM exchanges as a HAR 1.2 file beside the HTML
report, valid against the spec's required fields, timed by the lab clock, linked from the report."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lab.cli import main

pytestmark = pytest.mark.integration


def _object(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **optional}}


STRING, NUMBER, INTEGER = {"type": "string"}, {"type": "number"}, {"type": "integer"}
NON_NEGATIVE = {"type": "number", "minimum": 0}
ISO_8601 = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"}
NAME_VALUE = {"type": "array", "items": _object({"name": STRING, "value": STRING})}
COOKIES = {"type": "array", "items": _object({"name": STRING, "value": STRING})}
# HAR 1.2's required fields and their types (http://www.softwareishard.com/blog/har-12-spec/,
# github.com/ahmadnassri/har-spec versions/1.2.md): every object, as the spec's tables say.
HAR_1_2 = _object(
    {
        "log": _object(
            {
                "version": {"const": "1.2"},
                "creator": _object({"name": STRING, "version": STRING}),
                "entries": {
                    "type": "array",
                    "items": _object(
                        {
                            "startedDateTime": ISO_8601,
                            "time": NON_NEGATIVE,
                            "request": _object(
                                {
                                    "method": STRING,
                                    "url": {"type": "string", "pattern": "^https?://"},
                                    "httpVersion": STRING,
                                    "cookies": COOKIES,
                                    "headers": NAME_VALUE,
                                    "queryString": NAME_VALUE,
                                    "headersSize": INTEGER,
                                    "bodySize": INTEGER,
                                },
                                postData=_object({"mimeType": STRING, "text": STRING}),
                            ),
                            "response": _object(
                                {
                                    "status": INTEGER,
                                    "statusText": STRING,
                                    "httpVersion": STRING,
                                    "cookies": COOKIES,
                                    "headers": NAME_VALUE,
                                    "content": _object({"size": INTEGER, "mimeType": STRING}, text=STRING),
                                    "redirectURL": STRING,
                                    "headersSize": INTEGER,
                                    "bodySize": INTEGER,
                                }
                            ),
                            "cache": {"type": "object"},
                            "timings": _object({"send": NON_NEGATIVE, "wait": NON_NEGATIVE, "receive": NON_NEGATIVE}),
                        },
                        pageref=STRING,
                    ),
                },
            },
            pages={
                "type": "array",
                "items": _object(
                    {"startedDateTime": ISO_8601, "id": STRING, "title": STRING, "pageTimings": {"type": "object"}}
                ),
            },
        )
    }
)

SCENARIO = """
name: A person provisioned, then a refused one
setup:
  clock: "2026-03-02T08:30:00Z"
  cybozu:
    tenants:
      - subdomain: example
        licenses: {kintone: 5}
  okta:
    people:
      - {login: alice@example.com, first_name: Alice, last_name: Smith}
      - {login: bob@example.com, first_name: Bob, last_name: Jones}
steps:
  - lab.connect: {}
  - okta.assign_people: {user: alice@example.com, services: [kintone]}
  - expect:
      exchange_count: 2
  - okta.assign_people: {user: bob@example.com, user_name: "bad/name", services: [kintone]}
    expect_error: {contains: "The login name cannot contain /."}
"""


@pytest.fixture(scope="module")
def har(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run serves every test here."""
    folder = tmp_path_factory.mktemp("har")
    scenario = folder / "provisioned.yaml"
    scenario.write_text(textwrap.dedent(SCENARIO).lstrip())
    report = folder / "report"
    assert main(["run", str(scenario), "--report", str(report), "--har"]) == 0
    path = report / "artifacts" / "provisioned" / "exchanges.har"
    page = (report / "index.html").read_text()
    assert 'SCIM exchanges as HAR: <a href="artifacts/provisioned/exchanges.har">exchanges.har</a>' in page
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_har_is_valid_har_1_2(har: dict[str, Any]) -> None:
    jsonschema.validate(har, HAR_1_2)
    log = har["log"]
    assert {e["pageref"] for e in log["entries"]} <= {p["id"] for p in log["pages"]}
    for entry in log["entries"]:  # "time" is the sum of the timings that are not -1
        assert entry["time"] == sum(v for v in entry["timings"].values() if v != -1)


def test_each_step_is_a_page_of_the_requests_it_sent(har: dict[str, Any]) -> None:
    log = har["log"]
    # lab.connect's [Test API Credentials] GET, alice's lookup and POST, bob's lookup and the
    # refused POST; the standalone expect sent nothing and repeats nothing
    assert [p["id"] for p in log["pages"]] == ["step-1", "step-2", "step-4"]
    assert log["pages"][1]["title"] == "step 2: okta.assign_people"
    sent = [(e["pageref"], e["request"]["method"], e["response"]["status"]) for e in log["entries"]]
    assert sent == [
        ("step-1", "GET", 200),
        ("step-2", "GET", 200),
        ("step-2", "POST", 201),
        ("step-4", "GET", 200),
        ("step-4", "POST", 400),
    ]


def test_an_entry_holds_what_okta_sent_and_what_came_back(har: dict[str, Any]) -> None:
    lookup, create = har["log"]["entries"][1:3]
    assert lookup["request"]["url"].endswith(
        "/example/scim/v2/Users?filter=userName+eq+%22alice%40example.com%22&startIndex=1&count=100"
    )
    assert {"name": "filter", "value": 'userName eq "alice@example.com"'} in lookup["request"]["queryString"]
    assert "postData" not in lookup["request"] and lookup["request"]["bodySize"] == 0
    headers = {h["name"]: h["value"] for h in create["request"]["headers"]}
    assert headers["Authorization"] == "Bearer ********"
    assert headers["User-Agent"] == "Okta SCIM Client 1.0.0"
    assert headers["Content-Type"] == create["request"]["postData"]["mimeType"] == "application/scim+json; charset=utf-8"
    sent = json.loads(create["request"]["postData"]["text"])
    assert sent["userName"] == "alice@example.com" and sent["password"] == "********"
    response = create["response"]
    assert (response["status"], response["statusText"], response["httpVersion"]) == (201, "Created", "HTTP/1.1")
    received = {h["name"].lower(): h["value"] for h in response["headers"]}
    assert received["content-type"] == response["content"]["mimeType"]
    assert json.loads(response["content"]["text"])["userName"] == "alice@example.com"
    assert response["content"]["size"] == len(response["content"]["text"].encode())
    assert create["_sourceAddress"].startswith("127.0.0.")
    refused = har["log"]["entries"][4]["response"]
    assert refused["statusText"] == "Bad Request"
    assert "The login name cannot contain /." in refused["content"]["text"]


def test_times_come_from_the_lab_clock(har: dict[str, Any]) -> None:
    """The scenario's clock is frozen at its setup's instant: every request starts then and
    takes no lab time, so two runs of a scenario give the same times."""
    log = har["log"]
    assert {e["startedDateTime"] for e in log["entries"]} == {"2026-03-02T08:30:00.000Z"}
    assert {p["startedDateTime"] for p in log["pages"]} == {"2026-03-02T08:30:00.000Z"}
    assert {e["time"] for e in log["entries"]} == {0}


def test_har_needs_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path), "--har"]) == 2
    assert "--har writes the HAR files beside the HTML report: give --report DIR too" in capsys.readouterr().err
