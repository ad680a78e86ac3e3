"""The HAR export (`lab run --report DIR --har`) holds no secret: not the Authorization header,
not the password Okta provisions, and not a token the scenario created even where the scenario
itself put it into what Okta sends (a person's login and name: a URL's query and both bodies)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lab.cli import main
from lab.replay import har, masking
from tests.security.conftest import Secrets

SCENARIO = """
name: A token the scenario created turns up in what Okta sends
setup:
  cybozu:
    tenants:
      - subdomain: example
        licenses: {kintone: 5}
steps:
  - lab.connect: {}
    save: {token: token}
  - okta.add_person: {login: "${token}@example.com", first_name: "${token}", last_name: Smith}
  - okta.assign_people: {user: "${token}@example.com", services: [kintone]}
    expect:
      cybozu_users: [{login: "${token}@example.com", given: "${token}"}]
"""


def test_no_secret_of_the_run_is_anywhere_in_its_har_or_report(
    tmp_path: Path, created: Secrets, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "leak.yaml"
    scenario.write_text(textwrap.dedent(SCENARIO).lstrip())
    report = tmp_path / "report"
    assert main(["run", str(scenario), "--report", str(report), "--har", "--junit", str(tmp_path / "j.xml")]) == 0
    console = capsys.readouterr()
    path = report / "artifacts" / "leak" / har.FILE_NAME
    text = path.read_text(encoding="utf-8")
    log = json.loads(text)["log"]
    # the run handled secrets: the cybozu API token, the password Okta provisioned, lab keys
    assert len(created.values) >= 3
    # and the token really was in what Okta sent: masked in the lookup's URL and in both bodies
    lookup, create = log["entries"][1:3]
    assert "%22********%40example.com%22" in lookup["request"]["url"]
    assert {"name": "filter", "value": 'userName eq "********@example.com"'} in lookup["request"]["queryString"]
    assert json.loads(create["request"]["postData"]["text"])["name"]["givenName"] == masking.MASK
    assert json.loads(create["request"]["postData"]["text"])["password"] == masking.MASK
    assert json.loads(create["response"]["content"]["text"])["userName"] == "********@example.com"
    assert {"name": "Authorization", "value": "Bearer ********"} in create["request"]["headers"]
    created.check(f"the HAR {path.name}", text)
    for produced in sorted(p for p in tmp_path.rglob("*") if p.is_file() and p != scenario):
        created.check(str(produced.relative_to(tmp_path)), produced.read_text(errors="replace"))
    created.check("the console", console.out + console.err)


def test_a_secret_by_name_is_masked_in_urls_and_bodies_whatever_filled_the_log() -> None:
    """Defence in depth: an exchange that arrives unmasked (another source of the log)."""
    token, password, cookie = "T" * 40, "Pw-" + "x" * 12, "session=abc123def456"
    exchange = {
        "method": "POST",
        "path": "/Users",
        "url": f"http://127.0.0.1:1/example/scim/v2/Users?token={token}&count=1",
        "status": 201,
        "headers": {"Authorization": f"Bearer {token}", "Cookie": cookie, "Accept": "application/scim+json"},
        "request": {"userName": "alice", "password": password},
        "response": {"id": "1", "secret": password},
        "response_headers": {"Set-Cookie": cookie, "Content-Type": "application/scim+json"},
        "started": "2026-01-05T09:00:00.000Z",
        "elapsed_ms": 0,
    }
    entry = har.entry(exchange, "step-1", exchange["started"])
    text = json.dumps(entry)
    for secret in (token, password, cookie):
        assert secret not in text
    assert entry["request"]["url"].endswith("?token=********&count=1")
    assert {"name": "Cookie", "value": masking.MASK} in entry["request"]["headers"]
    assert {"name": "Set-Cookie", "value": masking.MASK} in entry["response"]["headers"]
    assert json.loads(entry["request"]["postData"]["text"]) == {"userName": "alice", "password": masking.MASK}
