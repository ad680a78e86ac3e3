"""`okta_unassigned` and Okta's API agree on a person whose deactivation failed (issue 17): the
assignment is gone (404) while the task waits, and the lab's expectation says the same."""

from __future__ import annotations

import pytest

from lab.drivers.api import ApiDriver
from lab.drivers.client import ActionError, LabClient
from lab.replay import expectations
from lab.replay.sandbox import Sandbox
from lab.scenario.setup import Setup

ALICE = "alice.smith@example.com"


def test_a_failed_deactivation_is_unassigned_in_the_api_and_in_expectations() -> None:
    with Sandbox() as lab:
        client = LabClient(lab)
        driver = ApiDriver(client)
        try:
            driver.setup(
                Setup().load(
                    {
                        "cybozu": {"tenants": [{"subdomain": "example", "licenses": {"kintone": 5}}]},
                        "okta": {"people": [{"login": ALICE, "first_name": "Alice", "last_name": "Smith"}]},
                    }
                )
            )
            driver.do("lab.connect")
            driver.do("okta.assign_people", user=ALICE, services=["kintone"])
            client.settle()
            driver.do("lab.fault", kind="server_error", status=503, method="PATCH")
            driver.do("okta.unassign", user=ALICE)
            client.settle()
            app, user = client.app(None), client.user_id(ALICE)
            with pytest.raises(ActionError, match=rf"Not found: Resource not found: {user} \(AppUser\)"):
                client.okta("GET", f"/apps/{app}/users/{user}")
            assert client.okta_pages(f"/apps/{app}/users") == []
            assert [t["status"] for t in client.tasks()] == ["OPEN"]
            assert (
                expectations.check({"okta_unassigned": [ALICE], "okta_app_user_count": 0}, client, None, [])
                == []
            )
            assert expectations.check({"okta_app_users": [{"user": ALICE}]}, client, None, []) == [
                f"Okta app user {ALICE!r}: expected an assignment, found none (it was unassigned; "
                "its deactivation in the app waits in an open task)"
            ]
        finally:
            driver.close()
