"""One Okta org per trainee (issue 16): nothing of one org reaches another's data.

Every console route and every /api/v1 route of an org is tried on another org with the
first org's session cookie (sent where the browser would not send it: an attacker's
replay), its API token, and the first org's object ids under the second org's own
session: all refused, and neither org's store changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import okta_sim.app
from okta_sim import api_tokens, apps, directory_writes
from okta_sim.backend import get_backend
from okta_sim.orgs import egress_pools, get_host
from okta_sim.seed import ADMIN_LOGIN
from tests.security.conftest import csrf, lab_call

PASSWORDS = {"a": "password-of-a", "b": "password-of-b"}
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@pytest.fixture
def root() -> Iterator[Flask]:
    app = okta_sim.app.create_app({"SEED_DEMO": True, "EGRESS_BIND": False, "PUSH_MODE": "inline"})
    for name, password in PASSWORDS.items():
        assert lab_call(app, "POST", "/orgs", {"name": name, "admin_password": password}).status_code == 201
    yield app


def org_app(root: Flask, name: str) -> Flask:
    return get_host(root).get(name).app


def signed_in(root: Flask, name: str) -> FlaskClient:
    client = root.test_client()
    page = client.get(f"/orgs/{name}/login").text
    answer = client.post(
        f"/orgs/{name}/login",
        data={"username": ADMIN_LOGIN, "password": PASSWORDS[name], "csrf_token": csrf(page)},
    )
    assert answer.status_code == 302, "the org's own administrator signs in with its own password"
    return client


def seeded(app: Flask) -> dict[str, str]:
    """An org with one of everything a URL can name; the ids, by the URL parameter's name."""
    backend = get_backend(app)
    person = directory_writes.create_user(
        backend, {"login": "p@example.com", "email": "p@example.com", "firstName": "P", "lastName": "Q"}
    )
    group = directory_writes.create_group(backend, "team", "")
    app_doc = apps.add_app(backend, "cybozu", domain_name="example")
    token, _ = api_tokens.create_token(backend, "t")
    return {
        "user_id": person["id"], "id": person["id"], "userId": person["id"], "group_id": group["id"],
        "groupId": group["id"], "app_id": app_doc["id"], "appId": app_doc["id"], "token_id": token["id"],
        "tokenId": token["id"], "attribute": "garoon", "action": "suspend", "kind": "people",
        "task_id": "nothing", "name": "garoon", "login": "p@example.com", "ssws": _,
    }  # fmt: skip


def routes(app: Flask, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(method, path) of every console and /api/v1 route, its parameters filled from ``ids``."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/_lab") or rule.rule.startswith("/openapi"):
            continue
        path = PARAM.sub(lambda m: ids.get(m.group(1), "x"), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


def test_an_org_has_its_own_administrator_password_and_egress_addresses(root: Flask) -> None:
    client = root.test_client()
    page = client.get("/orgs/b/login").text
    wrong = client.post(
        "/orgs/b/login", data={"username": ADMIN_LOGIN, "password": PASSWORDS["a"], "csrf_token": csrf(page)}
    )
    assert wrong.status_code == 200 and "/orgs/b/admin" not in wrong.headers.get("Location", "")
    assert [get_backend(org_app(root, n)).egress.pools for n in "ab"] == [egress_pools(1), egress_pools(2)]
    assert not set(egress_pools(1)[0]) & {a for pool in get_backend(root).egress.pools for a in pool}


def test_another_orgs_session_token_and_ids_are_refused_everywhere(root: Flask) -> None:
    a, b = org_app(root, "a"), org_app(root, "b")
    ids_a, ids_b = seeded(a), seeded(b)
    session_a = signed_in(root, "a")
    cookie_a = session_a.get_cookie("okta_session_a", path="/orgs/a/")
    assert cookie_a is not None
    attacker = root.test_client()
    # The replayed cookie under b's own cookie name and path: b's secret does not sign it.
    attacker.set_cookie("okta_session_b", cookie_a.value, path="/orgs/b/")
    session_b = signed_in(root, "b")
    before = {name: get_backend(app).snapshot() for name, app in (("a", a), ("b", b))}
    checked = 0
    for method, path in routes(a, ids_a):
        # a's session and a's token on b: b's console sends to its sign-in, /api/v1 answers 401
        answer = attacker.open(f"/orgs/b{path}", method=method, data={"csrf_token": "x"})
        if path.startswith("/admin"):
            assert answer.status_code in (302, 400), (method, path, answer.status_code)
            assert answer.status_code == 400 or "/orgs/b/login" in answer.headers["Location"], (method, path)
        token = root.test_client().open(
            f"/orgs/b{path}", method=method, json={}, headers={"Authorization": f"SSWS {ids_a['ssws']}"}
        )
        if path.startswith("/api/v1"):
            assert token.status_code == 401, (method, path, token.status_code)
        # b's own session (or token), naming a's objects: none of them exists in b
        if any(ids_a[key] in path for key in ("user_id", "group_id", "app_id", "token_id")):
            if path.startswith("/api/v1"):
                headers = {"Authorization": f"SSWS {ids_b['ssws']}"}
                own = root.test_client().open(f"/orgs/b{path}", method=method, json={}, headers=headers)
            else:
                own = session_b.open(f"/orgs/b{path}", method=method, data={"csrf_token": "x"})
            assert own.status_code in (400, 404), (method, path, own.status_code)
        checked += 1
    assert checked > 60  # every route family: people, groups, apps, tokens, tasks, logs...
    assert get_backend(a).snapshot() == before["a"]
    after_b = get_backend(b).snapshot()
    for state in (after_b, before["b"]):  # b's own token was used, by b's own requests
        state["api_tokens"] = {k: {**t, "lastUsed": None} for k, t in state["api_tokens"].items()}
    assert after_b == before["b"]
    assert ids_b["user_id"] != ids_a["user_id"]


def test_orgs_come_back_after_a_restart_and_a_deleted_org_is_gone(tmp_path: Any) -> None:
    config = {"ORGS_DIR": tmp_path / "orgs", "DATA_FILE": tmp_path / "okta.json", "EGRESS_BIND": False}
    first = okta_sim.app.create_app({**config, "SECRET_KEY": "s", "LAB_KEY": "k"})
    for name in ("t1", "t2"):
        assert lab_call(first, "POST", "/orgs", {"name": name, "admin_password": "password-1"}).status_code == 201
    seeded(org_app(first, "t1"))
    assert lab_call(first, "DELETE", "/orgs/t2").status_code == 204
    again = okta_sim.app.create_app({**config, "SECRET_KEY": "s", "LAB_KEY": "k"})
    assert [o["name"] for o in lab_call(again, "GET", "/orgs").json] == ["t1"]
    assert get_backend(org_app(again, "t1")).users.lookup("p@example.com") is not None
    assert not (tmp_path / "orgs" / "t2.json").exists()
    recreated = lab_call(again, "POST", "/orgs", {"name": "t2", "admin_password": "password-2"})
    assert recreated.status_code == 201 and get_backend(org_app(again, "t2")).users.all() == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "Bad Name", "admin_password": "password-1"}, "An org name is 1 to 32 lowercase"),
        ({"name": "ok", "admin_password": "short"}, "at least 8 characters"),
        ({"name": "a", "admin_password": "password-1"}, "The org 'a' already exists."),
        ({"name": "ok", "admin_password": "password-1", "colour": "red"}, "unknown field(s): colour"),
    ],
)
def test_a_bad_org_request_is_refused_with_its_reason(root: Flask, body: dict[str, Any], message: str) -> None:
    answer = lab_call(root, "POST", "/orgs", body)
    assert answer.status_code == 400 and message in answer.json["error"]
    assert sorted(get_host(root).orgs) == ["a", "b"]


def test_every_link_and_form_of_an_orgs_console_stays_in_the_org(root: Flask) -> None:
    """A form posting to request.path (without the org's prefix) would reach the lab's own org."""
    ids = seeded(org_app(root, "a"))
    client = signed_in(root, "a")
    pages = [
        "/admin/", "/admin/people", f"/admin/people/{ids['user_id']}", f"/admin/people/{ids['user_id']}/profile?mode=edit",
        f"/admin/people/{ids['user_id']}/deactivate", "/admin/groups", f"/admin/groups/{ids['group_id']}",
        "/admin/apps", f"/admin/apps/{ids['app_id']}/general?mode=edit", f"/admin/apps/{ids['app_id']}/assignments?menu=assign",
        f"/admin/apps/{ids['app_id']}/assign/people", f"/admin/apps/{ids['app_id']}/provisioning/integration?mode=edit",
        f"/admin/apps/{ids['app_id']}/provisioning/to-app?mode=edit", "/admin/tasks", "/admin/reports/system-log",
        "/admin/security/api", "/admin/settings/account",
    ]  # fmt: skip
    for page in pages:
        answer = client.get(f"/orgs/a{page}")
        assert answer.status_code == 200, (page, answer.status_code)
        targets = re.findall(r'(?:href|action|src)="(/[^"]*)"', answer.text)
        assert targets, page
        strays = [t for t in targets if not t.startswith("/orgs/a/")]
        assert not strays, (page, strays)


def test_signing_in_to_an_org_goes_back_to_the_orgs_page_asked_for(root: Flask) -> None:
    client = root.test_client()
    asked = client.get("/orgs/a/admin/people")
    assert asked.headers["Location"].startswith("/orgs/a/login?next=/admin/people")
    page = client.get(asked.headers["Location"]).text
    answer = client.post(
        asked.headers["Location"],
        data={"username": ADMIN_LOGIN, "password": PASSWORDS["a"], "csrf_token": csrf(page)},
    )
    assert answer.headers["Location"] == "/orgs/a/admin/people"
