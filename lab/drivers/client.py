"""One HTTP client for both apps of a lab: requests that fail with the app's own message,
the names a scenario has given things (tenants, apps), the scenario's setup, and the
readers of state that expectations and end states use.

Okta is reached through okta_sim's /api/v1 (as Okta's own API would be) and its lab
control API; cybozu.com through cybozu_sim's lab control API. Nothing here touches
storage. Every driver performs its verbs with one of these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

import httpx2
from faker import Faker

from lab.scenario.model import DEFAULT_SEED
from lab.target import ExternalTarget
from okta_sim.public import LOG_RETENTION
from simcore.clock import isoformat, parse_instant
from simcore.control import LAB_KEY_HEADER

DEFAULT_START = "2026-01-05T09:00:00Z"
# Performs a verb with its parameters as keywords (the driver's ``do``): the setup's users,
# IP restriction and people are made as a step would make them, through the driver's consoles.
Do = Callable[..., object]


class ActionError(Exception):
    """The app refused the action; the message is what its console would show."""


class Endpoints(Protocol):
    """A running lab as a client needs it: both apps' base URLs ("okta", "cybozu") and the lab key."""

    urls: dict[str, str]
    lab_key: str
    scim_timeout: float  # okta_sim's SCIM timeout: a "timeout" fault waits a little longer


def okta_message(body: Any, fallback: str) -> str:
    """Okta's error JSON as the console words it: summary (cause; cause)."""
    if isinstance(body, dict) and "errorSummary" in body:
        causes = [c.get("errorSummary", "") for c in body.get("errorCauses") or [] if isinstance(c, dict)]
        return f"{body['errorSummary']} ({'; '.join(causes)})" if causes else str(body["errorSummary"])
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    return fallback


class LabClient:
    """One scenario's connection to its lab, with the names it has learnt (tenants, apps)."""

    def __init__(self, endpoints: Endpoints, *, external: ExternalTarget | None = None) -> None:
        """``external``: okta_sim provisions into that SCIM server and there is no cybozu_sim."""
        self.endpoints = endpoints
        self.external = external
        # The licences setup.cybozu declares per tenant: against an external target, what the
        # Profile Editor keeps (the lab cannot read the tenant's).
        self.declared_licenses: dict[str, dict[str, int]] = {}
        self.http = httpx2.Client(timeout=120.0, headers={LAB_KEY_HEADER: endpoints.lab_key})
        self.tenants: list[str] = []
        self.apps: list[str] = []
        # The administrators' passwords of its Okta org and of the environments it creates (None:
        # the defaults); a trainee's run has its own (lab.training).
        self.okta_password: str | None = None
        self.cybozu_password: str | None = None
        # The scenario's seed (setup.seed, as the sandbox's ids): what a lab.fault with a probability draws from.
        self.seed = DEFAULT_SEED
        self.sign_in()

    def sign_in(self) -> None:
        """Mint the API token the client's /api/v1 calls use (an Okta token expires after 30 days
        unused on the lab clock, so a scenario that jumps ahead gets a fresh one)."""
        token = self.call("okta", "POST", "/_lab/api-tokens", {"name": "scenario"})["token"]
        self.http.headers["Authorization"] = f"SSWS {token}"

    def close(self) -> None:
        self.http.close()

    # -- HTTP ---------------------------------------------------------------------

    def call(
        self, app: str, method: str, path: str, body: Any = None, *, content: bytes | None = None, **params: Any
    ) -> Any:
        """One request (a JSON ``body``, or raw ``content``); an error answer raises ActionError
        with the app's own message."""
        url = self.endpoints.urls[app] + path
        send = {"json": body} if content is None else {"content": content}
        try:
            response = self.request(method, url, params=params or None, **send)
        except httpx2.HTTPError as error:
            raise ActionError(f"{app}_sim did not answer {method} {path}: {error}") from None
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = None
        if response.status_code >= 400:
            raise ActionError(
                okta_message(data, f"{app}_sim answered {response.status_code} to {method} {path}")
            )
        return data

    def request(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        """One HTTP request. The client's own Okta API token expires after 30 days unused on a clock
        the scenario moved: on that 401 an administrator would create another one and carry on."""
        response = self.http.request(method, url, **kwargs)
        if response.status_code == 401 and url.startswith(self.endpoints.urls["okta"] + "/api/v1/"):
            self.sign_in()
            response = self.http.request(method, url, **kwargs)
        return response

    def okta(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("okta", method, "/api/v1" + path, body, **params)

    def okta_pages(self, path: str, **params: Any) -> list[Any]:
        """Every page of an /api/v1 list, following ``Link: <...>; rel="next"``."""
        url: str | None = self.endpoints.urls["okta"] + "/api/v1" + path
        found: list[Any] = []
        while url:
            response = self.request("GET", url, params=params or None)
            if response.status_code >= 400:
                raise ActionError(
                    okta_message(response.json(), f"okta_sim answered {response.status_code} to GET {path}")
                )
            found += response.json()
            url, params = response.links.get("next", {}).get("url"), {}
        return found

    def both(self, method: str, path: str, body: Any = None) -> list[Any]:
        """The same lab call to each app of the lab (okta_sim alone against an external target)."""
        return [self.call(app, method, path, body) for app in ("okta", "cybozu") if app in self.endpoints.urls]

    # -- names --------------------------------------------------------------------

    def tenant(self, given: str | None) -> str:
        if given:
            return given
        if not self.tenants:
            raise ActionError("no cybozu.com tenant: add one under setup.cybozu.tenants")
        return self.tenants[0]

    def app(self, given: str | None) -> str:
        if given:
            return given
        if not self.apps:
            raise ActionError("no Okta app yet: add one with okta.add_catalog_app first")
        return self.apps[-1]

    def domain(self, name: str) -> str:
        """The "Domain Name" a scenario's subdomain has in this lab: itself; against an external
        cybozu.com tenant, that tenant's subdomain (the Domain Name that leads Okta there)."""
        return (self.external.domain if self.external else None) or name

    def okta_people(self) -> list[Any]:
        """Every person, deactivated ones included: Okta's plain list "omits users that have a status
        of DEPROVISIONED", so ask with a search, as its reference advises."""
        return self.okta_pages("/users", search="status pr", limit=200)

    def user_id(self, login: str) -> str:
        return str(self.okta("GET", f"/users/{quote(login, safe='@')}")["id"])

    def group_id(self, name: str) -> str:
        for group in self.okta_pages("/groups", q=name, limit=200):
            if group["profile"]["name"] == name:
                return str(group["id"])
        raise ActionError(f"Not found: Resource not found: {name} (UserGroup)")

    # -- setup --------------------------------------------------------------------

    def create_tenant(self, subdomain: str, tenant: dict[str, Any], do: Do) -> None:
        """One ``setup.cybozu.tenants`` entry, under ``subdomain``: licences, users, access control
        (against an external target only its name and licences are noted: the tenant is as it is)."""
        self.declared_licenses[subdomain] = dict(tenant["licenses"])
        if self.external:
            self.tenants.append(subdomain)
            return
        body = {
            "subdomain": subdomain,
            "licenses": tenant["licenses"],
            "propagate_provisioning": tenant["propagate_provisioning"],
        }
        if self.cybozu_password:
            body["admin_password"] = self.cybozu_password
        self.call("cybozu", "POST", "/_lab/tenants", body)
        if subdomain not in self.tenants:
            self.tenants.append(subdomain)
        for user in tenant["users"]:
            do("cybozu.add_user", tenant=subdomain, **user)
        if "ip_restriction" in tenant:
            do("cybozu.set_ip_restriction", tenant=subdomain, **tenant["ip_restriction"])
        if "basic_auth" in tenant:
            do("cybozu.set_basic_auth", tenant=subdomain, **tenant["basic_auth"])

    def setup(self, setup: dict[str, Any], do: Do) -> None:
        self.seed = int(setup.get("seed", DEFAULT_SEED))
        self.both("POST", "/_lab/clock", {"freeze": setup.get("clock") or DEFAULT_START})
        for tenant in (setup.get("cybozu") or {}).get("tenants", []):
            self.create_tenant(tenant["subdomain"], tenant, do)
        okta = setup.get("okta") or {}
        for person in okta.get("people", []):
            do("okta.add_person", **person)
        members: dict[str, list[str]] = {}
        for group in okta.get("groups", []):
            members.setdefault(group["name"], []).extend(self.user_id(login) for login in group["members"])
        for name, user_ids in members.items():
            group = self.okta("POST", "/groups", {"profile": {"name": name}})
            for user_id in user_ids:
                self.okta("PUT", f"/groups/{group['id']}/users/{user_id}")
        for spec in okta.get("generate", []):
            # Thousands of people: one request to okta_sim's seeding endpoint, not one per person.
            people = [
                {
                    "login": p["login"],
                    "email": p["login"],
                    "firstName": p["first_name"],
                    "lastName": p["last_name"],
                }
                for p in generated_people(spec)
            ]
            self.call("okta", "POST", "/_lab/people", {"people": people, "group": spec.get("group")})

    # -- state, for expectations and end states -------------------------------------

    def clear_exchanges(self) -> None:
        self.call("okta", "DELETE", "/_lab/exchanges")

    def exchanges(self) -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", "/_lab/exchanges"))

    def cybozu_users(self, tenant: str | None = None) -> list[dict[str, Any]]:
        return list(self.call("cybozu", "GET", f"/_lab/tenants/{self.tenant(tenant)}/users"))

    def app_users(self, app: str | None = None) -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", f"/_lab/apps/{self.app(app)}")["appUsers"])

    def tenant_state(self, tenant: str | None = None) -> dict[str, Any]:
        return dict(self.call("cybozu", "GET", f"/_lab/tenants/{self.tenant(tenant)}"))

    def token_position(self, tenant: str | None, given: Any) -> int:
        """Where the API token with the id ``given`` is in the tenant's list (the console's row),
        or an error saying what an id is (issue 17: a token's value passed as its id got only
        "The API token does not exist.")."""
        subdomain = self.tenant(tenant)
        ids = [t["id"] for t in self.tenant_state(subdomain)["tokens"]]
        if given in ids:
            return ids.index(given)
        looks = "; that looks like a token's value" if re.fullmatch(r"[A-Za-z0-9]{40}", str(given)) else ""
        raise ActionError(
            f"no API token with the id {given!r} in {subdomain}{looks}: `id` is the token's id, which "
            "cybozu.create_api_token gives as `id` (save it, e.g. `save: {token_id: id}`, and pass "
            f"\"${{token_id}}\"); the tokens there: {', '.join(ids) or 'none'}"
        )

    def okta_app(self, app: str | None = None) -> dict[str, Any]:
        return dict(self.call("okta", "GET", f"/_lab/apps/{self.app(app)}"))

    def settle(self, timeout: float = 100.0) -> None:
        """Wait until okta_sim has no push queued or running (Okta provisions in the background);
        the wait stays under the client's own 120 s read timeout."""
        answer = self.call("okta", "POST", "/_lab/settle", {"timeout": timeout})
        if not answer["idle"]:
            raise ActionError(f"{answer['pending']} push(es) still queued or running after {timeout:g} s")

    def push_error(self, app_id: str, user_id: str) -> str | None:
        """Once pushes have settled: the error of the app user's last push (None if it is in sync)."""
        self.settle()
        found = next((u for u in self.app_users(app_id) if u["user_id"] == user_id), {})
        return found.get("lastError") if found.get("syncState") == "ERROR" else None

    def errors_in(self, app_id: str) -> int:
        """Once pushes have settled: how many of the app's users are in error (Force Sync's count)."""
        self.settle()
        return sum(u["syncState"] == "ERROR" for u in self.app_users(app_id))

    def still_open(self, task_ids: set[str]) -> int:
        """Once pushes have settled: how many of the tasks are still open (after [Retry Selected])."""
        self.settle()
        return sum(t["status"] == "OPEN" for t in self.tasks("ALL") if t["id"] in task_ids)

    def tasks(self, status: str = "OPEN") -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", "/_lab/tasks", status=status))

    def syslog(self) -> list[dict[str, Any]]:
        """Every event Okta still keeps, as a bounded request (since and until): a polling one (no
        until) has a next link on every page, so following them would never end."""
        now = parse_instant(self.call("okta", "GET", "/_lab/clock")["now"])
        window = {"since": isoformat(now - LOG_RETENTION), "until": isoformat(now)}
        return self.okta_pages("/logs", **window, limit=1000)

    def okta_egress(self) -> list[str]:
        """Okta's current egress addresses, as its documentation publishes them."""
        return list(self.call("okta", "GET", "/_lab/egress")["addresses"])

    def unlicensed_attributes(self, subdomain: str, app_id: str) -> list[str]:
        """The app's service attributes the tenant has no licences for (STEP2-3 deletes them); an
        external tenant's as setup.cybozu declares them."""
        if self.external:
            licensed = set(self.declared_licenses.get(subdomain, {}))
        else:
            licensed = {u["code"] for u in self.call("cybozu", "GET", f"/_lab/tenants/{subdomain}")["licenses"]}
        schema = self.okta("GET", f"/meta/schemas/apps/{app_id}/default")
        return [name for name in schema["definitions"]["custom"]["properties"] if name not in licensed]


def generated_people(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """``count`` people from Faker seeded with ``seed``: the same names on every run."""
    fake = Faker("en_US")
    fake.seed_instance(spec["seed"])
    people = []
    for number in range(1, spec["count"] + 1):
        first, last = fake.first_name(), fake.last_name()
        local = f"{ascii_word(first)}.{ascii_word(last)}{number}"
        people.append({"login": f"{local}@{spec['email_domain']}", "first_name": first, "last_name": last})
    return people


def ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower()) or "user"
