"""Shared by the security tests: both apps in process with the demo data, signed-in consoles."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import cybozu_sim.app
import okta_sim.app
from cybozu_sim import seed as cybozu_seed
from cybozu_sim import tokens
from okta_sim import seed as okta_seed
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER
from tests.conftest import NOW

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def lab_call(app: Flask, method: str, path: str, json: Any = None) -> TestResponse:
    """The lab control API of an in-process app (from the loopback, with the lab key)."""
    return app.test_client().open(
        f"/_lab{path}", method=method, json=json, headers={LAB_KEY_HEADER: app.config["LAB_KEY"]}
    )


@pytest.fixture
def clock() -> LabClock:
    return LabClock(frozen_at=NOW)


@pytest.fixture
def cybozu(tmp_path: Path, clock: LabClock) -> Flask:
    """cybozu_sim with the demo environment ``example`` ("Propagate Provisioning" on), on a
    TinyDB file (the store under test)."""
    app = cybozu_sim.app.create_app(
        {"TESTING": True, "SEED_DEMO": True, "CLOCK": clock, "DATA_FILE": tmp_path / "cybozu.json"}
    )
    answer = lab_call(app, "PUT", "/tenants/example/propagate-provisioning", {"enabled": True})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return app


@pytest.fixture
def okta(tmp_path: Path, clock: LabClock, closed_port: int) -> Flask:
    """okta_sim with the demo org, on a TinyDB file; its SCIM pushes fail at once (nobody listens)."""
    return okta_sim.app.create_app(
        {
            "TESTING": True,
            "SEED_DEMO": True,
            "CLOCK": clock,
            "DATA_FILE": tmp_path / "okta.json",
            "SCIM_URL_TEMPLATE": f"http://127.0.0.1:{closed_port}/{{domain}}/scim/v2",
            "SCIM_TIMEOUT": 2.0,
            "EGRESS_BIND": False,
        }
    )


def cybozu_admin(app: Flask, subdomain: str = cybozu_seed.DEMO_SUBDOMAIN) -> FlaskClient:
    """A browser signed in to the cybozu.com console, and to the cybozu.com Store for the
    domain, as the demo administrator."""
    credentials = {"login": cybozu_seed.ADMIN_LOGIN, "password": cybozu_seed.DEFAULT_ADMIN_PASSWORD}
    client = signed_in(app, f"/{subdomain}/login", credentials)
    token = csrf(client.get("/store/login").get_data(as_text=True))
    answer = client.post("/store/login", data={"csrf_token": token, "domain": subdomain, **credentials})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def okta_admin(app: Flask) -> FlaskClient:
    """A browser signed in to the Okta admin console as the demo administrator."""
    credentials = {"username": okta_seed.ADMIN_LOGIN, "password": okta_seed.DEFAULT_ADMIN_PASSWORD}
    return signed_in(app, "/login", credentials)


def signed_in(app: Flask, login_page: str, credentials: dict[str, str]) -> FlaskClient:
    client = app.test_client()
    token = csrf(client.get(login_page).get_data(as_text=True))
    answer = client.post(login_page, data={"csrf_token": token, **credentials})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


class Secrets:
    """Every secret value the code under test creates."""

    def __init__(self) -> None:
        self.values: list[str] = []

    def check(self, where: str, text: str) -> None:
        leaked = [v for v in self.values if v in text]
        assert not leaked, f"{where} contains {len(leaked)} secret(s)"


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch) -> Secrets:
    """Record cybozu API tokens, Okta SSWS tokens, provisioned passwords, lab keys and CSRF
    tokens (the last four come from secrets.token_urlsafe)."""
    found = Secrets()
    real_urlsafe = secrets.token_urlsafe
    real_create = tokens.create_token

    def urlsafe(nbytes: int | None = None) -> str:
        value = real_urlsafe(nbytes)
        if len(value) >= 16:
            found.values.append(value)
        return value

    def create_token(*args: Any, **kwargs: Any) -> Any:
        token, value = real_create(*args, **kwargs)
        found.values.append(value)
        return token, value

    monkeypatch.setattr(secrets, "token_urlsafe", urlsafe)
    monkeypatch.setattr(tokens, "create_token", create_token)
    return found
