"""The published contracts (okta_sim/contract.py, cybozu_sim/contract.py): valid OpenAPI 3.1, in
step with the routes, current in docs/openapi/, and what the apps really answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder

import cybozu_sim.app
import okta_sim.app
from lab import openapi as published
from okta_sim import api_tokens, contract
from okta_sim.backend import get_backend as okta_backend
from simcore.control import LAB_KEY_HEADER
from simcore.openapi import ContractError

PASSWORD = {"password": {"value": "Kv7J2LEa"}}


@pytest.mark.parametrize("name", ["okta_sim.json", "cybozu_sim.json"])
def test_each_document_is_valid_openapi_and_current_in_docs(name: str) -> None:
    document = published.documents()[name]
    validate(document)  # raises on an invalid document
    copy = (published.DOCS / name).read_text(encoding="utf-8")
    assert copy == published.text(document), "regenerate: python -m lab.openapi"


def test_a_route_without_a_contract_entry_or_an_entry_without_a_route_fails_the_build() -> None:
    app = okta_sim.app.create_app({"TESTING": True})
    app.add_url_rule("/api/v1/users/<user_id>/factors", "api_v1.users.factors", lambda user_id: {})
    with pytest.raises(ContractError, match=r"no contract for GET /api/v1/users/<user_id>/factors"):
        contract.openapi(app)
    fresh = okta_sim.app.create_app({"TESTING": True})
    extra = {**contract.OPERATIONS, ("api_v1.users.factors", "GET"): contract.OPERATIONS[("api_v1.users.get_user", "GET")]}  # fmt: skip
    with pytest.raises(ContractError, match=r"no route for GET \(api_v1.users.factors\)"):
        okta_sim.contract.document(
            title="t", description="d", url_map=fresh.url_map, prefixes=("/api/v1",), operations=extra,
            schemas=contract.SCHEMAS, error="Error", ignored=("api_v1.unknown",),
        )  # fmt: skip


class Checked:
    """A test client whose every exchange is validated against the app's own /openapi.json."""

    def __init__(self, app: Flask, headers: dict[str, str]) -> None:
        self.app = app
        self.client = app.test_client()
        self.headers = headers
        self.spec = OpenAPI.from_dict(self.client.get("/openapi.json").get_json())
        self.checked = 0

    def __call__(
        self, method: str, path: str, body: Any = None, status: int | None = None, **query: str
    ) -> Any:
        kwargs: dict[str, Any] = {"method": method, "headers": self.headers, "query_string": query}
        if body is not None:
            kwargs["json"] = body
        response = self.client.open(path, **kwargs)
        if status is not None:
            assert response.status_code == status, response.get_data(as_text=True)
        request = EnvironBuilder(path=path, base_url="http://localhost", **kwargs).get_request()
        self.spec.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        self.checked += 1
        return response.get_json(silent=True)


@pytest.fixture
def okta() -> Iterator[Checked]:
    app = okta_sim.app.create_app({"TESTING": True, "EGRESS_BIND": False, "PUSH_MODE": "inline"})
    _, token = api_tokens.create_token(okta_backend(app), "contract")
    yield Checked(app, {"Authorization": f"SSWS {token}", LAB_KEY_HEADER: app.config["LAB_KEY"]})


def test_what_okta_sim_answers_is_what_its_contract_says(okta: Checked) -> None:
    """Successes and errors of every resource, each validated against the document."""
    api = "/api/v1"
    profile = {"login": "alice@example.com", "email": "alice@example.com", "firstName": "A", "lastName": "S"}
    alice = okta("POST", f"{api}/users", {"profile": profile, "credentials": PASSWORD}, 200)
    okta("GET", f"{api}/users", status=200, search='status eq "ACTIVE"')
    okta("GET", f"{api}/users/alice@example.com", status=200)
    okta("POST", f"{api}/users/{alice['id']}", {"profile": {"title": "Engineer"}}, 200)
    okta("PUT", f"{api}/users/{alice['id']}", {"profile": profile}, 200)
    okta("GET", f"{api}/users", status=400, filter="status eq ACTIVE")
    okta("GET", f"{api}/users/nobody", status=404)
    group = okta("POST", f"{api}/groups", {"profile": {"name": "Sales"}}, 200)
    okta("PUT", f"{api}/groups/{group['id']}/users/{alice['id']}", status=204)
    okta("GET", f"{api}/groups", status=200, expand="stats")
    okta("GET", f"{api}/groups/{group['id']}/users", status=200)
    okta("GET", f"{api}/users/{alice['id']}/groups", status=200)
    app = okta("POST", f"{api}/apps", {"name": "cybozu", "settings": {"app": {"domainName": "example"}}}, 200)
    okta("GET", f"{api}/apps", status=200, q="cyb")
    okta("GET", f"{api}/apps/{app['id']}/connections/default", status=200)
    okta("GET", f"{api}/apps/{app['id']}/features", status=200)
    okta("GET", f"{api}/meta/schemas/apps/{app['id']}/default", status=200)
    okta(
        "POST",
        f"{api}/apps/{app['id']}/users",
        {"id": alice["id"], "credentials": {"userName": "alice"}},
        200,
    )
    okta("GET", f"{api}/apps/{app['id']}/users", status=200)
    okta("PUT", f"{api}/apps/{app['id']}/groups/{group['id']}", {"priority": 0}, 200)
    okta("GET", f"{api}/apps/{app['id']}/groups", status=200)
    okta("GET", f"{api}/users/{alice['id']}/appLinks", status=200)
    okta("DELETE", f"{api}/apps/{app['id']}", status=403)
    okta("POST", f"{api}/apps/{app['id']}/lifecycle/deactivate", status=200)
    okta("POST", f"{api}/users/{alice['id']}/lifecycle/suspend", status=200)
    okta("POST", f"{api}/users/{alice['id']}/lifecycle/suspend", status=400)
    okta("POST", f"{api}/users/{alice['id']}/lifecycle/deactivate", status=200)
    okta("POST", f"{api}/users/{alice['id']}/lifecycle/activate", status=200, sendEmail="false")
    okta("POST", f"{api}/users/{alice['id']}/lifecycle/activate", status=403)
    okta("GET", f"{api}/logs", status=200, limit="5")
    okta("DELETE", f"{api}/groups/{group['id']}", status=204)
    okta("POST", "/_lab/users/nobody/lock-out", status=404)
    okta("POST", f"/_lab/users/{alice['id']}/lock-out", status=200)
    okta("GET", "/_lab/queue", status=200)
    okta("DELETE", f"/_lab/apps/{app['id']}", status=204)
    assert okta.checked == 35


def test_what_cybozu_sim_answers_is_what_its_contract_says() -> None:
    app = cybozu_sim.app.create_app({"TESTING": True})
    lab = Checked(app, {LAB_KEY_HEADER: app.config["LAB_KEY"]})
    lab("POST", "/_lab/tenants", {"subdomain": "example", "licenses": {"kintone": 2}}, 201)
    lab("GET", "/_lab/tenants", status=200)
    token = lab("POST", "/_lab/tenants/example/tokens", {"notes": "Okta"}, 201)
    lab("PUT", f"/_lab/tenants/example/tokens/{token['id']}", {"enabled": False}, 200)
    lab("PUT", "/_lab/tenants/example/propagate-provisioning", {"enabled": True}, 200)
    lab("GET", "/_lab/tenants/example/users", status=200)
    lab("GET", "/_lab/tenants/nowhere", status=404)
    lab("POST", "/_lab/faults", {"status": 503, "path": "/example/scim/v2/Users"}, 201)
    lab("GET", "/_lab/clock", status=200)
    lab("DELETE", "/_lab/tenants/example", status=204)
    assert lab.checked == 10
