"""Okta's own Python SDK (okta-sdk-python), unchanged, against okta_sim's /api/v1 on a real socket."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from okta.client import Client as OktaClient

import okta_sim.app
from lab.server import ServerThread
from okta_sim import api_tokens, apps, syslog
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import assignments
from simcore.clock import isoformat
from tests.integration.event_loop import run_apart

pytestmark = pytest.mark.integration


def test_the_okta_sdk_reads_users_groups_apps_assignments_and_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The SDK insists on https unless told it is testing; nothing else is configured for the lab.
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    app = okta_sim.app.create_app({"SEED_DEMO": True})
    backend = okta_backend(app)
    _, token = api_tokens.create_token(backend, "sdk")
    cybozu = apps.add_app(backend, "cybozu", domain_name="example")

    async def scenario(url: str) -> None:
        client = OktaClient({"orgUrl": url, "token": token})
        users, _, error = await client.list_users()
        assert error is None
        assert sorted(u.profile.login for u in users) == [
            "alice.smith@example.com", "bob.jones@example.com", "carol.white@example.com", "dave.brown@example.com",
        ]  # fmt: skip
        alice = next(u for u in users if u.profile.login.startswith("alice"))
        user, _, error = await client.get_user(alice.id)
        assert error is None and user.status.value == "ACTIVE"
        groups, _, error = await client.list_groups()
        assert error is None and [g.profile.actual_instance.name for g in groups] == ["cybozu users"]
        assignments.assign_user(backend, cybozu["id"], alice.id, profile={"kintone": "Enable"})
        app_users, _, error = await client.list_application_users(cybozu["id"])
        assert error is None
        assert [(au.credentials.user_name, au.status.value) for au in app_users] == [
            ("alice.smith@example.com", "STAGED")
        ]
        events, _, error = await client.list_log_events()
        assert error is None and any(e.event_type == "application.user_membership.add" for e in events)
        _, _, error = await OktaClient({"orgUrl": url, "token": "00wrong"}).list_users()
        assert "E0000011" in str(error)

    with ServerThread(app) as server:
        run_apart(scenario(server.url))


def test_the_okta_sdk_queries_and_pages_the_system_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """listLogEvents' parameters as the SDK sends them (filter, q, since, until, sortOrder, limit,
    after), the next link's cursor handed back to it, and a filter Okta cannot read."""
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    app = okta_sim.app.create_app({})
    backend = okta_backend(app)
    _, token = api_tokens.create_token(backend, "sdk")
    for login in ("alice@example.com", "bob@example.com", "alice@example.org"):
        target = syslog.target("User", f"00u{login}", login)
        syslog.record(backend, "user.lifecycle.create", f"Create Okta user {login}", targets=[target])
    now = backend.clock.now()
    window = {"since": isoformat(now - timedelta(hours=1)), "until": isoformat(now + timedelta(hours=1))}

    async def scenario(url: str) -> None:
        client = OktaClient({"orgUrl": url, "token": token})
        query = {**window, "filter": 'eventType eq "user.lifecycle.create" and target.type eq "User"'}
        read: list[str] = []
        after = None
        while True:
            events, response, error = await client.list_log_events(
                **query, q="CREATE", sort_order="DESCENDING", limit=1, after=after
            )
            assert error is None and len(events) == 1
            read.append(events[0].target[0].alternate_id)
            following = re.search(r'<([^>]+)>; rel="next"', response.headers["Link"])
            if following is None:
                break
            after = parse_qs(urlsplit(following.group(1)).query)["after"][0]
        assert read == ["alice@example.org", "bob@example.com", "alice@example.com"]
        events, _, error = await client.list_log_events(q="ALICE@example.org create")
        assert error is None and [e.display_message for e in events] == ["Create Okta user alice@example.org"]
        _, _, error = await client.list_log_events(filter='display_message eqq "Create okta user"')
        assert "E0000053" in str(error)

    with ServerThread(app) as server:
        run_apart(scenario(server.url))
