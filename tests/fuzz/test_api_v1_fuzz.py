"""Property-based fuzzing of okta_sim's /api/v1 through the in-process Flask test client.

Whatever a client sends — random JSON, wrong types at every field, raw bytes,
odd Content-Types, garbage query parameters and path ids, broken
Authorization headers, lifecycle calls in any order — the answer is never a
5xx; every 4xx is Okta's error JSON with the status its errorCode belongs to;
a success has the documented shape; and a refused request wrote nothing.

Bounded and deterministic (``derandomize=True``, no example database) so it
runs in CI in well under a minute on a small machine.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse

import okta_sim.app
from lab.server import ServerThread
from okta_sim import api_tokens, apps, syslog
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER
from tests.conftest import NOW

PREFIX = "/api/v1"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
ERROR_KEYS = {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}
ERROR_ID = re.compile(r"^oae[A-Za-z0-9]{22}$")
# The statuses each Okta errorCode answers with (docs/okta_sim.md, /api/v1).
CODE_STATUS = {
    "E0000001": {400, 413},  # validation; 413: the body is over MAX_CONTENT_LENGTH
    "E0000003": {400},
    "E0000006": {403},
    "E0000007": {404},
    "E0000011": {401},
    "E0000022": {405},
    "E0000031": {400},
    "E0000053": {400},  # the System Log: a filter it cannot read, a since over 180 days old
    "E0000056": {403},  # deleting an app that is still active
    "E0000016": {403},  # activating an active person
    "E0000032": {403},  # unlocking a person who is not locked out
    "E0000038": {403},  # a lifecycle operation their status does not allow
    "E0000047": {429},
}
USER_KEYS = {
    "id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
    "passwordChanged", "type", "profile", "credentials", "_links",
}  # fmt: skip
GROUP_KEYS = {
    "id",
    "created",
    "lastUpdated",
    "lastMembershipUpdated",
    "objectClass",
    "type",
    "profile",
    "_links",
}
STATUSES = {"STAGED", "ACTIVE", "PROVISIONED", "SUSPENDED", "DEPROVISIONED"}
LIFECYCLE_ACTIONS = [
    "activate", "deactivate", "reactivate", "suspend", "unsuspend",
    "reset_password", "expire_password", "unlock", "explode",
]  # fmt: skip


# -- what a success looks like, per endpoint ----------------------------------


def user_shape(body: Any) -> None:
    assert set(body) == USER_KEYS and body["id"].startswith("00u") and body["status"] in STATUSES
    assert isinstance(body["profile"], dict) and isinstance(body["profile"]["login"], str)
    assert body["_links"]["self"]["href"].endswith(f"/api/v1/users/{body['id']}")


def group_shape(body: Any) -> None:
    assert set(body) == GROUP_KEYS and body["id"].startswith("00g") and body["type"] == "OKTA_GROUP"
    assert set(body["profile"]) == {"name", "description"} and isinstance(body["profile"]["name"], str)


def app_shape(body: Any) -> None:
    assert body["id"].startswith("0oa") and body["name"] == "cybozu" and isinstance(body["label"], str)
    assert set(body["credentials"]["userNameTemplate"]) == {"template", "type", "pushStatus"}
    assert isinstance(body["settings"]["app"]["domainName"], str) and isinstance(body["features"], list)
    assert "token" not in json.dumps(body)


def connection_shape(body: Any) -> None:
    assert body["authScheme"] == "TOKEN" and body["status"] in ("ENABLED", "DISABLED")


def feature_shape(body: Any) -> None:
    assert body["name"] == "USER_PROVISIONING" and body["status"] in ("ENABLED", "DISABLED")
    assert set(body["capabilities"]) == {"create", "update"}


def schema_shape(body: Any) -> None:
    assert body["name"] == "cybozu" and "userName" in body["definitions"]["base"]["properties"]
    assert isinstance(body["definitions"]["custom"]["properties"], dict)


def app_user_shape(body: Any) -> None:
    assert body["id"].startswith("00u") and body["scope"] in ("USER", "GROUP")
    assert set(body["credentials"]) == {"userName"} and isinstance(body["profile"], dict)


def app_group_shape(body: Any) -> None:
    assert body["id"].startswith("00g") and isinstance(body["priority"], int)
    assert isinstance(body["profile"], dict)


def event_shape(body: Any) -> None:
    assert {"uuid", "published", "eventType", "actor", "outcome", "target"} <= set(body)


def empty_object(body: Any) -> None:
    assert body == {}


def app_link_shape(body: Any) -> None:
    assert body["appName"] == "cybozu" and body["appInstanceId"].startswith("0oa")
    assert body["linkUrl"].endswith(f"/home/cybozu/{body['appInstanceId']}")


def many(shape: Callable[[Any], None]) -> Callable[[Any], None]:
    def check(body: Any) -> None:
        assert isinstance(body, list)
        for item in body:
            shape(item)

    return check


NO_CONTENT = None  # 204, empty body
# endpoint -> the shape of its 2xx answer. test_every_route_is_fuzzed keeps this equal to the url_map.
SHAPES: dict[str, Callable[[Any], None] | None] = {
    "users.list_users": many(user_shape),
    "users.create_user": user_shape,
    "users.get_user": user_shape,
    "users.update_user": user_shape,
    "users.replace_user": user_shape,
    "users.delete_user": NO_CONTENT,
    "users.user_lifecycle": empty_object,
    "users.user_groups": many(group_shape),
    "groups.list_groups": many(group_shape),
    "groups.create_group": group_shape,
    "groups.get_group": group_shape,
    "groups.replace_group": group_shape,
    "groups.delete_group": NO_CONTENT,
    "groups.group_users": many(user_shape),
    "groups.add_member": NO_CONTENT,
    "groups.remove_member": NO_CONTENT,
    "applications.list_apps": many(app_shape),
    "applications.add_app": app_shape,
    "applications.get_app": app_shape,
    "applications.update_app": app_shape,
    "applications.app_lifecycle": empty_object,
    "users.user_app_links": many(app_link_shape),
    "applications.delete_app": NO_CONTENT,
    "applications.get_connection": connection_shape,
    "applications.save_connection": connection_shape,
    "applications.connection_lifecycle": NO_CONTENT,
    "applications.list_features": many(feature_shape),
    "applications.get_feature": feature_shape,
    "applications.update_feature": feature_shape,
    "applications.get_schema": schema_shape,
    "applications.update_schema": schema_shape,
    "app_users.list_app_users": many(app_user_shape),
    "app_users.assign_user": app_user_shape,
    "app_users.get_app_user": app_user_shape,
    "app_users.update_app_user": app_user_shape,
    "app_users.unassign_user": NO_CONTENT,
    "app_users.list_app_groups": many(app_group_shape),
    "app_users.assign_group": app_group_shape,
    "app_users.get_app_group": app_group_shape,
    "app_users.unassign_group": NO_CONTENT,
    "logs.list_logs": many(event_shape),
}

PROFILE = {"login": "fuzz@example.com", "email": "fuzz@example.com", "firstName": "Fuzz", "lastName": "Er"}
# endpoint -> a valid body, the starting point of the wrong-type mutations.
BODIES: dict[str, Any] = {
    "users.create_user": {"profile": PROFILE, "credentials": {"password": {"value": "x"}}, "groupIds": ["{group}"]},
    "users.update_user": {"profile": {"title": "Engineer", "locale": "en_US"}, "credentials": {}},
    "users.replace_user": {"profile": {**PROFILE, "login": "alice@example.com", "email": "alice@example.com"}},
    "groups.create_group": {"profile": {"name": "Fuzzers", "description": "d"}},
    "groups.replace_group": {"profile": {"name": "Renamed", "description": "d"}},
    "applications.add_app": {
        "name": "cybozu",
        "label": "Cybozu",
        "settings": {"app": {"domainName": "example"}},
        "credentials": {"userNameTemplate": {"template": "${source.email}", "type": "BUILT_IN"}},
    },
    "applications.update_app": {
        "label": "Renamed",
        "settings": {"app": {"domainName": "other"}},
        "credentials": {
            "userNameTemplate": {"template": "${String.toLowerCase(user.login)}", "type": "CUSTOM"}
        },
    },
    "applications.save_connection": {"profile": {"authScheme": "TOKEN", "token": "t" * 40}},
    "applications.update_feature": {
        "create": {"lifecycleCreate": {"status": "DISABLED"}},
        "update": {"profile": {"status": "DISABLED"}, "lifecycleDeactivate": {"status": "DISABLED"}},
    },
    "applications.update_schema": {
        "definitions": {"custom": {"properties": {"office": None, "kintone": {"type": "string"}}}}
    },
    "app_users.assign_user": {
        "id": "{user}",
        "scope": "USER",
        "credentials": {"userName": "someone"},
        "profile": {"kintone": "Enable", "garoon": "Disable"},
    },
    "app_users.update_app_user": {"credentials": {"userName": "renamed"}, "profile": {"office": "Enable"}},
    "app_users.assign_group": {"priority": 1, "profile": {"kintone": "Enable"}},
}


# -- the org under test ---------------------------------------------------------


class Org:
    """One in-process okta_sim seeded with people in every status, a group, an app and assignments.

    ``reset`` restores the seeded store, so every Hypothesis example starts from the same org.
    """

    def __init__(self, scim_port: int, **config: Any) -> None:
        self.app: Flask = okta_sim.app.create_app(
            {
                "TESTING": True,
                "CLOCK": LabClock(frozen_at=NOW),
                "SCIM_URL_TEMPLATE": f"http://127.0.0.1:{scim_port}/{{domain}}/scim/v2",
                "SCIM_TIMEOUT": 2.0,
                "EGRESS_BIND": False,
                "OKTA_RATE_LIMIT": 10**9,
                # Inline pushes: a refused request must leave the store as it was, which a
                # background push changing it meanwhile would blur.
                "PUSH_MODE": "inline",
                **config,
            }
        )
        self.backend: OktaBackend = okta_backend(self.app)
        self.client = self.app.test_client()
        _, self.token = api_tokens.create_token(self.backend, "fuzz")
        self.auth = {"Authorization": f"SSWS {self.token}"}
        self.ids: dict[str, str] = {}
        self.seed()
        self.seeded = self.backend.snapshot()

    def call(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> TestResponse:
        if body is not None:
            kw["json"] = body
        return self.client.open(PREFIX + path, method=method, headers={**self.auth, **(headers or {})}, **kw)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.call(method, path, body)
        assert response.status_code in (200, 204), response.get_data(as_text=True)
        return response.get_json(silent=True)

    def person(self, name: str, **query: str) -> str:
        login = f"{name}@example.com"
        profile = {"login": login, "email": login, "firstName": name.title(), "lastName": "Seed"}
        body = {"profile": profile, "credentials": {"password": {"value": "Kv7J2LEa"}}}
        return str(self.ok("POST", f"/users?{urlencode(query)}", body)["id"])

    def lab(self, method: str, path: str) -> TestResponse:
        return self.client.open(f"/_lab{path}", method=method, headers={LAB_KEY_HEADER: self.app.config["LAB_KEY"]})

    def seed(self) -> None:
        ids = self.ids
        ids["user"] = self.person("alice")
        ids["staged"] = self.person("bob", activate="false")
        ids["suspended"] = self.person("carol")
        self.ok("POST", f"/users/{ids['suspended']}/lifecycle/suspend")
        ids["deprovisioned"] = self.person("dave")
        self.ok("POST", f"/users/{ids['deprovisioned']}/lifecycle/deactivate")
        ids["login"] = "alice@example.com"
        ids["group"] = self.ok("POST", "/groups", {"profile": {"name": "Sales"}})["id"]
        ids["empty_group"] = self.ok("POST", "/groups", {"profile": {"name": "Empty"}})["id"]
        for member in ("user", "suspended"):
            self.ok("PUT", f"/groups/{ids['group']}/users/{ids[member]}")
        ids["app"] = self.ok(
            "POST", "/apps", {"name": "cybozu", "settings": {"app": {"domainName": "example"}}}
        )["id"]
        self.ok("POST", f"/apps/{ids['app']}/users", {"id": ids["user"], "profile": {"kintone": "Enable"}})
        self.ok("PUT", f"/apps/{ids['app']}/groups/{ids['group']}", {"priority": 0})
        # Provisioning on, against a port nobody listens on: pushes fail fast and open tasks.
        app = apps.get_app(self.backend, ids["app"])
        app["provisioning"].update(enabled=True, token="t" * 40)
        app["provisioning"]["toApp"] = {"create": True, "update": True, "deactivate": True}
        self.backend.apps.put(app)

    def reset(self) -> None:
        self.backend.restore(self.seeded)
        self.backend.exchanges.clear()

    def state(self) -> dict[str, Any]:
        """Everything stored except the System Log (a refused request may log its failure, as Okta does)."""
        return {k: v for k, v in self.backend.snapshot().items() if k != syslog.TABLE}


@pytest.fixture(scope="module")
def scim_port() -> Iterator[int]:
    """A port that refuses connections: the app's cybozu.com is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture(scope="module")
def org(scim_port: int) -> Org:
    return Org(scim_port)


# -- the properties ----------------------------------------------------------------


def remark(text: str) -> None:
    """Hypothesis's note, which the explicit (non-Hypothesis) tests may call too."""
    try:
        note(text)
    except InvalidArgument:
        pass


def check_answer(response: TestResponse, endpoint: str | None) -> None:
    """Never 5xx; errors are Okta's error JSON with their code's status; successes have their shape."""
    status = response.status_code
    text = response.get_data(as_text=True)
    remark(f"answer {status}: {text[:500]}")
    assert status < 500, text
    if status == 204:  # as Okta: no body, no content type (the SDK would parse one)
        assert text == "" and "Content-Type" not in response.headers
    else:
        assert response.headers["Content-Type"] == "application/json"
    assert {"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} <= set(
        response.headers.keys()
    )
    if response.request.method == "HEAD":
        return  # no body to look at
    if status >= 400:
        body = json.loads(text)
        assert set(body) == ERROR_KEYS, body
        code = body["errorCode"]
        assert re.fullmatch(r"E0000\d{3}", code) and body["errorLink"] == code
        assert status in CODE_STATUS[code], (status, code)
        assert isinstance(body["errorSummary"], str) and body["errorSummary"].strip()
        assert ERROR_ID.match(body["errorId"])
        assert isinstance(body["errorCauses"], list)
        assert all(
            set(c) == {"errorSummary"} and isinstance(c["errorSummary"], str) for c in body["errorCauses"]
        )
        return
    assert status in (200, 204), status
    if not text:  # 204, and Flask's automatic OPTIONS answer
        assert status == 204 or response.request.method == "OPTIONS"
        return
    body = json.loads(text)
    if endpoint in SHAPES:
        shape = SHAPES[endpoint]
        assert shape is not None, f"{endpoint} answers 204 without a body"
        shape(body)


def exchange(
    org: Org,
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: bool = True,
) -> TestResponse:
    """One request with the properties checked, including: a refused request changed nothing."""
    before = org.state()
    sent = {**(org.auth if auth else {}), **(headers or {})}
    remark(f"{method} {url[:300]} headers={sent} body={data[:300] if data else data!r}")
    response = org.client.open(url, method=method, data=data, headers=sent)
    check_answer(response, endpoint_of(org, response))
    after = org.state()
    if response.status_code >= 400:
        assert after == before, "a refused request changed the store"
    # What a file store writes (simcore.store): a lone surrogate in it would fail every later save.
    json.dumps(after, ensure_ascii=False).encode("utf-8")
    return response


def endpoint_of(org: Org, response: TestResponse) -> str | None:
    """The api_v1 view the url_map routed the request to (None for the catch-all, or no route)."""
    try:
        endpoint, _ = org.app.url_map.bind_to_environ(response.request.environ).match()
    except HTTPException:
        return None
    name = str(endpoint).removeprefix("api_v1.")
    return name if name in SHAPES else None


# -- strategies ---------------------------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            " ",
            "Enable",
            "ENABLED",
            "USER",
            "CUSTOM",
            "${source.login}",
            "a@b.c",
            "\x00",
            "é",
            "\ud800",
            "x\udfff@y.z",
        ]
    )
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
# Text of the right type that is still hostile: lone surrogates (valid escaped JSON, not Unicode),
# control characters, bidi overrides, emoji, blanks, Okta's expression syntax.
NASTY_TEXT = st.sampled_from(
    ["\ud800", "a\udfff@example.com", "\x00", "\u202e@example.com", "😀@example.com", "\t\n", "${user.login}"]
) | st.text(max_size=20).map(lambda t: t + "@example.com")
HUGE = st.sampled_from(["x" * 101, "y" * 5_000, "é" * 70_000, "a@" + "b" * 200 + ".com"])
WRONG_TYPES = JSON_VALUES | HUGE | st.just({"nested": [{"deeper": [None, {}]}]})


def deep(depth: int) -> Any:
    """Arrays and objects nested ``depth`` levels (under the recursion limit, so json reads them)."""
    value: Any = "bottom"
    for n in range(depth):
        value = {"k": value} if n % 2 else [value]
    return value


@st.composite
def mutated(draw: st.DrawFn, template: Any) -> Any:
    """``template`` with one random place changed: a wrong type, null, removed, or an unknown field added."""
    if isinstance(template, str) and draw(st.booleans()):
        return draw(NASTY_TEXT)
    if not isinstance(template, dict | list) or draw(st.integers(0, 4)) == 0:
        return draw(WRONG_TYPES | st.just(deep(draw(st.integers(20, 900)))))
    if isinstance(template, list):
        if not template:
            return [draw(WRONG_TYPES)]
        index = draw(st.integers(0, len(template) - 1))
        return [*template[:index], draw(mutated(template[index])), *template[index + 1 :]]
    keys = sorted(template)
    choice = draw(st.sampled_from(["change", "change", "null", "drop", "unknown", "all-null"]))
    if choice == "all-null":
        return dict.fromkeys(template)
    if choice == "unknown" or not keys:
        return {**template, draw(st.text(min_size=1, max_size=15)): draw(WRONG_TYPES)}
    key = draw(st.sampled_from(keys))
    if choice == "drop":
        return {k: v for k, v in template.items() if k != key}
    if choice == "null":
        return {**template, key: None}
    return {**template, key: draw(mutated(template[key]))}


def fill(value: Any, ids: dict[str, str]) -> Any:
    """Replace the "{user}"-style placeholders of a body template with the seeded ids."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


RAW_BODIES = st.one_of(
    st.binary(max_size=64),
    st.sampled_from(
        [
            b"",
            b"   ",
            b"{",
            b"null",
            b"[]",
            b'"text"',
            b"\xff\xfe{}",
            b'{"profile": "\xc3\x28"}',
            b'{"a": NaN}',
            b'{"a": Infinity}',
            b'{"a": 1e999999}',
            b'{"a": "\\ud800"}',
            b'{"profile": {"login": "\\udfff@example.com"}}',
            b'{"a": ' + b"1" * 5000 + b"}",
            b"[" * 50_000,
            b'{"a":' * 3_000 + b"1" + b"}" * 3_000,
            '{"name": "ｃｙｂｏｚｕ"}'.encode("utf-16"),
            b"\xef\xbb\xbf{}",
        ]
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/json; charset=latin-1",
        "application/scim+json",
        "gibberish",
    ]
)
ID_GARBAGE = st.one_of(
    st.sampled_from(
        [
            "..",
            ".",
            "%2e%2e",
            "%2E%2E%2F..",
            "%2F",
            "%00",
            "%FF%FE",
            "null",
            "00uNOBODY",
            "0oa",
            "00g",
            "é",
            "%E2%80%AE",
            "a" * 5_000,
            "USER_PROVISIONING",
            "default",
            "%252e",
            "*",
            "~",
            "%",
        ]  # fmt: skip
    ),
    st.text(min_size=1, max_size=40).map(lambda s: quote(s, safe="")),
)
LIMITS = st.one_of(
    st.sampled_from(
        ["0", "-1", "1", "2", "200", "201", "1000", "1001", "ten", "", " 3", "1.5", "1e3", "0x10"]
    ),
    st.sampled_from(["9" * 30, "9" * 5_000, "١٢", "-0", "+5", "1_0"]),
    st.integers(-(2**64), 2**64).map(str),
)
FILTERS = st.one_of(
    st.sampled_from(
        [
            'status eq "ACTIVE"',
            'status eq "STAGED"',
            'profile.login eq "alice@example.com"',
            'eventType eq "user.lifecycle.create"',
            "status eq ACTIVE",
            'status eq "ACTIVE" or status eq "STAGED"',
            'status ne "ACTIVE"',
            'profile.login sw "a"',
            'status eq "',
            '"',
            "(",
            'lastUpdated gt "2026-01-01T00:00:00.000Z"',
            "",
            "\x00",
            # The System Log's SCIM filters (okta_sim/api_v1/log_filter.py), well formed or not.
            'target.id eq "00uNOBODY" and not (outcome.result eq "FAILURE")',
            '(actor.id ne "x" or severity pr) and displayMessage co "Okta"',
            "authenticationContext.authenticationStep ge 0",
            "securityContext.isProxy eq true",
            'debugContext.debugData.url co "/oauth/"',
            'published gt "2026-01-01T00:00:00.000Z"',
            'target[id eq "x"]',
            'eventType eq "\\ud800"',
            'eventType eq "\\x"',
            "not (" * 40,
            "eventType eq 1e999",
            "eventType eq " + "9" * 5_000,
        ]
    ),
    st.text(max_size=40),
)
QUERY = st.dictionaries(
    st.sampled_from(
        [
            "limit",
            "after",
            "filter",
            "search",
            "q",
            "expand",
            "activate",
            "since",
            "until",
            "sortBy",
            "sortOrder",
            "sendEmail",
            "x",
        ]
    ),
    st.one_of(
        LIMITS,
        FILTERS,
        st.sampled_from(
            [
                "true",
                "false",
                "TRUE",
                "maybe",
                "00uNOBODY",
                "group",
                "app",
                "2026-04-01T09:00:00Z",
                "9999-12-31T23:59:59-23:59",
                "0001-01-01T00:00:00+14:00",
                "2026-13-01",
                "yesterday",
                "ASCENDING",
                "DESCENDING",
                "descending",
                "XOxBw-2JIRnCFd0gG0GjHAAABjY alice",
                'profile.login sw "a"',
                "a" * 3_000,
            ]  # fmt: skip
        ),
    ),
    max_size=4,
)
METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND"])


def api_rules(app: Flask) -> list[Any]:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("api_v1.") and r.endpoint != "api_v1.unknown"
    ]


PLACEHOLDERS = {
    "id_or_login": ["user", "login", "staged", "suspended", "deprovisioned"],
    "user_id": ["user", "staged", "suspended", "deprovisioned"],
    "group_id": ["group", "empty_group"],
    "app_id": ["app"],
}
FIXED = {"name": ["USER_PROVISIONING"], "action": ["activate", "deactivate", *LIFECYCLE_ACTIONS]}


@st.composite
def paths(draw: st.DrawFn, org: Org, rule: Any) -> str:
    """The rule's path with each variable a seeded id (usually) or garbage."""
    path = rule.rule
    for variable in rule.arguments:
        if draw(st.integers(0, 3)) == 0:
            value = draw(ID_GARBAGE)
        elif variable in FIXED:
            value = draw(st.sampled_from(FIXED[variable]))
        else:
            value = org.ids[draw(st.sampled_from(PLACEHOLDERS[variable]))]
        path = re.sub(r"<(?:[^:>]+:)?" + variable + r"(?:\([^)]*\))?>", lambda _, v=value: v, path)
    return path


@st.composite
def bodies(draw: st.DrawFn, org: Org, endpoint: str) -> bytes | None:
    kind = draw(st.sampled_from(["none", "valid", "mutated", "mutated", "json", "raw"]))
    template = fill(BODIES.get(endpoint, {}), org.ids)
    if kind == "none":
        return None
    if kind == "valid":
        return json.dumps(template).encode()
    if kind == "mutated":
        return json.dumps(draw(mutated(template))).encode()
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode()
    return draw(RAW_BODIES)


# -- tests ---------------------------------------------------------------------------


def test_every_route_is_fuzzed(org: Org) -> None:
    """A new /api/v1 route must get a shape here (and with it, its share of the fuzzing)."""
    endpoints = {rule.endpoint.removeprefix("api_v1.") for rule in api_rules(org.app)}
    assert endpoints == set(SHAPES)
    assert set(BODIES) <= endpoints


@FUZZ
@given(data=st.data())
def test_any_request_to_any_route(org: Org, data: st.DataObject) -> None:
    """Every route, with ids, query, body and Content-Type drawn at random."""
    org.reset()
    rule = data.draw(st.sampled_from(api_rules(org.app)), label="rule")
    endpoint = rule.endpoint.removeprefix("api_v1.")
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = data.draw(
        st.sampled_from(methods) | METHODS if data.draw(st.booleans()) else st.sampled_from(methods)
    )
    path = data.draw(paths(org, rule), label="path")
    query = data.draw(QUERY, label="query")
    body = (
        data.draw(bodies(org, endpoint), label="body") if method not in ("GET", "HEAD", "OPTIONS") else None
    )
    content_type = data.draw(CONTENT_TYPES, label="content type")
    headers = {"Content-Type": content_type} if content_type and body is not None else {}
    url = path + (f"?{urlencode(query)}" if query else "")
    exchange(org, method, url, data=body, headers=headers)


WRITES = sorted(BODIES)


@FUZZ
@given(data=st.data())
def test_wrong_types_at_every_field(org: Org, data: st.DataObject) -> None:
    """Each writing endpoint's valid body with one place mutated: never a 5xx, never a half write."""
    org.reset()
    endpoint = data.draw(st.sampled_from(WRITES), label="endpoint")
    body = data.draw(mutated(fill(BODIES[endpoint], org.ids)), label="body")
    send_to(org, endpoint, body)


def send_to(org: Org, endpoint: str, body: Any) -> TestResponse:
    """``body`` as JSON to a writing endpoint, its path filled with the seeded ids."""
    rule = next(r for r in api_rules(org.app) if r.endpoint == f"api_v1.{endpoint}")
    path = rule.rule
    for variable in rule.arguments:
        value = {"name": "USER_PROVISIONING"}.get(variable) or org.ids[PLACEHOLDERS[variable][0]]
        path = path.replace(f"<{variable}>", value)
    method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
    data = json.dumps(body).encode()
    return exchange(org, method, path, data=data, headers={"Content-Type": "application/json"})


def text_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of the strings in a body template."""
    if isinstance(value, str):
        return [path]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [leaf for key, item in items for leaf in text_leaves(item, (*path, key))]


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        return [replaced(item, rest, new) if i == head else item for i, item in enumerate(value)]
    return {**value, head: replaced(value[head], rest, new)}


@FUZZ
@given(data=st.data(), text=NASTY_TEXT)
def test_hostile_text_in_every_text_field(org: Org, data: st.DataObject, text: str) -> None:
    """Each string of each writing endpoint's valid body in turn replaced by hostile text."""
    org.reset()
    endpoint = data.draw(st.sampled_from(WRITES), label="endpoint")
    template = fill(BODIES[endpoint], org.ids)
    body = replaced(template, data.draw(st.sampled_from(text_leaves(template)), label="field"), text)
    send_to(org, endpoint, body)


LIST_PATHS = [
    "/users",
    "/groups",
    "/apps",
    "/logs",
    "/apps/{app}/users",
    "/apps/{app}/groups",
    "/groups/{group}/users",
]


@FUZZ
@given(path=st.sampled_from(LIST_PATHS), query=QUERY)
def test_list_query_parameters(org: Org, path: str, query: dict[str, str]) -> None:
    """limit, after, filter, search, q, expand, since, until: refused in Okta's JSON or answered."""
    org.reset()
    url = PREFIX + fill_path(path, org.ids) + "?" + urlencode(query)
    exchange(org, "GET", url)


def fill_path(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


# Any date, and the first and last days datetime can hold (an offset pushes them out of range in UTC).
DATES = (
    st.datetimes()
    | st.datetimes(min_value=datetime(9999, 12, 31))
    | st.datetimes(max_value=datetime(1, 1, 1, 23))
)
INSTANTS = st.one_of(
    DATES.map(lambda d: d.isoformat(timespec="milliseconds") + "Z"),
    st.tuples(DATES, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)).map(
        lambda t: f"{t[0].isoformat()}{t[1]}{t[2]:02}:{t[3]:02}"
    ),
    st.text(max_size=30),
)


@settings(FUZZ, max_examples=80)
@given(since=st.none() | INSTANTS, until=st.none() | INSTANTS)
def test_log_windows(org: Org, since: str | None, until: str | None) -> None:
    """Any ``since``/``until``, including instants that leave datetime's range once in UTC."""
    query = {k: v for k, v in (("since", since), ("until", until)) if v is not None}
    exchange(org, "GET", f"{PREFIX}/logs?{urlencode(query)}")


@pytest.fixture(scope="module")
def hanging_up_port() -> Iterator[int]:
    """A cybozu.com that accepts each connection and closes it unanswered.

    The SCIM client connects before it writes its headers, so only a server that accepts
    lets a token meet the header encoding (a refused connection fails first).
    """
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def hang_up() -> None:
        while not stop.is_set():
            try:
                server.accept()[0].close()
            except TimeoutError:
                continue

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def hung_up_org(hanging_up_port: int) -> Org:
    return Org(hanging_up_port)


@settings(FUZZ, max_examples=60)
@given(token=st.text(min_size=1, max_size=60))
def test_connection_tokens(hung_up_org: Org, token: str) -> None:
    """Any API token is tested against cybozu.com (hanging up here) or refused; none may break the request."""
    org = hung_up_org
    body = json.dumps({"profile": {"authScheme": "TOKEN", "token": token}}).encode()
    path = f"{PREFIX}/apps/{org.ids['app']}/connections/default"
    response = exchange(org, "POST", path, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400


RAW_QUERIES = st.sampled_from(
    [
        "limit=%FF",
        "filter=%22%FF%22",
        "after=%",
        "q=%E2%80",
        "&&&",
        "limit",
        "limit=1&limit=x",
        "=1",
        "%00=%00",
    ]
)


@FUZZ
@given(path=st.sampled_from(LIST_PATHS), raw=RAW_QUERIES)
def test_raw_query_strings(org: Org, path: str, raw: str) -> None:
    """Query strings that are not valid percent-encoded UTF-8 (werkzeug decodes them with replacement)."""
    exchange(org, "GET", PREFIX + fill_path(path, org.ids) + "?" + raw)


ATOMS = st.sampled_from(
    [
        "user.login",
        "source.email",
        "user.title",
        "user.firstName",
        '"@"',
        '""',
        '" "',
        "0",
        "-3",
        "99999999999",
        "null",
        "true",
    ]
)
FUNCTIONS = st.sampled_from(
    [
        "String.append", "String.join", "String.len", "String.removeSpaces", "fn:replace", "String.replaceFirst",
        "String.stringContains", "String.stringSwitch", "String.substring", "fn:substringAfter",
        "String.substringBefore", "String.toUpperCase", "fn:toLowerCase", "String.nothing",
    ]
)  # fmt: skip
EXPRESSIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(FUNCTIONS, st.lists(inner, max_size=4)).map(lambda c: f"{c[0]}({', '.join(c[1])})"),
        st.tuples(inner, st.sampled_from([" + ", " == ", " != ", " AND ", " || "]), inner).map("".join),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        inner.map(lambda e: f"!({e})"),
    ),
    max_leaves=10,
)


@FUZZ
@given(expression=EXPRESSIONS, wrapped=st.booleans())
def test_custom_username_expressions(org: Org, expression: str, wrapped: bool) -> None:
    """A Custom username format is refused at [Save] or gives every assignment a name; never a 5xx."""
    org.reset()
    template = f"${{{expression}}}" if wrapped else expression
    body = {"credentials": {"userNameTemplate": {"template": template, "type": "CUSTOM"}}}
    app = f"{PREFIX}/apps/{org.ids['app']}"
    saved = exchange(
        org, "PUT", app, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    if saved.status_code == 200:
        assign = json.dumps({"id": org.ids["staged"]}).encode()
        exchange(org, "POST", f"{app}/users", data=assign, headers={"Content-Type": "application/json"})


def test_a_username_format_cannot_build_a_huge_name(org: Org) -> None:
    """Nested replaces of "" grew the name geometrically: seven made a 2 GB string at each assignment."""
    org.reset()
    expression = "user.login"
    for _ in range(9):
        expression = f'String.replace({expression}, "", "aaaaaaaaaa")'
    body = {"credentials": {"userNameTemplate": {"template": f"${{{expression}}}", "type": "CUSTOM"}}}
    org.ok("PUT", f"/apps/{org.ids['app']}", body)
    assigned = org.ok("POST", f"/apps/{org.ids['app']}/users", {"id": org.ids["staged"]})
    assert assigned["credentials"]["userName"] == ""  # no name: Okta's "Blank is an invalid value" task


AUTHORIZATIONS = st.one_of(
    st.sampled_from(
        ["", "SSWS", "SSWS ", "SSWS  ", "Bearer", "Bearer x", "ssws x", "Basic YTpi", "SSWS null"]
    ),
    st.text(max_size=60).map(lambda s: s.encode("utf-8", "surrogatepass").decode("latin-1")),
    st.text(max_size=60).map(lambda s: "SSWS " + s.encode("utf-8", "surrogatepass").decode("latin-1")),
    st.binary(max_size=40).map(lambda b: "SSWS " + b.decode("latin-1")),
)


@FUZZ
@given(
    authorization=st.none() | AUTHORIZATIONS,
    method=METHODS,
    path=st.sampled_from(["/users", "/apps", "/nothing", "/", "/users/x/lifecycle/activate"]),
)
def test_authorization_header_variants(org: Org, authorization: str | None, method: str, path: str) -> None:
    """Anything but a known SSWS token is a 401 E0000011, whatever the method or path."""
    headers = {} if authorization is None else {"Authorization": authorization}
    if "\n" in (authorization or "") or "\r" in (authorization or ""):
        headers = {}  # a header cannot carry a line break
    response = exchange(org, method, PREFIX + path, headers=headers, auth=False)
    assert response.status_code == 401
    assert method == "HEAD" or response.get_json()["errorCode"] == "E0000011"


def test_a_rate_limited_request_is_oktas_429(scim_port: int) -> None:
    """The budget is spent before anything else is looked at: any request gets Okta's 429."""
    limited = Org(scim_port)
    limited.app.config["OKTA_RATE_LIMIT"] = 0
    for method, path in (("GET", "/users"), ("POST", "/apps"), ("TRACE", "/users"), ("GET", "/x/%FF")):
        for auth in (True, False):
            response = exchange(limited, method, PREFIX + path, auth=auth)
            assert response.status_code == 429 and response.get_json()["errorCode"] == "E0000047"


# -- lifecycle in random orders ---------------------------------------------------------


class Lifecycle(RuleBasedStateMachine):
    """Users, groups and assignments driven in any order, checked against a model of Okta's rules."""

    ORG: Org

    def __init__(self) -> None:
        super().__init__()
        self.org = self.ORG
        self.org.reset()
        self.users: dict[str, str] = {}  # id -> status
        self.members: set[str] = set()  # of the group "Sales"
        self.individual: set[str] = set()
        self.group_assigned = True
        self.counter = 0

    @initialize()
    def load_seed(self) -> None:
        for key in ("user", "staged", "suspended", "deprovisioned"):
            self.users[self.org.ids[key]] = self.org.ok("GET", f"/users/{self.org.ids[key]}")["status"]
        self.members = {self.org.ids["user"], self.org.ids["suspended"]}
        self.individual = {self.org.ids["user"]}

    def send(self, method: str, path: str, body: Any = None) -> TestResponse:
        data = json.dumps(body).encode() if body is not None else None
        return exchange(
            self.org, method, PREFIX + path, data=data, headers={"Content-Type": "application/json"}
        )

    @rule(activate=st.booleans(), password=st.booleans())
    def create_user(self, activate: bool, password: bool) -> None:
        """Activated without a password, a person is PROVISIONED until they finish activation."""
        self.counter += 1
        login = f"u{self.counter}@example.com"
        body: dict[str, Any] = {"profile": {"login": login, "email": login, "firstName": "U", "lastName": str(self.counter)}}
        if password:
            body["credentials"] = {"password": {"value": "Kv7J2LEa"}}
        response = self.send("POST", f"/users?activate={str(activate).lower()}", body)
        assert response.status_code == 200
        self.users[response.get_json()["id"]] = ("ACTIVE" if password else "PROVISIONED") if activate else "STAGED"

    @precondition(lambda self: self.users)
    @rule(data=st.data(), action=st.sampled_from(LIFECYCLE_ACTIONS))
    def lifecycle(self, data: st.DataObject, action: str) -> None:
        user_id = data.draw(st.sampled_from(list(self.users)))
        response = self.send("POST", f"/users/{user_id}/lifecycle/{action}")
        transitions = {
            "activate": ({"STAGED", "DEPROVISIONED"}, "ACTIVE"),
            "reactivate": ({"PROVISIONED"}, "ACTIVE"),
            "deactivate": ({"STAGED", "PROVISIONED", "ACTIVE", "SUSPENDED", "LOCKED_OUT"}, "DEPROVISIONED"),
            "suspend": ({"ACTIVE"}, "SUSPENDED"),
            "unsuspend": ({"SUSPENDED"}, "ACTIVE"),
            "unlock": ({"LOCKED_OUT", "ACTIVE"}, "ACTIVE"),  # an active person: 200, nothing changes
        }
        if action not in transitions:
            assert response.status_code == 404
            return
        allowed, target = transitions[action]
        if self.users[user_id] in allowed:
            assert response.status_code == 200, response.get_data(as_text=True)
            self.set_status(user_id, target)
        else:  # Okta: E0000001 for suspend and unsuspend, a 403 (E0000016, E0000032, E0000038) else
            assert response.status_code == (400 if action in ("suspend", "unsuspend") else 403)

    @precondition(lambda self: self.users)
    @rule(data=st.data())
    def lock_out(self, data: st.DataObject) -> None:
        """The lab's stand-in for too many failed sign-ins: only an active person is locked out."""
        user_id = data.draw(st.sampled_from(list(self.users)))
        response = self.org.lab("POST", f"/users/{user_id}/lock-out")
        if self.users[user_id] == "ACTIVE":
            assert response.status_code == 200
            self.set_status(user_id, "LOCKED_OUT")
        else:
            assert response.status_code == 400

    @precondition(lambda self: self.users)
    @rule(data=st.data())
    def delete_user(self, data: st.DataObject) -> None:
        user_id = data.draw(st.sampled_from(list(self.users)))
        assert self.send("DELETE", f"/users/{user_id}").status_code == 204
        if self.users[user_id] == "DEPROVISIONED":
            del self.users[user_id]
            self.members.discard(user_id)
            self.individual.discard(user_id)
        else:
            self.set_status(user_id, "DEPROVISIONED")

    def set_status(self, user_id: str, status: str) -> None:
        """Deactivation removes the person's app assignments (activation gives back only the group's)."""
        self.users[user_id] = status
        if status == "DEPROVISIONED":
            self.individual.discard(user_id)

    @precondition(lambda self: self.users)
    @rule(data=st.data(), member=st.booleans())
    def membership(self, data: st.DataObject, member: bool) -> None:
        user_id = data.draw(st.sampled_from(list(self.users)))
        path = f"/groups/{self.org.ids['group']}/users/{user_id}"
        assert self.send("PUT" if member else "DELETE", path).status_code == 204
        (self.members.add if member else self.members.discard)(user_id)

    @precondition(lambda self: self.users)
    @rule(
        data=st.data(),
        profile=st.none() | st.fixed_dictionaries({"kintone": st.sampled_from(["Enable", "Disable"])}),
    )
    def assign_user(self, data: st.DataObject, profile: dict[str, str] | None) -> None:
        user_id = data.draw(st.sampled_from(list(self.users)))
        response = self.send(
            "POST", f"/apps/{self.org.ids['app']}/users", {"id": user_id, "profile": profile}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        self.individual.add(user_id)

    @precondition(lambda self: self.users)
    @rule(data=st.data())
    def unassign_user(self, data: st.DataObject) -> None:
        user_id = data.draw(st.sampled_from(list(self.users)))
        response = self.send("DELETE", f"/apps/{self.org.ids['app']}/users/{user_id}")
        if user_id in self.individual:
            assert response.status_code == 204, response.get_data(as_text=True)
            self.individual.discard(user_id)
        elif self.group_assigned and user_id in self.members and self.users[user_id] != "DEPROVISIONED":
            assert response.status_code == 400  # assigned through the group only
        else:
            assert response.status_code == 404

    @rule(assign=st.booleans(), priority=st.integers(-1, 101))
    def group_assignment(self, assign: bool, priority: int) -> None:
        path = f"/apps/{self.org.ids['app']}/groups/{self.org.ids['group']}"
        if assign:
            response = self.send("PUT", path, {"priority": priority})
            assert response.status_code == (200 if 0 <= priority <= 100 else 400)
            self.group_assigned = self.group_assigned or response.status_code == 200
        else:
            response = self.send("DELETE", path)
            assert response.status_code == (204 if self.group_assigned else 404)
            self.group_assigned = False

    @rule(enabled=st.booleans())
    def integration(self, enabled: bool) -> None:
        """Turning the integration on tests the token against cybozu.com (down here): refused."""
        action = "activate" if enabled else "deactivate"
        response = self.send("POST", f"/apps/{self.org.ids['app']}/connections/default/lifecycle/{action}")
        assert response.status_code == (400 if enabled else 204)

    @invariant()
    def the_api_agrees_with_the_model(self) -> None:
        listed = {u["id"]: u["status"] for u in self.org.ok("GET", "/users?limit=200&search=status pr")}
        assert listed == self.users
        plain = {u["id"] for u in self.org.ok("GET", "/users?limit=200")}  # Okta's list omits DEPROVISIONED
        assert plain == {user_id for user_id, status in self.users.items() if status != "DEPROVISIONED"}
        group_users = self.org.ok("GET", f"/groups/{self.org.ids['group']}/users")
        assert {u["id"] for u in group_users} == self.members & set(self.users)
        app_users = {au["id"] for au in self.org.ok("GET", f"/apps/{self.org.ids['app']}/users?limit=200")}
        active_members = {m for m in self.members if self.users.get(m) not in (None, "DEPROVISIONED")}
        expected = self.individual | (active_members if self.group_assigned else set())
        assert app_users == expected & set(self.users)


def test_lifecycle_in_random_orders(org: Org) -> None:
    Lifecycle.ORG = org  # the machine's constructor takes no arguments; the module's org is shared
    run_state_machine_as_test(Lifecycle, settings=settings(FUZZ, max_examples=20, stateful_step_count=15))


# -- over real HTTP ---------------------------------------------------------------------


def raw_exchange(server: ServerThread, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client tidies them up) and read the answer."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        return answer.status, dict(answer.getheaders()), answer.read()


def test_raw_http_requests_get_oktas_errors(scim_port: int) -> None:
    """Bytes no test client would send, through waitress with TESTING off (a bug would be a 500 here)."""
    live = Org(scim_port, TESTING=False)
    token = live.token.encode()
    head = b"Host: okta.test\r\nConnection: close\r\nAuthorization: SSWS " + token + b"\r\n"
    requests = {
        b"TRACE /api/v1/users HTTP/1.1\r\n" + head + b"\r\n": 405,
        b"GET /api/v1/users/%FF%FE%00%2e%2e HTTP/1.1\r\n" + head + b"\r\n": 404,
        b"GET /api/v1/users?limit=%FF&filter=%22 HTTP/1.1\r\n" + head + b"\r\n": 400,
        b"GET /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: SSWS \xe9\xff\r\n\r\n": 401,
        b"POST /api/v1/users HTTP/1.1\r\n"
        + head
        + b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n0\r\n\r\n': 400,
        b"POST /api/v1/groups HTTP/1.1\r\n" + head + b'Content-Length: 9\r\n\r\n\xff\xfe\x00{}[]"x': 400,
        b"PUT /api/v1/apps/x/groups/y HTTP/1.1\r\n"
        + head
        + b"Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n": 404,
    }
    with ServerThread(live.app) as server:
        for request, expected in requests.items():
            status, headers, body = raw_exchange(server, request)
            assert (status, headers["Content-Type"]) == (expected, "application/json"), (request, body)
            error = json.loads(body)
            assert set(error) == ERROR_KEYS and status in CODE_STATUS[error["errorCode"]]
