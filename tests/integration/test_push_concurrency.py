"""A push on the wire does not hold okta_sim's store: a slow cybozu.com freezes nothing else."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import okta_sim.app
from cybozu_sim.public import scim_url_template
from lab.server import ServerThread
from okta_sim import apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import assignments, integration, queue, records


class SlowCybozu:
    """A SCIM server that holds every POST /Users until the test releases it."""

    def __init__(self) -> None:
        self.received = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        if method == "POST" and path.endswith("/Users"):
            self.received.set()
            self.release.wait(30)
            body: dict[str, Any] = {"id": "remote-1", "userName": "alice@example.com", "active": True}
            status = "201 Created"
        else:  # [Test API Credentials] and Okta's lookup: nobody there yet
            body, status = {"Resources": [], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0}, "200 OK"
        data = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/scim+json"), ("Content-Length", str(len(data)))]
        )
        return [data]


@pytest.fixture
def slow(request: pytest.FixtureRequest) -> Iterator[tuple[SlowCybozu, OktaBackend]]:
    cybozu = SlowCybozu()
    with ServerThread(cybozu) as server:
        config = {"SCIM_URL_TEMPLATE": scim_url_template(server.url), "PUSH_MODE": request.param}
        okta = okta_backend(okta_sim.app.create_app(config))
        yield cybozu, okta
        cybozu.release.set()


def connected(okta: OktaBackend) -> tuple[dict[str, Any], dict[str, Any]]:
    """The app with provisioning on, and Alice to assign."""
    app = apps.add_app(okta, "cybozu", domain_name="example")
    integration.configure_api_integration(okta, app["id"], enabled=True, token="token")
    integration.set_provisioning_to_app(okta, app["id"], create=True, update=True, deactivate=True)
    alice = directory_writes.create_user(
        okta, {"login": "alice@example.com", "email": "alice@example.com", "firstName": "A", "lastName": "S"}
    )
    return app, alice


@pytest.mark.parametrize("slow", ["queued"], indirect=True)
def test_a_queued_push_returns_at_once_and_lands_when_cybozu_answers(slow: tuple[SlowCybozu, OktaBackend]) -> None:
    cybozu, okta = slow
    app, alice = connected(okta)
    assigned = assignments.assign_user(okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assert (assigned["status"], assigned["externalId"]) == ("STAGED", None)  # returned before the push
    assert cybozu.received.wait(30), "the queued push never reached cybozu.com"
    assert okta.jobs.pending(assigned["key"]) and not queue.settle(okta, 0.1)
    directory_writes.create_user(  # the rest of Okta answers while the worker waits on cybozu.com
        okta, {"login": "bob@example.com", "email": "bob@example.com", "firstName": "B", "lastName": "J"}
    )
    cybozu.release.set()
    assert queue.settle(okta, 30)
    app_user = records.get_app_user(okta, app["id"], alice["id"])
    assert (app_user["externalId"], app_user["syncState"]) == ("remote-1", "SYNCHRONIZED")
    assert not okta.jobs.pending(assigned["key"]) and len(okta.jobs.jobs) == 0


@pytest.mark.parametrize("slow", ["inline"], indirect=True)
def test_okta_answers_while_a_push_waits_for_cybozu(slow: tuple[SlowCybozu, OktaBackend]) -> None:
    cybozu, okta = slow
    app, alice = connected(okta)
    pushing = threading.Thread(
        target=assignments.assign_user,
        args=(okta, app["id"], alice["id"]),
        kwargs={"profile": {"kintone": "Enable"}},
    )
    pushing.start()
    assert cybozu.received.wait(30), "the push never reached cybozu.com"

    answered: list[Any] = []
    reader = threading.Thread(
        target=lambda: answered.append(
            directory_writes.create_user(
                okta,
                {"login": "bob@example.com", "email": "bob@example.com", "firstName": "B", "lastName": "J"},
            )
        )
    )
    reader.start()
    reader.join(30)
    in_flight = pushing.is_alive()
    cybozu.release.set()
    pushing.join(30)

    assert answered and in_flight  # Bob was created while Alice's POST was still waiting
    app_user = records.get_app_user(okta, app["id"], alice["id"])
    assert (app_user["externalId"], app_user["syncState"]) == ("remote-1", "SYNCHRONIZED")
