"""The API driver: performs each scenario verb through the apps' HTTP interfaces.

Okta's actions go through okta_sim's /api/v1 (as Okta's own API would take them)
and, for the console buttons Okta has no public API for ([Test API
Credentials], [Force Sync], [Retry Selected]), through okta_sim's lab control
API, which calls the same domain functions as the console. cybozu.com's admin
actions go through cybozu_sim's lab control API. Nothing here touches storage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2
from faker import Faker

from lab.scenario.sandbox import Sandbox
from okta_sim.public import CYBOZU_APP, search_catalog
from simcore.control import LAB_KEY_HEADER

DEFAULT_START = "2026-01-05T09:00:00Z"
BUILT_IN_TEMPLATES = {
    "email": "${source.email}",
    "email_prefix": '${fn:substringBefore(source.email, "@")}',
    "okta_username": "${source.login}",
    "okta_username_prefix": '${fn:substringBefore(source.login, "@")}',
}
FAULT_STATUS = {"rate_limit": 429, "server_error": 503}


class ActionError(Exception):
    """The app refused the action; the message is what its console would show."""


@dataclass
class Result:
    ok: bool = True
    message: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def okta_message(body: Any, fallback: str) -> str:
    """Okta's error JSON as the console words it: summary (cause; cause)."""
    if isinstance(body, dict) and "errorSummary" in body:
        causes = [c.get("errorSummary", "") for c in body.get("errorCauses") or [] if isinstance(c, dict)]
        return f"{body['errorSummary']} ({'; '.join(causes)})" if causes else str(body["errorSummary"])
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    return fallback


class ApiDriver:
    """One scenario's connection to its sandbox, with the names it has learnt (tenants, apps)."""

    name = "api"

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx2.Client(timeout=120.0, headers={LAB_KEY_HEADER: sandbox.lab_key})
        self.tenants: list[str] = []
        self.apps: list[str] = []
        self.snapshots: dict[str, dict[str, Any]] = {}
        self.sign_in()

    def sign_in(self) -> None:
        """Mint the API token the driver's /api/v1 calls use (an Okta token expires after 30 days
        unused on the lab clock, so a scenario that jumps ahead gets a fresh one)."""
        token = self.call("okta", "POST", "/_lab/api-tokens", {"name": "scenario"})["token"]
        self.http.headers["Authorization"] = f"SSWS {token}"

    def close(self) -> None:
        self.http.close()

    # -- HTTP ---------------------------------------------------------------------

    def call(self, app: str, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """One request; an error answer raises ActionError with the app's own message."""
        url = self.sandbox.urls[app] + path
        try:
            response = self.http.request(method, url, json=body, params=params or None)
            if response.status_code == 401 and app == "okta" and path.startswith("/api/v1/"):
                # The driver's own token expired (30 days unused on a clock the scenario moved): an
                # administrator would create another one and carry on.
                self.sign_in()
                response = self.http.request(method, url, json=body, params=params or None)
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

    def okta(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        return self.call("okta", method, "/api/v1" + path, body, **params)

    def okta_pages(self, path: str, **params: Any) -> list[Any]:
        """Every page of an /api/v1 list, following ``Link: <...>; rel="next"``."""
        url: str | None = self.sandbox.urls["okta"] + "/api/v1" + path
        found: list[Any] = []
        while url:
            response = self.http.get(url, params=params or None)
            if response.status_code >= 400:
                raise ActionError(
                    okta_message(response.json(), f"okta_sim answered {response.status_code} to GET {path}")
                )
            found += response.json()
            url, params = response.links.get("next", {}).get("url"), {}
        return found

    def both(self, method: str, path: str, body: Any = None) -> list[Any]:
        return [self.call(app, method, path, body) for app in ("okta", "cybozu")]

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

    def user_id(self, login: str) -> str:
        return str(self.okta("GET", f"/users/{quote(login, safe='@')}")["id"])

    def group_id(self, name: str) -> str:
        for group in self.okta_pages("/groups", q=name, limit=200):
            if group["profile"]["name"] == name:
                return str(group["id"])
        raise ActionError(f"Not found: Resource not found: {name} (UserGroup)")

    # -- setup --------------------------------------------------------------------

    def create_tenant(self, subdomain: str, tenant: dict[str, Any]) -> None:
        """One ``setup.cybozu.tenants`` entry, under ``subdomain``: licences, users, IP restriction."""
        body = {
            "subdomain": subdomain,
            "licenses": tenant["licenses"],
            "propagate_provisioning": tenant["propagate_provisioning"],
        }
        self.call("cybozu", "POST", "/_lab/tenants", body)
        if subdomain not in self.tenants:
            self.tenants.append(subdomain)
        for user in tenant["users"]:
            self.cybozu_add_user(tenant=subdomain, **user)
        if "ip_restriction" in tenant:
            self.cybozu_set_ip_restriction(tenant=subdomain, **tenant["ip_restriction"])

    def setup(self, setup: dict[str, Any]) -> None:
        self.both("POST", "/_lab/clock", {"freeze": setup.get("clock") or DEFAULT_START})
        for tenant in (setup.get("cybozu") or {}).get("tenants", []):
            self.create_tenant(tenant["subdomain"], tenant)
        okta = setup.get("okta") or {}
        for person in okta.get("people", []):
            self.okta_add_person(**person)
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

    # -- cybozu.com ---------------------------------------------------------------

    def cybozu_create_api_token(
        self, tenant: str | None = None, notes: str = "", expiration: str | None = None
    ) -> Result:
        body: dict[str, Any] = {"notes": notes}
        if expiration:
            body["expires"] = expiration
        answer = self.call("cybozu", "POST", f"/_lab/tenants/{self.tenant(tenant)}/tokens", body)
        return Result(
            values={"token": answer["token"], "scim_endpoint": answer["scim_endpoint"], "id": answer["id"]}
        )

    def cybozu_disable_api_token(self, id: str, tenant: str | None = None) -> Result:  # noqa: A002
        self.call("cybozu", "PUT", f"/_lab/tenants/{self.tenant(tenant)}/tokens/{id}", {"enabled": False})
        return Result()

    def cybozu_delete_api_token(self, id: str, tenant: str | None = None) -> Result:  # noqa: A002
        self.call("cybozu", "DELETE", f"/_lab/tenants/{self.tenant(tenant)}/tokens/{id}")
        return Result()

    def cybozu_set_propagate_provisioning(self, enabled: bool, tenant: str | None = None) -> Result:
        self.call(
            "cybozu",
            "PUT",
            f"/_lab/tenants/{self.tenant(tenant)}/propagate-provisioning",
            {"enabled": enabled},
        )
        return Result()

    def cybozu_set_ip_restriction(
        self,
        enabled: bool = True,
        allowed: list[str] | None = None,
        allow_okta_ips: bool = False,
        tenant: str | None = None,
    ) -> Result:
        entries = list(allowed or [])
        if allow_okta_ips:
            entries += self.call("okta", "GET", "/_lab/egress")["addresses"]
        self.call(
            "cybozu",
            "PUT",
            f"/_lab/tenants/{self.tenant(tenant)}/ip-restriction",
            {"enabled": enabled, "allowed": entries},
        )
        return Result()

    def cybozu_add_user(
        self,
        login: str,
        display: str | None = None,
        surname: str = "",
        given: str = "",
        email: str = "",
        services: list[str] | None = None,
        active: bool = True,
        tenant: str | None = None,
    ) -> Result:
        body = {"login": login, "surname": surname, "given": given, "email": email}
        body.update(services=services or [], active=active, display=display or login)
        answer = self.call("cybozu", "POST", f"/_lab/tenants/{self.tenant(tenant)}/users", body)
        return Result(values={"id": answer["id"]})

    def cybozu_delete_user(self, login: str, tenant: str | None = None) -> Result:
        subdomain = self.tenant(tenant)
        user = next((u for u in self.cybozu_users(subdomain) if u["login"] == login), None)
        if user is None:
            raise ActionError(f"no user with the log in name {login!r} in {subdomain}")
        self.call("cybozu", "DELETE", f"/_lab/tenants/{subdomain}/users/{user['id']}")
        return Result()

    # -- Okta -----------------------------------------------------------------------

    def okta_add_catalog_app(
        self, domain_name: str, search: str = "cybozu", label: str | None = None
    ) -> Result:
        if not any(entry.key == CYBOZU_APP for entry in search_catalog(search)):
            raise ActionError(f'Searching the App Catalog for "{search}" does not find Cybozu (cybozu.com).')
        body: dict[str, Any] = {"name": CYBOZU_APP, "settings": {"app": {"domainName": domain_name}}}
        if label:
            body["label"] = label
        app = self.okta("POST", "/apps", body)
        self.apps.append(app["id"])
        return Result(values={"id": app["id"], "label": app["label"]})

    def okta_configure_api_integration(
        self, enabled: bool = True, token: str | None = None, app: str | None = None
    ) -> Result:
        app_id = self.app(app)
        if enabled:
            self.okta(
                "POST",
                f"/apps/{app_id}/connections/default",
                {"profile": {"authScheme": "TOKEN", "token": token}},
            )
        else:
            self.okta("POST", f"/apps/{app_id}/connections/default/lifecycle/deactivate")
        return Result(message=f"API integration: {'Enabled' if enabled else 'Disabled'}")

    def okta_test_api_credentials(self, token: str, app: str | None = None) -> Result:
        answer = self.call("okta", "POST", f"/_lab/apps/{self.app(app)}/test-credentials", {"token": token})
        return Result(ok=answer["ok"], message=answer["message"])

    def okta_set_provisioning_to_app(
        self, create: bool = True, update: bool = True, deactivate: bool = True, app: str | None = None
    ) -> Result:
        def status(on: bool) -> dict[str, str]:
            return {"status": "ENABLED" if on else "DISABLED"}

        body = {
            "create": {"lifecycleCreate": status(create)},
            "update": {"profile": status(update), "lifecycleDeactivate": status(deactivate)},
        }
        self.okta("PUT", f"/apps/{self.app(app)}/features/USER_PROVISIONING", body)
        return Result()

    def okta_delete_profile_attribute(self, attribute: str, app: str | None = None) -> Result:
        body = {"definitions": {"custom": {"properties": {attribute: None}}}}
        self.okta("POST", f"/meta/schemas/apps/{self.app(app)}/default", body)
        return Result()

    def okta_set_username_format(
        self, format: str, expression: str | None = None, app: str | None = None
    ) -> Result:  # noqa: A002
        if format == "none":
            template: dict[str, Any] = {"type": "NONE"}
        elif format == "custom":
            template = {"type": "CUSTOM", "template": expression}
        else:
            template = {"type": "BUILT_IN", "template": BUILT_IN_TEMPLATES[format]}
        self.okta("PUT", f"/apps/{self.app(app)}", {"credentials": {"userNameTemplate": template}})
        return Result()

    def _pushed(self, app_id: str, app_user: dict[str, Any]) -> Result:
        """An assignment's push failed when its sync state is ERROR; the console shows Okta's error."""
        if app_user.get("syncState") != "ERROR":
            return Result()
        state = self.call("okta", "GET", f"/_lab/apps/{app_id}")
        found = next((u for u in state["appUsers"] if u["user_id"] == app_user["id"]), {})
        return Result(ok=False, message=found.get("lastError") or "the push failed")

    def okta_assign_people(
        self,
        user: str,
        user_name: str | None = None,
        services: dict[str, str] | None = None,
        app: str | None = None,
    ) -> Result:
        app_id = self.app(app)
        body: dict[str, Any] = {"id": self.user_id(user), "scope": "USER", "profile": services or {}}
        if user_name is not None:
            body["credentials"] = {"userName": user_name}
        return self._pushed(app_id, self.okta("POST", f"/apps/{app_id}/users", body))

    def okta_update_assignment(
        self,
        user: str,
        user_name: str | None = None,
        services: dict[str, str] | None = None,
        app: str | None = None,
    ) -> Result:
        app_id = self.app(app)
        user_id = self.user_id(user)
        body: dict[str, Any] = {}
        if user_name is not None:
            body["credentials"] = {"userName": user_name}
        if services is not None:
            # The services named change; the others keep their values, as on the console's form.
            current = self.okta("GET", f"/apps/{app_id}/users/{user_id}")["profile"]
            body["profile"] = {**current, **services}
        return self._pushed(app_id, self.okta("POST", f"/apps/{app_id}/users/{user_id}", body))

    def okta_assign_group(
        self,
        group: str,
        services: dict[str, str] | None = None,
        priority: int | None = None,
        app: str | None = None,
    ) -> Result:
        body: dict[str, Any] = {"profile": services or {}}
        if priority is not None:
            body["priority"] = priority
        self.okta("PUT", f"/apps/{self.app(app)}/groups/{self.group_id(group)}", body)
        return Result()

    def okta_unassign(
        self, user: str | None = None, group: str | None = None, app: str | None = None
    ) -> Result:
        app_id = self.app(app)
        if user is not None:
            self.okta("DELETE", f"/apps/{app_id}/users/{self.user_id(user)}")
        else:
            self.okta("DELETE", f"/apps/{app_id}/groups/{self.group_id(str(group))}")
        return Result()

    def okta_add_person(
        self,
        login: str,
        first_name: str,
        last_name: str,
        email: str | None = None,
        display_name: str | None = None,
    ) -> Result:
        profile = {"login": login, "firstName": first_name, "lastName": last_name, "email": email or login}
        if display_name:
            profile["displayName"] = display_name
        user = self.call("okta", "POST", "/api/v1/users", {"profile": profile}, activate="true")
        return Result(values={"id": user["id"]})

    def okta_update_user(self, user: str, profile: dict[str, str]) -> Result:
        self.okta("POST", f"/users/{self.user_id(user)}", {"profile": profile})
        return Result()

    def okta_deactivate_user(self, user: str) -> Result:
        self.okta("POST", f"/users/{self.user_id(user)}/lifecycle/deactivate")
        return Result()

    def okta_activate_user(self, user: str) -> Result:
        self.okta("POST", f"/users/{self.user_id(user)}/lifecycle/activate")
        return Result()

    def okta_add_to_group(self, group: str, user: str) -> Result:
        self.okta("PUT", f"/groups/{self.group_id(group)}/users/{self.user_id(user)}")
        return Result()

    def okta_remove_from_group(self, group: str, user: str) -> Result:
        self.okta("DELETE", f"/groups/{self.group_id(group)}/users/{self.user_id(user)}")
        return Result()

    def okta_force_sync(self, app: str | None = None) -> Result:
        answer = self.call("okta", "POST", f"/_lab/apps/{self.app(app)}/force-sync")
        return Result(
            ok=not answer["errors"],
            message=answer["message"],
            values={"checked": answer["checked"], "errors": answer["errors"], "message": answer["message"]},
        )

    def okta_retry_tasks(self, user: str | None = None) -> Result:
        user_id = self.user_id(user) if user else None
        selected = [t["id"] for t in self.tasks() if user_id is None or t["user_id"] == user_id]
        if not selected:
            raise ActionError("Select the tasks to retry.")
        answer = self.call("okta", "POST", "/_lab/tasks/retry", {"task_ids": selected})
        still_open = sum(t["status"] == "OPEN" for t in answer["tasks"])
        return Result(ok=not still_open, message=answer["message"], values={"message": answer["message"]})

    def okta_turn_off_provisioning(self, app: str | None = None) -> Result:
        return self.okta_configure_api_integration(enabled=False, app=app)

    def okta_restart_provisioning(self, app: str | None = None) -> Result:
        app_id = self.app(app)
        self.okta("POST", f"/apps/{app_id}/connections/default/lifecycle/activate")
        self.okta_set_provisioning_to_app(app=app_id)
        return Result(message="API integration: Enabled", values={"message": "API integration: Enabled"})

    # -- lab ------------------------------------------------------------------------

    def lab_connect(
        self, tenant: str | None = None, domain_name: str | None = None, delete_unlicensed: bool = True
    ) -> Result:
        subdomain = self.tenant(tenant)
        token = self.cybozu_create_api_token(tenant=subdomain, notes="Okta").values
        self.cybozu_set_propagate_provisioning(True, tenant=subdomain)
        app_id = self.okta_add_catalog_app(domain_name=domain_name or subdomain).values["id"]
        self.okta_configure_api_integration(token=token["token"], app=app_id)
        self.okta_set_provisioning_to_app(app=app_id)
        if delete_unlicensed:
            self.delete_unlicensed_attributes(subdomain, app_id)
        return Result(values={"token": token["token"], "token_id": token["id"], "app": app_id})

    def delete_unlicensed_attributes(self, subdomain: str, app_id: str) -> None:
        """Profile Editor: delete the service attributes the tenant has no licences for."""
        licensed = {u["code"] for u in self.call("cybozu", "GET", f"/_lab/tenants/{subdomain}")["licenses"]}
        for attribute in self.okta("GET", f"/meta/schemas/apps/{app_id}/default")["definitions"]["custom"][
            "properties"
        ]:
            if attribute not in licensed:
                self.okta_delete_profile_attribute(attribute, app=app_id)

    def lab_advance_clock(self, seconds: int = 0, days: int = 0) -> Result:
        self.both("POST", "/_lab/clock", {"advance": seconds + days * 86400})
        return Result()

    def lab_rotate_okta_ips(self) -> Result:
        addresses = self.call("okta", "POST", "/_lab/egress/rotate")["addresses"]
        return Result(values={"addresses": ", ".join(addresses)})

    def lab_fault(
        self,
        kind: str,
        app: str = "cybozu",
        status: int | None = None,
        retry_after: int | None = None,
        delay_ms: int | None = None,
        times: int | None = None,
        path: str = "/scim/v2/",
        method: str | None = None,
    ) -> Result:
        spec: dict[str, Any] = {"path": path}
        if kind in FAULT_STATUS:
            spec["status"] = status or FAULT_STATUS[kind]
        if kind == "rate_limit":
            spec["retry_after"] = 1 if retry_after is None else retry_after
        if kind == "latency":
            spec["delay_ms"] = delay_ms or 500
        if kind == "timeout":
            spec["delay_ms"] = int((self.sandbox.scim_timeout + 1) * 1000)
        for key, value in (("times", times), ("method", method)):
            if value is not None:
                spec[key] = value
        self.call(app, "POST", "/_lab/faults", spec)
        return Result()

    def lab_clear_faults(self) -> Result:
        self.both("DELETE", "/_lab/faults")
        return Result()

    def lab_snapshot(self, name: str = "default") -> Result:
        okta, cybozu = self.both("GET", "/_lab/snapshot")
        self.snapshots[name] = {
            "okta": okta,
            "cybozu": cybozu,
            "tenants": list(self.tenants),
            "apps": list(self.apps),
        }
        return Result()

    def lab_restore(self, name: str = "default") -> Result:
        if name not in self.snapshots:
            raise ActionError(f"no snapshot named {name!r}; take one with lab.snapshot first")
        saved = self.snapshots[name]
        for app in ("okta", "cybozu"):
            self.call(app, "POST", "/_lab/restore", saved[app])
        self.tenants, self.apps = list(saved["tenants"]), list(saved["apps"])
        return Result()

    # -- state, for expectations ----------------------------------------------------

    def begin_step(self) -> None:
        self.call("okta", "DELETE", "/_lab/exchanges")

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        """Files that show a failing step (the UI driver keeps a screenshot and a trace); none here."""
        return []

    def exchanges(self) -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", "/_lab/exchanges"))

    def cybozu_users(self, tenant: str | None = None) -> list[dict[str, Any]]:
        return list(self.call("cybozu", "GET", f"/_lab/tenants/{self.tenant(tenant)}/users"))

    def app_users(self, app: str | None = None) -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", f"/_lab/apps/{self.app(app)}")["appUsers"])

    def tenant_state(self, tenant: str | None = None) -> dict[str, Any]:
        return dict(self.call("cybozu", "GET", f"/_lab/tenants/{self.tenant(tenant)}"))

    def okta_app(self, app: str | None = None) -> dict[str, Any]:
        return dict(self.call("okta", "GET", f"/_lab/apps/{self.app(app)}"))

    def tasks(self, status: str = "OPEN") -> list[dict[str, Any]]:
        return list(self.call("okta", "GET", "/_lab/tasks", status=status))

    def syslog(self) -> list[dict[str, Any]]:
        return self.okta_pages("/logs", since="2000-01-01T00:00:00Z", limit=1000)


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
