"""Property tests of cybozu_sim's SCIM endpoint: whatever a client sends, the answer is never a 5xx,
every JSON answer is valid SCIM, and the stored users stay consistent.

Everything goes through the in-process Flask test client against one app with
memory storage. Examples are derandomized and bounded so the file runs in
well under 30 s on a slow machine and gives the same examples in CI.
"""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybozu_sim.app
from cybozu_sim.backend import get_backend as cybozu_backend
from cybozu_sim.scim.schema import CYBOZU_EXTENSION, USER_SCHEMA, read_user
from simcore.control import LAB_KEY_HEADER
from tests.conftest import ALL_SERVICES, PATCH_OP, okta_user

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
TENANT = "fuzz"
BASE = f"/{TENANT}/scim/v2"

FUZZ = settings(
    max_examples=75,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Target:
    """One app, one tenant, one token, and a user the write properties aim at."""

    def __init__(self) -> None:
        self.app = cybozu_sim.app.create_app({"TESTING": True})
        self.client: FlaskClient = self.app.test_client()
        lab = {LAB_KEY_HEADER: self.app.config["LAB_KEY"]}
        body = {"subdomain": TENANT, "licenses": ALL_SERVICES, "propagate_provisioning": True}
        assert self.client.post("/_lab/tenants", json=body, headers=lab).status_code == 201
        created = self.client.post(f"/_lab/tenants/{TENANT}/tokens", json={}, headers=lab)
        self.token = created.get_json()["token"]
        self.lab = lab
        self.user_id = self.fresh_user("target")

    def fresh_user(self, login: str) -> str:
        response = self.call("POST", "/Users", json=okta_user(login))
        if response.status_code == 409:
            found = self.call("GET", "/Users", query_string={"filter": f'userName eq "{login}"'})
            return found.get_json()["Resources"][0]["id"]
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()["id"]

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        response = self.client.open(BASE + path, method=method, headers=sent, **kwargs)
        check_scim(response)
        return response


_TARGET: Target | None = None


def target() -> Target:
    """The shared app (module-level, so Hypothesis does not rebuild it per example)."""
    global _TARGET
    if _TARGET is None:
        _TARGET = Target()
    return _TARGET


def check_scim(response: Any) -> None:
    """Never a 5xx; a JSON answer is a SCIM message of the right shape."""
    status = response.status_code
    text = response.get_data(as_text=True)
    assert status < 500, text
    if not text or not response.mimetype.endswith("json"):
        return
    assert response.mimetype == "application/scim+json", response.mimetype
    body = json.loads(text)
    assert isinstance(body, dict)
    if status >= 400:
        assert body["schemas"] == [ERROR], body
        assert body["status"] == str(status), body
        assert isinstance(body["detail"], str) and body["detail"], body
        assert body.get("scimType") is None or isinstance(body["scimType"], str)
    elif LIST in body.get("schemas", []):
        assert all(isinstance(body[k], int) for k in ("totalResults", "startIndex", "itemsPerPage"))
        assert body["itemsPerPage"] == len(body["Resources"]) <= 100
    elif "userName" in body:
        check_user(body)


def check_user(body: dict[str, Any]) -> None:
    """A user as served: an id, the core schema, no password, and a body that validates again."""
    assert isinstance(body["id"], str) and body["id"]
    assert USER_SCHEMA in body["schemas"]
    assert "password" not in body
    read_user({k: v for k, v in body.items() if k not in ("id", "meta")})


def check_store() -> None:
    """Every stored user validates, the login index agrees, and the lab's user list loads."""
    t = target()
    storage = cybozu_backend(t.app).user_storage(TENANT)
    logins = set()
    for stored in storage.all():
        read_user({k: v for k, v in stored.items() if k not in ("id", "meta")})
        assert storage.by_login(stored["userName"]) is stored
        assert stored["userName"] not in logins
        logins.add(stored["userName"])
    listed = t.client.get(f"/_lab/tenants/{TENANT}/users", headers=t.lab)
    assert listed.status_code == 200 and len(listed.get_json()) == len(logins)
    first_page = t.call("GET", "/Users", query_string={"count": 100})
    assert first_page.get_json()["totalResults"] == len(logins)


# -- strategies -----------------------------------------------------------------------

ATTRIBUTES = [
    "displayName", "name.givenName", "name.familyName", "emails", "active", "locale", "externalId",
    "name", "emails.value", "emails.type", "emails.primary", "password", "userName", "USERNAME", "Emails",
    f"{CYBOZU_EXTENSION}:kintone", f"{CYBOZU_EXTENSION}:office", CYBOZU_EXTENSION,
    f"{USER_SCHEMA}:displayName", "groups", "id", "meta", "meta.created", "schemas", "title", "nickName",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "name.middleName", "",
]  # fmt: skip
BODY_ATTRIBUTES = [
    "displayName",
    "name",
    "emails",
    "active",
    "locale",
    "externalId",
    "password",
    CYBOZU_EXTENSION,
]
realistic = st.sampled_from(
    ["Fuzz", True, False, "work", "a@example.com", "ja-JP", "true", "False", None, "", "\u3000x", "x" * 300]
)
scalars = (
    realistic
    | st.text(max_size=30)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["\x00", "\ud800", "a/b", 'a"b'])
)
email = st.fixed_dictionaries(
    {"value": st.sampled_from(["a@example.com", "b@example.com"]) | scalars},
    optional={
        "type": st.sampled_from(["work", "home", "weird"]) | scalars,
        "primary": st.booleans() | scalars,
    },
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
attribute_values = (
    scalars
    | st.lists(email, max_size=3)
    | st.fixed_dictionaries({}, optional={"givenName": scalars, "familyName": scalars, "middleName": scalars})
    | st.dictionaries(
        st.sampled_from(["kintone", "garoon", "office", "nope", "schemas"]), scalars, max_size=3
    )
    | json_values
)
attribute_names = st.sampled_from(ATTRIBUTES) | st.text(max_size=20)


@st.composite
def user_bodies(draw: st.DrawFn) -> Any:
    """Mostly user-shaped bodies with wrong types, unknown or unsyncable attributes, odd names."""
    body: dict[str, Any] = {
        "schemas": draw(st.sampled_from([[USER_SCHEMA, CYBOZU_EXTENSION], [USER_SCHEMA], None])),
        "userName": draw(st.sampled_from(["fuzz", "target"]) | st.text(min_size=1, max_size=20) | scalars),
        "displayName": draw(st.sampled_from(["Fuzz", "Fuzz User", "x" * 129])),
    }
    if body["schemas"] is None:
        del body["schemas"]
    for name in draw(st.lists(st.sampled_from(BODY_ATTRIBUTES), max_size=3)):
        body[name] = draw(attribute_values)
    odd = draw(st.sampled_from([None, None, None, *ATTRIBUTES]) | st.text(max_size=12))
    if odd is not None:
        body[odd] = draw(attribute_values)
    if draw(st.booleans()):
        body["emails"] = draw(st.lists(email, max_size=3))
    if draw(st.booleans()):
        services = st.sampled_from(["kintone", "garoon", "office", "nope", "schemas"])
        body[CYBOZU_EXTENSION] = draw(st.dictionaries(services, st.booleans() | scalars, max_size=3))
    return body


def nested(depth: int) -> bytes:
    return b'{"userName": ' + b"[" * depth + b"]" * depth + b"}"


raw_bodies = (
    st.sampled_from([b"\xff\xfe", b"\xc3\x28", b'{"userName": "\xed\xa0\x80"}', b"NaN", b'{"a": Infinity}'])
    | st.binary(max_size=200)
    | st.integers(1, 5000).map(nested)
    | st.integers(0, 5000).map(lambda n: b"1" * n)
)

COMPARE = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "xx"]
literals = st.sampled_from(
    ['"alice"', "true", '""', "false", "null", "5", "1.5e3", '"2026-01-01T00:00:00Z"', "'a'", '"\\"']
)


@st.composite
def grammar_filters(draw: st.DrawFn, depth: int = 0) -> str:
    """Filters shaped like RFC 7644's grammar, valid or slightly off."""
    kind = draw(st.integers(0, 6 if depth < 3 else 2))
    attribute = draw(attribute_names)
    if kind <= 1:
        return f"{attribute} {draw(st.sampled_from(COMPARE))} {draw(literals)}"
    if kind == 2:
        return f"{attribute} pr"
    if kind == 3:
        inner = draw(grammar_filters(depth + 1))
        return f"{draw(st.sampled_from(['emails', 'name', 'active', attribute]))}[{inner}]"
    if kind == 4:
        return f"not ({draw(grammar_filters(depth + 1))})"
    if kind == 5:
        return f"({draw(grammar_filters(depth + 1))})"
    joiner = draw(st.sampled_from(["and", "or", "AND", "", "and not"]))
    return f"{draw(grammar_filters(depth + 1))} {joiner} {draw(grammar_filters(depth + 1))}"


filters = (
    grammar_filters()
    | st.text(max_size=60)
    | st.integers(1, 200).map(lambda n: "(" * n + 'userName eq "a"' + ")" * n)
)
paths = (
    attribute_names
    | grammar_filters().map(lambda f: f"emails[{f}]")
    | st.builds(
        lambda f, s: f"emails[{f}].{s}", grammar_filters(), st.sampled_from(["value", "type", "nope", ""])
    )
    | st.text(max_size=30)
)


PATHS = [
    "active", "displayName", "name.givenName", "name", "emails", 'emails[type eq "work"].value',
    'emails[type eq "work"]', "emails[primary eq true]", "emails.type", "locale", "externalId", "password",
    f"{CYBOZU_EXTENSION}:kintone", CYBOZU_EXTENSION, "userName", "id", "meta.created", "groups", "schemas",
]  # fmt: skip
# Operations that get past the envelope checks, so the paths and values are what is tested.
plausible_operations = st.fixed_dictionaries(
    {"op": st.sampled_from(["replace", "add", "remove"]), "path": st.sampled_from(PATHS) | paths},
    optional={"value": attribute_values},
) | st.fixed_dictionaries(
    {
        "op": st.sampled_from(["replace", "add"]),
        "value": st.dictionaries(attribute_names, attribute_values, max_size=3),
    }
)
operations = plausible_operations | st.fixed_dictionaries(
    {"op": st.sampled_from(["Replace", "move", 5, None])},
    optional={"path": scalars, "value": json_values},
)
patch_bodies = st.fixed_dictionaries(
    {"schemas": st.just([PATCH_OP]), "Operations": st.lists(plausible_operations, min_size=1, max_size=2)}
)
patch_envelopes = (
    st.fixed_dictionaries(
        {},
        optional={
            "schemas": st.sampled_from([[PATCH_OP], ["x"], "x", None]) | json_values,
            "Operations": st.sampled_from([[], [5], "x", {"op": "add"}, None]) | json_values,
            "operations": st.lists(operations, max_size=2),
        },
    )
    | json_values
)


content_types = st.sampled_from(
    [
        "application/scim+json",
        "application/json",
        "application/scim+json; charset=utf-8",
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ]
) | st.text(max_size=20).filter(lambda s: "\n" not in s and "\r" not in s)


# -- properties ------------------------------------------------------------------------


@FUZZ
@given(body=user_bodies() | json_values)
def test_create_with_generated_bodies(body: Any) -> None:
    response = target().call("POST", "/Users", json=body)
    if response.status_code == 201:
        check_user(response.get_json())


@FUZZ
@given(data=raw_bodies, content_type=content_types, method=st.sampled_from(["POST", "PUT", "PATCH"]))
def test_raw_bytes_and_content_types(data: bytes, content_type: str, method: str) -> None:
    t = target()
    path = "/Users" if method == "POST" else f"/Users/{t.user_id}"
    response = t.call(method, path, data=data, headers={"Content-Type": content_type})
    assert response.status_code in (200, 201, 204, 400, 409, 413, 415), response.get_data(as_text=True)


@FUZZ
@given(body=user_bodies())
def test_replace_with_generated_bodies(body: Any) -> None:
    assert_target_survives("PUT", body)


def assert_target_survives(method: str, body: Any) -> None:
    """Whatever the request did, the user is still there, readable, under its own login name."""
    t = target()
    t.call(method, f"/Users/{t.user_id}", json=body)
    stored = t.call("GET", f"/Users/{t.user_id}")
    assert stored.status_code == 200 and stored.get_json()["userName"] == "target"


@FUZZ
@given(body=patch_bodies)
def test_patch_with_generated_operations(body: Any) -> None:
    assert_target_survives("PATCH", body)


@FUZZ
@given(body=patch_envelopes)
def test_patch_with_generated_envelopes(body: Any) -> None:
    assert_target_survives("PATCH", body)


@FUZZ
@given(
    flt=filters,
    start=st.sampled_from([None, "1", "0", "-3", "x", "99999999999", " 2", "1.5"]),
    count=st.sampled_from([None, "2", "0", "-1", "1000", "abc"]),
    attributes=st.sampled_from([None, "userName", "emails.value,name", "nope", "a b", ""]),
)
def test_search_with_generated_filters(
    flt: str, start: str | None, count: str | None, attributes: str | None
) -> None:
    query = {
        k: v
        for k, v in {"filter": flt, "startIndex": start, "count": count, "attributes": attributes}.items()
        if v is not None
    }
    response = target().call("GET", "/Users", query_string=query)
    assert response.status_code in (200, 400)


@FUZZ
@given(flt=filters | json_values, attributes=json_values)
def test_search_requests_by_post(flt: Any, attributes: Any) -> None:
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": flt,
        "attributes": attributes,
    }
    response = target().call("POST", "/Users/.search", json=body)
    assert response.status_code in (200, 400)


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    path=st.sampled_from(
        [
            "",
            "/",
            "/Users",
            "/Users/",
            "/Users/nope",
            "/Users/.search",
            "/.search",
            "/Schemas",
            "/Schemas/x",
            f"/Schemas/{USER_SCHEMA}",
            "/ResourceTypes",
            "/ResourceTypes/User",
            "/ServiceProviderConfig",
            "/Me",
            "/Bulk",
            "/Groups",
            "/Users/a/b",
            "/%00",
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User/x",
        ]
    )
    | st.text(max_size=20).map(lambda s: "/" + s),
    body=st.none() | json_values,
)
def test_any_method_on_any_path(method: str, path: str, body: Any) -> None:
    kwargs = {} if body is None else {"json": body}
    target().call(method, path, **kwargs)


@FUZZ
@given(
    authorization=st.sampled_from(
        [
            "",
            "Bearer",
            "Bearer ",
            "bearer {token}",
            "Basic {token}",
            "Bearer {token}x",
            "Bearer  {token} ",
            "{token}",
        ]
    )
    | st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
    method=st.sampled_from(["GET", "POST", "DELETE"]),
)
def test_authorization_variants(authorization: str, method: str) -> None:
    t = target()
    value = authorization.replace("{token}", t.token)
    response = t.client.open(
        BASE + "/Users", method=method, headers={"Authorization": value}, json=okta_user("auth")
    )
    check_scim(response)
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@FUZZ
@given(login=st.text(min_size=1, max_size=12), body=patch_bodies)
def test_create_patch_delete_cycle_keeps_the_store_consistent(login: str, body: Any) -> None:
    t = target()
    created = t.call("POST", "/Users", json=okta_user(login))
    if created.status_code != 201:
        return
    user_id = created.get_json()["id"]
    t.call("PATCH", f"/Users/{user_id}", json=body)
    assert t.call("DELETE", f"/Users/{user_id}").status_code == 204
    assert t.call("GET", f"/Users/{user_id}").status_code == 404


def test_huge_bodies_are_413() -> None:
    t = target()
    big = json.dumps(okta_user("big", displayName="x" * (1024 * 1024))).encode()
    assert (
        t.call("POST", "/Users", data=big, headers={"Content-Type": "application/scim+json"}).status_code
        == 413
    )


def test_the_store_is_consistent_after_the_fuzzing() -> None:
    check_store()
