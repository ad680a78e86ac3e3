"""Several administrators in the consoles at once, doing conflicting things, on file-backed stores.

Each worker is a browser of its own (cookies, session, CSRF token from the
page) on a real server. Afterwards: no 5xx, each conflict ended as some serial
order of the actions would have ended it, and the files on disk hold exactly
what the running app holds.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from flask import Flask

import okta_sim.app
from cybozu_sim import tokens
from cybozu_sim.backend import get_backend as cybozu_backend
from cybozu_sim.seed import ADMIN_LOGIN as CYBOZU_ADMIN
from cybozu_sim.seed import DEFAULT_ADMIN_PASSWORD as CYBOZU_PASSWORD
from lab.server import ServerThread
from okta_sim import api_tokens, directory_writes
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.seed import ADMIN_LOGIN as OKTA_ADMIN
from okta_sim.seed import DEFAULT_ADMIN_PASSWORD as OKTA_PASSWORD
from simcore.clock import LabClock
from simcore.store import Store
from tests.conftest import NOW
from tests.reliability.conftest import Failures, LiveCybozu, csrf, run_workers

pytestmark = pytest.mark.integration

WORKERS = 4
SHARED = 6  # logins every worker tries to create
EDITS = 4  # saves of the same person per worker
EXPIRES = "2026-12-31"  # after the frozen lab clock (tests.conftest.NOW)


class Browser:
    """One administrator's browser: its own cookie jar, so its own session and CSRF token."""

    def __init__(self, url: str) -> None:
        self.http = httpx2.Client(base_url=url, timeout=30, follow_redirects=False)
        self.statuses: Counter[int] = Counter()

    def get(self, path: str) -> httpx2.Response:
        response = self.http.get(path)
        self.statuses[response.status_code] += 1
        return response

    def post(self, path: str, data: dict[str, Any], form_page: str) -> httpx2.Response:
        token = csrf(self.get(form_page).text)
        response = self.http.post(path, data={"csrf_token": token, **data})
        self.statuses[response.status_code] += 1
        return response

    def close(self) -> None:
        self.http.close()


def in_browsers(
    url: str, login_page: str, credentials: dict[str, str], script: Callable[[int, Browser], None]
) -> Counter[int]:
    """Run ``script`` in WORKERS browsers at once, each signed in with a session of its own;
    return every status code they saw."""
    browsers = [Browser(url) for _ in range(WORKERS)]

    def work(worker: int) -> None:
        browser = browsers[worker]
        signed_in = browser.post(login_page, credentials, form_page=login_page)
        assert signed_in.status_code == 302, signed_in.text
        script(worker, browser)

    try:
        run_workers(WORKERS, work)
    finally:
        for browser in browsers:
            browser.close()
    return sum((b.statuses for b in browsers), Counter())


@pytest.fixture
def live_okta(tmp_path: Path, failures: Failures) -> Iterator[tuple[Flask, ServerThread, Path]]:
    data_file = tmp_path / "okta.json"
    app = okta_sim.app.create_app(
        {"CLOCK": LabClock(frozen_at=NOW), "DATA_FILE": data_file, "ORG_ADMIN": True, "EGRESS_BIND": False}
    )
    failures.watch(app)
    with ServerThread(app) as server:
        yield app, server, data_file


def test_okta_console_conflicts(live_okta: tuple[Flask, ServerThread, Path], failures: Failures) -> None:
    app, server, data_file = live_okta
    backend = okta_backend(app)
    edited = directory_writes.create_user(
        backend,
        {"login": "edited@example.com", "email": "edited@example.com", "firstName": "E", "lastName": "E"},
    )
    shared_token, _ = api_tokens.create_token(backend, "shared")
    saved: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(worker: int, browser: Browser) -> None:
        for n in range(SHARED):  # everyone adds the same people
            login = f"shared{(n + worker) % SHARED}@example.com"
            person = {"login": login, "email": login, "firstName": f"W{worker}", "lastName": "Same"}
            browser.post("/admin/people", person, form_page="/admin/people")
        for n in range(EDITS):  # everyone saves the same person's profile
            first, last = f"F{worker}-{n}", f"L{worker}-{n}"
            page = f"/admin/people/{edited['id']}/profile"  # the Profile tab, after its [Edit]
            profile = {"login": edited["profile"]["login"], "email": edited["profile"]["email"]}
            if browser.post(
                page, {**profile, "firstName": first, "lastName": last}, form_page=page + "?mode=edit"
            ).is_redirect:
                with lock:
                    saved.append((first, last))
        for n in range(2):  # everyone creates tokens, and revokes the same one
            browser.post("/admin/security/api", {"name": f"w{worker}-{n}"}, form_page="/admin/security/api")
        revoke = f"/admin/security/api/tokens/{shared_token['id']}/revoke"
        browser.post(revoke, {}, form_page="/admin/security/api")

    statuses = in_browsers(server.url, "/login", {"username": OKTA_ADMIN, "password": OKTA_PASSWORD}, work)
    assert all(status < 500 for status in statuses), statuses
    assert not failures.errors, failures.errors

    people = reads.list_users(backend)
    logins = Counter(p["profile"]["login"] for p in people)
    assert all(count == 1 for count in logins.values()), logins
    assert {f"shared{n}@example.com" for n in range(SHARED)} <= set(logins)
    final = reads.get_user(backend, edited["id"])["profile"]
    assert (final["firstName"], final["lastName"]) in saved  # one whole save won, not a mix of two
    names = sorted(t["name"] for t in api_tokens.list_tokens(backend))
    assert names == sorted(f"w{w}-{n}" for w in range(WORKERS) for n in range(2))
    assert Store(data_file).snapshot() == backend.store.snapshot()


def test_cybozu_console_conflicts(live_cybozu: LiveCybozu, failures: Failures) -> None:
    lab = live_cybozu.lab
    lab.tenant("acme", propagate=False)
    backend = cybozu_backend(live_cybozu.app)
    toggled, _ = tokens.create_token(backend, "acme", notes="toggled", expires=EXPIRES)
    doomed, _ = tokens.create_token(backend, "acme", notes="doomed", expires=EXPIRES)

    def work(worker: int, browser: Browser) -> None:
        for n in range(SHARED):  # everyone adds the same users
            login = f"shared{(n + worker) % SHARED}"
            browser.post(
                "/acme/admin/users",
                {"login": login, "display": f"W{worker}", "status": "active"},
                form_page="/acme/admin/users",
            )
        page = "/acme/admin/provisioning"
        for n in range(3):  # everyone flips the same switches
            browser.post(page, {"propagate": "enabled" if (worker + n) % 2 else "disabled"}, form_page=page)
            action = "enable" if (worker + n) % 2 else "disable"
            browser.post(f"{page}/tokens/{toggled.id}", {"action": action}, form_page=page)
        browser.post(f"{page}/tokens/{doomed.id}", {"action": "delete"}, form_page=page)
        browser.post(f"{page}/tokens/{doomed.id}", {"action": "disable"}, form_page=page)
        new = f"{page}/tokens/new"
        browser.post(new, {"notes": f"w{worker}", "validity": "1 year"}, form_page=new)

    credentials = {"login": CYBOZU_ADMIN, "password": CYBOZU_PASSWORD}
    statuses = in_browsers(live_cybozu.url, "/acme/login", credentials, work)
    assert all(status < 500 for status in statuses), statuses
    assert not failures.errors, failures.errors

    users = lab.users("acme")
    logins = Counter(u["login"] for u in users)
    assert all(count == 1 for count in logins.values()), logins
    assert {f"shared{n}" for n in range(SHARED)} <= set(logins)
    remaining = tokens.list_tokens(backend, "acme")
    assert doomed.id not in {t.id for t in remaining}  # a late [Disable] does not bring it back
    assert sorted(t.notes for t in remaining) == sorted(["toggled", *(f"w{w}" for w in range(WORKERS))])
    assert Store(live_cybozu.data_file).snapshot() == backend.store.snapshot()
