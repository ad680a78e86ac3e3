"""Trainees of one class cannot reach each other (issue 16), over real sockets.

With two and with twenty trainees at once, each trainee, signed in to their own Okta org and
cybozu.com environment and holding their own run link, API tokens and SCIM token, tries the
next trainee's: every cybozu.com console and Store route, the Okta console and /api/v1, the
SCIM endpoint, and the training pages. All refused, and the other trainee's org and
environment are exactly as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest

from lab.replay.sandbox import Sandbox
from lab.server import ServerThread
from lab.training import classroom, exercises
from lab.training.runs import Run, Trainer
from lab.training.web import create_app
from simcore.control import LAB_KEY_HEADER

HTTP = httpx2.Client()  # one client for the calls of nobody in particular (one TLS setup, not hundreds)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass
class Trainee:
    run: Run
    okta: httpx2.Client  # signed in to their own org's console
    cybozu: httpx2.Client  # signed in to their own environment and its Store
    okta_token: str
    scim_token: str


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[Sandbox, Trainer, str]]:
    with Sandbox() as sandbox:
        trainer = Trainer(sandbox, exercises.load_all())
        with ServerThread(create_app(trainer)) as pages:
            yield sandbox, trainer, pages.url
        trainer.close()


def sign_in(client: httpx2.Client, url: str, form: dict[str, str]) -> None:
    token = CSRF.search(client.get(url).text)
    answer = client.post(url, data={**form, "csrf_token": token.group(1) if token else ""})
    assert answer.status_code in (302, 303), (url, answer.status_code)


def trainee(sandbox: Sandbox, run: Run) -> Trainee:
    urls = run.urls(sandbox.urls)
    okta, cybozu = httpx2.Client(), httpx2.Client()
    sign_in(okta, f"{urls['okta']}/login", {"username": "admin@example.com", "password": run.okta_password})
    sign_in(cybozu, f"{urls['cybozu']}/login", {"login": "Administrator", "password": run.cybozu_password})
    sign_in(cybozu, f"{sandbox.urls['cybozu']}/store/login",
            {"domain": run.subdomain, "login": "Administrator", "password": run.cybozu_password})  # fmt: skip
    lab_key = {LAB_KEY_HEADER: sandbox.lab_key}
    okta_token = HTTP.post(f"{urls['okta']}/_lab/api-tokens", json={"name": "mine"}, headers=lab_key).json()["token"]
    scim = HTTP.post(f"{sandbox.urls['cybozu']}/_lab/tenants/{run.subdomain}/tokens", json={"notes": "mine"}, headers=lab_key)
    return Trainee(run, okta, cybozu, okta_token, scim.json()["token"])


def state(sandbox: Sandbox, run: Run) -> tuple[Any, Any]:
    """The run's whole org and environment, as the lab sees them."""
    lab_key = {LAB_KEY_HEADER: sandbox.lab_key}
    org = HTTP.get(f"{run.urls(sandbox.urls)['okta']}/_lab/snapshot", headers=lab_key).json()
    for token in org.get("api_tokens", {}).values():
        token["lastUsed"] = None  # the run's own token is used by its own reads
    # A refused sign-in is logged by the org it was tried on, as Okta does: that is all it changes.
    org["logs"] = {
        k: e for k, e in org.get("logs", {}).items()
        if not (e["eventType"] == "user.session.start" and e["outcome"]["result"] == "FAILURE")
    }  # fmt: skip
    tenant = HTTP.get(f"{sandbox.urls['cybozu']}/_lab/tenants/{run.subdomain}", headers=lab_key).json()
    return org, tenant


def cybozu_routes(sandbox: Sandbox, subdomain: str) -> list[tuple[str, str]]:
    """Every console and Store route of an environment, its parameters filled with nonsense ids."""
    found = []
    for rule in sandbox.cybozu.app.url_map.iter_rules():
        if not ("<subdomain>" in rule.rule or "<domain>" in rule.rule) or "/scim/" in rule.rule:
            continue
        if rule.endpoint.endswith(("login", "logout")):  # public: anyone may try to sign in
            continue
        path = PARAM.sub(lambda m: subdomain if m.group(1) in ("subdomain", "domain") else "x", rule.rule)
        found += [(method, path) for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return found


OKTA_ROUTES = [
    ("GET", "/admin/"), ("GET", "/admin/people"), ("POST", "/admin/people"), ("GET", "/admin/apps"),
    ("GET", "/admin/tasks"), ("GET", "/admin/reports/system-log"), ("GET", "/admin/security/api"),
    ("POST", "/admin/security/api"), ("GET", "/admin/settings/account"),
]  # fmt: skip
API_ROUTES = [("GET", "/users"), ("POST", "/users"), ("GET", "/apps"), ("GET", "/groups"), ("GET", "/logs")]


@pytest.mark.parametrize("size", [2, 20])
def test_no_trainee_reaches_another_trainees_org_environment_or_run(
    lab: tuple[Sandbox, Trainer, str], size: int
) -> None:
    sandbox, trainer, pages = lab
    runs = classroom.create_class(trainer, "exercise-setup-from-scratch", size, prefix=f"Class of {size}")
    people = [trainee(sandbox, run) for run in runs]
    before = [state(sandbox, run) for run in runs]
    try:
        for index, me in enumerate(people):
            other = runs[(index + 1) % size]
            theirs = other.urls(sandbox.urls)
            for method, path in cybozu_routes(sandbox, other.subdomain):
                answer = me.cybozu.request(method, sandbox.urls["cybozu"] + path, data={"csrf_token": "x"})
                assert answer.status_code in (302, 400, 403, 404), (method, path, answer.status_code)
                if answer.status_code == 302:
                    assert "login" in answer.headers["Location"], (method, path)
            # My passwords open nothing of theirs (issue 16: every environment had one password).
            for url, form in (
                (f"{theirs['cybozu']}/login", {"login": "Administrator", "password": me.run.cybozu_password}),
                (f"{theirs['okta']}/login", {"username": "admin@example.com", "password": me.run.okta_password}),
                (f"{sandbox.urls['cybozu']}/store/login",
                 {"domain": other.subdomain, "login": "Administrator", "password": me.run.cybozu_password}),
            ):  # fmt: skip
                with httpx2.Client() as stranger:
                    token = CSRF.search(stranger.get(url).text)
                    tried = stranger.post(url, data={**form, "csrf_token": token.group(1) if token else ""})
                    assert tried.status_code == 200, (url, tried.status_code)  # the form again, refused
            scim = HTTP.get(f"{theirs['cybozu']}/scim/v2/Users", headers={"Authorization": f"Bearer {me.scim_token}"})
            assert scim.status_code == 401
            for method, path in OKTA_ROUTES:
                answer = me.okta.request(method, theirs["okta"] + path, data={"csrf_token": "x"})
                assert answer.status_code in (302, 400), (method, path, answer.status_code)
                assert answer.status_code == 400 or "/login" in answer.headers["Location"]
            for method, path in API_ROUTES:
                api = HTTP.request(method, f"{theirs['okta']}/api/v1{path}", json={},
                                     headers={"Authorization": f"SSWS {me.okta_token}"})  # fmt: skip
                assert api.status_code == 401, (method, path, api.status_code)
            for method, path in (("GET", ""), ("GET", "/progress.json"), ("POST", "/reset")):
                url = f"{pages}/runs/{other.id}{path}"
                answer = HTTP.request(method, url, params={"key": me.run.key}, data={"key": me.run.key})
                assert answer.status_code == 404 and other.okta_password not in answer.text
        assert [state(sandbox, run) for run in runs] == before
        assert [trainer.run(run.id).resets for run in runs] == [0] * size
    finally:
        for person in people:
            person.okta.close()
            person.cybozu.close()
        for run in runs:
            trainer.delete(run.id)
