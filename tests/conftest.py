"""Shared fixtures: in-process apps with memory stores, and live servers on ephemeral ports."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import cybozu_sim.app
from lab.server import ServerThread
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER

# pytester runs the scenario plugin on scratch folders (tests/integration/test_scenario_runner.py).
pytest_plugins = ["pytester"]

# The repository: docs, scenarios and the broken-scenario corpus are read from here.
ROOT = Path(__file__).resolve().parents[1]
ALL_SERVICES = {"kintone": 10, "garoon": 10, "office": 10, "mailwise": 10, "secure_access": 10}
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CYBOZU = "urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Lab:
    """Calls the lab control API of an in-process app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self.headers = {LAB_KEY_HEADER: app.config["LAB_KEY"]}

    def call(self, method: str, path: str, json: Any = None, expect: int | None = None) -> Any:
        response = self.client.open(f"/_lab{path}", method=method, json=json, headers=self.headers)
        if expect is not None:
            assert response.status_code == expect, response.get_data(as_text=True)
        return response.get_json(silent=True)

    def tenant(
        self, subdomain: str, licenses: dict[str, int] | None = None, propagate: bool = True
    ) -> dict[str, Any]:
        return self.call(
            "POST",
            "/tenants",
            {
                "subdomain": subdomain,
                "licenses": licenses or ALL_SERVICES,
                "propagate_provisioning": propagate,
            },
            expect=201,
        )

    def token(self, subdomain: str, **body: Any) -> str:
        return self.call("POST", f"/tenants/{subdomain}/tokens", body, expect=201)["token"]

    def users(self, subdomain: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/tenants/{subdomain}/users", expect=200)


class Scim:
    """A SCIM client over the in-process app, for one tenant and token."""

    def __init__(self, client: FlaskClient, subdomain: str, token: str) -> None:
        self.client = client
        self.base = f"/{subdomain}/scim/v2"
        self.token = token

    def __call__(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        if body is not None and "data" not in kwargs:
            kwargs["json"] = body
        return self.client.open(self.base + path, method=method, headers=headers, **kwargs)

    def create(self, user_name: str, **extra: Any) -> Any:
        return self("POST", "/Users", okta_user(user_name, **extra))


def okta_user(
    user_name: str, *, external_id: str | None = None, services: dict[str, bool] | None = None, **fields: Any
) -> dict[str, Any]:
    """A create body shaped like Okta's (see notes/okta-scim-client.md)."""
    body: dict[str, Any] = {
        "schemas": [USER, CYBOZU],
        "userName": user_name,
        "name": {"givenName": "Alice", "familyName": "Liddell"},
        "emails": [{"primary": True, "value": "alice@example.com", "type": "work"}],
        "displayName": "Alice Liddell",
        "locale": "en-US",
        "externalId": external_id or f"00u{abs(hash(user_name)) % 10**8}",
        "groups": [],
        "password": "Okta-Random-1!",
        "active": True,
        CYBOZU: services if services is not None else {"kintone": True},
    }
    body.update(fields)
    return body


@pytest.fixture
def clock() -> LabClock:
    return LabClock(frozen_at=NOW)


@pytest.fixture
def app(clock: LabClock) -> Flask:
    return cybozu_sim.app.create_app({"CLOCK": clock, "TESTING": True})


@pytest.fixture
def lab(app: Flask) -> Lab:
    return Lab(app)


@pytest.fixture
def scim(app: Flask, lab: Lab) -> Scim:
    lab.tenant("acme")
    return Scim(app.test_client(), "acme", lab.token("acme", notes="Okta"))


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that refuses connections (bound, never listening) for as long as the test runs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def live(app: Flask) -> Iterator[ServerThread]:
    with ServerThread(app) as server:
        yield server
