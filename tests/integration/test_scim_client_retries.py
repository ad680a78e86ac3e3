"""Okta's SCIM client tries a transient failure again: a 5xx for any request, a timeout only
for requests that are safe to repeat (a POST that timed out may have created the user)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lab.server import ServerThread
from okta_sim.provisioning.scim_client import TRANSIENT_BACKOFF, OktaScimClient, ScimFailure

pytestmark = pytest.mark.integration


class Flaky:
    """Answers 503 to the first ``failures`` requests, or holds them past the client's timeout."""

    def __init__(self) -> None:
        self.failures, self.hold, self.seen = 0, 0.0, 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.seen += 1
        failing = self.seen <= self.failures
        if failing and self.hold:
            time.sleep(self.hold)
        status, body = ("503 Service Unavailable", {"detail": "busy"}) if failing else ("200 OK", {"id": "u1"})
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/scim+json"), ("Content-Length", str(len(data)))])
        return [data]


@pytest.fixture
def flaky() -> Iterator[tuple[Flaky, str]]:
    server = Flaky()
    with ServerThread(server) as running:
        yield server, running.url + "/scim/v2"


def client(url: str, waits: list[float], *, timeout: float = 5.0) -> OktaScimClient:
    return OktaScimClient(url, "token", timeout=timeout, transient_retries=1, sleep=waits.append)


def test_a_5xx_is_tried_once_more_after_a_second(flaky: tuple[Flaky, str]) -> None:
    server, url = flaky
    server.failures = 1
    waits: list[float] = []
    with client(url, waits) as scim:
        assert scim.get("u1") == {"id": "u1"}
    assert (server.seen, waits) == (2, [TRANSIENT_BACKOFF])
    server.failures, server.seen = 5, 0
    with client(url, waits) as scim, pytest.raises(ScimFailure) as failed:
        scim.create({"userName": "a"})
    assert (failed.value.status, server.seen) == (503, 2)  # bounded: once more, then the Task


def test_a_timed_out_post_is_not_sent_again(flaky: tuple[Flaky, str]) -> None:
    server, url = flaky
    server.failures, server.hold = 1, 0.5
    waits: list[float] = []
    with client(url, waits, timeout=0.2) as scim, pytest.raises(ScimFailure, match="Read timed out"):
        scim.create({"userName": "a"})
    assert (server.seen, waits) == (1, [])
    server.failures, server.seen = 1, 0
    with client(url, waits, timeout=0.2) as scim:  # a GET is safe to repeat
        assert scim.get("u1") == {"id": "u1"}
    assert server.seen == 2
