"""Live apps with file-backed stores, and what the reliability tests share: workers, HTTP clients, errors.

Every server here is a real Werkzeug threaded server on 127.0.0.1 and an ephemeral
port, and every store is a file store in the test's tmp_path, so concurrent
requests exercise the lock, the journal and the sockets together.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
from flask import Flask, got_request_exception

import cybozu_sim.app
from lab.server import ServerThread
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER
from tests.conftest import NOW, Lab

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Failures:
    """Exceptions raised inside the apps' request handlers (Flask logs them and answers 500)
    or that ended any thread (a server's, a worker's) while the test ran."""

    errors: list[BaseException] = field(default_factory=list)

    def watch(self, app: Flask) -> None:
        def record(sender: Flask, exception: BaseException, **extra: Any) -> None:
            self.errors.append(exception)

        got_request_exception.connect(record, app, weak=False)


@dataclass
class LiveCybozu:
    app: Flask
    server: ServerThread
    lab: Lab
    data_file: Path

    @property
    def url(self) -> str:
        return self.server.url

    def lab_headers(self) -> dict[str, str]:
        return {LAB_KEY_HEADER: self.app.config["LAB_KEY"]}


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> Failures:
    found = Failures()
    default_hook = threading.excepthook

    def record(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            found.errors.append(args.exc_value)
        default_hook(args)

    monkeypatch.setattr(threading, "excepthook", record)
    return found


@pytest.fixture
def live_cybozu(tmp_path: Path, failures: Failures) -> Iterator[LiveCybozu]:
    data_file = tmp_path / "cybozu.json"
    app = cybozu_sim.app.create_app({"CLOCK": LabClock(frozen_at=NOW), "DATA_FILE": data_file})
    failures.watch(app)
    with ServerThread(app) as server:
        yield LiveCybozu(app, server, Lab(app), data_file)


def run_workers(count: int, work: Callable[[int], None], timeout: float = 120.0) -> None:
    """Run ``work(n)`` in ``count`` threads started together; re-raise the first failure here."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as error:  # noqa: BLE001 - handed back to the test thread
            errors.append(error)

    threads = [threading.Thread(target=body, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"
    if errors:
        raise errors[0]


def scim_client(live: LiveCybozu, subdomain: str, token: str) -> httpx2.Client:
    return httpx2.Client(
        base_url=f"{live.url}/{subdomain}/scim/v2",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/scim+json"},
        timeout=30.0,
    )


def scim_user(user_name: str, **fields: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Alice", "familyName": "Liddell"},
        "emails": [{"primary": True, "value": "alice@example.com", "type": "work"}],
        "displayName": "Alice Liddell",
        "active": True,
        **fields,
    }


def list_scim_users(client: httpx2.Client, page: int = 100) -> list[dict[str, Any]]:
    """Every user of the tenant through GET /Users, page by page."""
    found: list[dict[str, Any]] = []
    while True:
        response = client.get("/Users", params={"startIndex": len(found) + 1, "count": page})
        assert response.status_code == 200, response.text
        body = response.json()
        assert LIST_RESPONSE in body["schemas"]
        resources = body.get("Resources") or []
        found.extend(resources)
        if not resources or len(found) >= body["totalResults"]:
            return found


def csrf(page: str) -> str:
    match = CSRF.search(page)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)
