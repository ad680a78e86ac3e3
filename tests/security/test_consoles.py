"""Both consoles: every page needs a signed-in user, every POST needs the session's CSRF
token (refused with 400 and nothing changed otherwise), and every POST form carries it."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from cybozu_sim import tokens, users
from cybozu_sim.backend import get_backend as cybozu_backend
from okta_sim import api_tokens, apps, directory_writes
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, integration, outcomes
from tests.security.conftest import csrf, cybozu_admin, lab_call, okta_admin

# Reachable without signing in: the landing pages and the sign-in forms.
PUBLIC = {
    "cybozu": {"console.landing", "console.login", "store.login"},
    # /ip_ranges.json is public as Okta's published list is (docs/okta_sim.md, "Egress IP addresses")
    "okta": {"console.sign_in.home", "console.sign_in.login", "console.settings.ip_ranges"},
}


# -- the consoles' data: one of everything, so that every page and form exists ------------


def cybozu_samples(app: Flask) -> dict[str, str]:
    backend = cybozu_backend(app)
    token, _ = tokens.create_token(backend, "example", notes="Okta", expires="2026-12-31")
    user = users.find_user_by_login(backend, "example", "sato")
    assert user is not None
    return {"subdomain": "example", "domain": "example", "token_id": token.id, "user_id": user.id}


def okta_samples(app: Flask) -> dict[str, str]:
    """An app whose pushes fail (nobody listens), so that Tasks has both kinds of form."""
    backend = okta_backend(app)
    app_id = apps.add_app(backend, "cybozu", domain_name="example")["id"]
    record = apps.get_app(backend, app_id)
    record["provisioning"].update(enabled=True, token="t" * 40)
    backend.apps.put(record)
    integration.set_provisioning_to_app(backend, app_id, create=True, update=True, deactivate=True)
    alice = reads.get_user(backend, "alice.smith@example.com")["id"]
    assignments.assign_user(backend, app_id, alice, user_name="alice", profile={"kintone": "Enable"})
    group = next(g for g in reads.list_groups(backend) if g["profile"]["name"] == "cybozu users")
    apps.set_username_format(backend, app_id, "none")
    assignments.assign_group(backend, app_id, group["id"], profile={"kintone": "Enable"})
    token, _ = api_tokens.create_token(backend, "sdk")
    dave = reads.get_user(backend, "dave.brown@example.com")["id"]
    directory_writes.change_status(backend, dave, "deactivate")  # only a deactivated person has [Delete]
    task = outcomes.list_tasks(backend)[0]
    return {
        "user_id": alice,
        "group_id": group["id"],
        "app_id": app_id,
        "key": "cybozu",
        "attribute": "garoon",
        "token_id": token["id"],
        "task_id": task["id"],
    }


APPS = {
    "cybozu": ("cybozu", cybozu_samples, cybozu_admin, "/example/"),
    "okta": ("okta", okta_samples, okta_admin, "/admin/"),
}


@pytest.fixture(params=sorted(APPS))
def console(request: pytest.FixtureRequest) -> tuple[str, Flask, dict[str, str]]:
    name = request.param
    app: Flask = request.getfixturevalue(APPS[name][0])
    return name, app, APPS[name][1](app)


def console_rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.startswith(("console.", "store."))), key=lambda r: r.rule
    )


def path_of(rule: Rule, samples: dict[str, str]) -> str:
    values = {}
    for name, converter in rule._converters.items():
        items = getattr(converter, "items", None)
        values[name] = sorted(items)[0] if items else samples.get(name, "x1")
    built = rule.build(values)
    assert built is not None, rule.rule
    return built[1]


def snapshot(app: Flask) -> Any:
    return lab_call(app, "GET", "/snapshot").get_json()


# -- sign-in --------------------------------------------------------------------------


def test_every_console_page_needs_a_signed_in_user(console: tuple[str, Flask, dict[str, str]]) -> None:
    name, app, samples = console
    anonymous = app.test_client()
    checked = 0
    for rule in console_rules(app):
        if "GET" not in rule.methods or rule.endpoint in PUBLIC[name]:  # type: ignore[operator]
            continue
        answer = anonymous.get(path_of(rule, samples))
        assert answer.status_code in (302, 303, 401), (rule.rule, answer.status_code)
        if answer.status_code != 401:
            assert "/login" in answer.headers["Location"], rule.rule
        checked += 1
    assert checked >= (8 if name == "cybozu" else 25)


# -- CSRF -----------------------------------------------------------------------------


def post_routes(app: Flask) -> list[Rule]:
    return [r for r in console_rules(app) if "POST" in r.methods]  # type: ignore[operator]


def test_every_post_without_the_csrf_token_is_refused_and_changes_nothing(
    console: tuple[str, Flask, dict[str, str]],
) -> None:
    name, app, samples = console
    browser = APPS[name][2](app)
    other = APPS[name][2](app)  # another session's token is no better than none
    wrong = csrf(other.get(APPS[name][3]).get_data(as_text=True))
    before = snapshot(app)
    routes = post_routes(app)
    assert len(routes) >= (6 if name == "cybozu" else 25)
    form = {"name": "x", "login": "x", "password": "x", "action": "delete", "enabled": "on", "allowed": ""}
    for rule in routes:
        path = path_of(rule, samples)
        for client, data in (
            (browser, form),
            (browser, {**form, "csrf_token": wrong}),
            (browser, {**form, "csrf_token": ""}),
            (app.test_client(), form),
        ):
            answer = client.post(path, data=data)
            assert answer.status_code in (400, 403), (rule.rule, answer.status_code)
    assert snapshot(app) == before
    assert browser.get(APPS[name][3]).status_code == 200  # still signed in: nothing was logged out


# -- every POST form carries the token ----------------------------------------------------


class Forms(HTMLParser):
    """The links and the forms (method, action, fields) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        elif tag == "form":
            self.forms.append(
                {
                    "method": (found.get("method") or "get").lower(),
                    "action": found.get("action"),
                    "fields": {},
                }
            )
        elif tag in ("input", "button", "select", "textarea") and self.forms and found.get("name"):
            self.forms[-1]["fields"].setdefault(found["name"], found.get("value"))


def crawl(browser: FlaskClient, start: str) -> dict[str, Forms]:
    """Every console page reachable by links and GET forms from ``start`` (a redirect: no forms)."""
    pages: dict[str, Forms] = {}
    seen: set[str] = set()
    queue = deque([start])
    while queue and len(seen) < 400:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        answer = browser.get(path)
        if answer.status_code in (302, 303):  # e.g. [Provisioning] opens its first section
            pages[path] = Forms()
            queue.append(answer.headers["Location"])
            continue
        if answer.status_code != 200:
            continue
        if not answer.content_type.startswith("text/html"):  # a download (the Store's CSV export)
            pages[path] = Forms()
            continue
        parsed = Forms()
        parsed.feed(answer.get_data(as_text=True))
        pages[path] = parsed
        for form in parsed.forms:
            if form["method"] == "get":  # [Edit], [Assign], ... buttons: open the page they name
                values = {k: v for k, v in form["fields"].items() if v is not None}
                action = form["action"] or urlsplit(path).path
                parsed.links.append(action + (f"?{urlencode(values)}" if values else ""))
        targets = parsed.links
        for target in targets:
            url = urlsplit(urljoin(path, target))
            if url.netloc not in ("", "localhost") or url.path.startswith(("/_lab", "/static", "/api/")):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


def test_every_post_form_of_every_page_carries_the_csrf_token(
    console: tuple[str, Flask, dict[str, str]],
) -> None:
    name, app, _ = console
    browser = APPS[name][2](app)
    pages = crawl(browser, APPS[name][3])
    with browser.session_transaction() as session:
        token = session["csrf"]
    posts = 0
    for path, page in pages.items():
        for form in page.forms:
            if form["method"] == "post":
                posts += 1
                assert form["fields"].get("csrf_token") == token, (path, form["action"])
            else:
                assert "password" not in form["fields"], (path, "a password must not travel in a URL")
    assert posts >= (8 if name == "cybozu" else 30)
    # the crawl reached every page of the console (so every form above was seen)
    visited = {app.url_map.bind("localhost").match(urlsplit(p).path)[0] for p in pages}
    pages_with_get = {
        r.endpoint
        for r in console_rules(app)
        if "GET" in r.methods and r.endpoint not in PUBLIC[name]  # type: ignore[operator]
    }
    assert pages_with_get - visited == set()
