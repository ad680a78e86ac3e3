"""The lab client of one exercise run: the run's own cybozu.com environment and Okta app.

A run has its own Okta org (okta_sim.orgs) and cybozu.com environment, each with its
own administrator password, but shares the lab's cybozu_sim and clock with other
trainees (and a run started before orgs shares the lab's own org), so this client differs from the scenario engine's in three ways: ``tenant()`` is the
run's subdomain (a scenario's tenant names are translated to the run's, and so is
the Domain Name an app is added with), ``app()`` is the Okta app whose Domain Name
is that subdomain — the one the trainee adds in the console — and tasks and System
Log events are only those of that app. Its setup never touches the shared clock and
creates Okta people and groups only when they are missing. Any driver performs a
run's verbs with it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lab.drivers.client import ActionError, Do, Endpoints, LabClient
from simcore.control import OBSERVER_HEADER

# The scenario engine's SCIM timeout is short for CI; a trainee's lab uses okta_sim's own.
LAB_SCIM_TIMEOUT = 60.0


@dataclass
class LabEndpoints:
    """A running lab as the client needs it (built from data/lab.json)."""

    urls: dict[str, str]
    lab_key: str
    scim_timeout: float = LAB_SCIM_TIMEOUT

    @classmethod
    def from_runtime(cls, runtime: dict[str, Any]) -> LabEndpoints:
        return cls({"okta": runtime["okta_url"], "cybozu": runtime["cybozu_url"]}, runtime["lab_key"])


def in_org(endpoints: Endpoints, org: str) -> LabEndpoints:
    """The same lab seen from one of okta_sim's orgs (a trainee's own, at /orgs/<org>)."""
    urls = {**endpoints.urls, "okta": org_url(endpoints.urls["okta"], org)}
    return LabEndpoints(urls, endpoints.lab_key, endpoints.scim_timeout)


def org_url(okta: str, org: str | None) -> str:
    """Where an org of the okta_sim at ``okta`` answers (okta_sim.orgs; None: the lab's own org)."""
    return f"{okta}/orgs/{org}" if org else okta


def run_subdomains(base: str, setup: dict[str, Any], subdomain: str) -> dict[str, str]:
    """The scenario's tenant names -> the run's: the first is the run's subdomain, others get a suffix."""
    tenants = [t["subdomain"] for t in (setup.get("cybozu") or {}).get("tenants", [])]
    names = {base: subdomain}
    for number, name in enumerate(tenants[1:], 2):
        names[name] = f"{subdomain}-{number}"
    return names


class RunClient(LabClient):
    """LabClient bound to one run: its subdomain(s) and the app whose Domain Name is its subdomain."""

    def __init__(
        self,
        endpoints: Endpoints,
        subdomain: str,
        renames: dict[str, str] | None = None,
        passwords: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(endpoints)
        self.okta_password, self.cybozu_password = passwords or (None, None)
        # The checklist's reads are the lab observing the org: they spend none of its /api/v1
        # rate limit, which is the trainee's API clients' (issue 16: a class used it up).
        self.http.headers[OBSERVER_HEADER] = "training"
        self.subdomain = subdomain
        self.renames = dict(renames or {})
        self.tenants = [subdomain]
        self.pinned: str | None = None  # the run's app, looked up once per evaluation

    @contextmanager
    def pin_app(self) -> Iterator[str | None]:
        """Look the run's app up once for a whole checklist evaluation (every item reads it)."""
        self.pinned = None
        self.pinned = self._app_or_none()
        try:
            yield self.pinned
        finally:
            self.pinned = None

    # -- names ------------------------------------------------------------------

    def local(self, name: str | None) -> str | None:
        """A scenario's subdomain as this run calls it."""
        return self.renames.get(name, name) if name else name

    def tenant(self, given: str | None) -> str:
        return self.local(given) or self.subdomain

    def domain(self, name: str) -> str:
        return str(self.local(name))

    def run_apps(self) -> list[dict[str, Any]]:
        """The Okta apps whose Domain Name is this run's subdomain, oldest first."""
        return [
            app
            for app in self.okta_pages("/apps", limit=200)
            if app.get("settings", {}).get("app", {}).get("domainName") == self.subdomain
        ]

    def stray_domains(self) -> list[str]:
        """The Domain Names of the org's Cybozu apps that lead elsewhere than the run's subdomain
        (a run in the lab's shared org has none: other runs' apps are not strays)."""
        if self.okta_password is None:  # the lab's shared org (a run from before orgs)
            return []
        found = [app.get("settings", {}).get("app", {}).get("domainName") for app in self.okta_pages("/apps", limit=200)]
        return [str(d) for d in found if d and d != self.subdomain]

    def app(self, given: str | None) -> str:
        if given:
            return given
        if self.pinned:
            return self.pinned
        found = self.run_apps()
        if not found:
            raise ActionError(
                f'no Okta app with the Domain Name "{self.subdomain}" yet: add Cybozu (cybozu.com) '
                "from the App Catalog"
            )
        return str(found[-1]["id"])

    def localize(self, expect: dict[str, Any]) -> dict[str, Any]:
        """An exercise's ``expect`` block with its subdomains translated to this run's."""
        local = copy.deepcopy(expect)
        if "tenant" in local:
            local["tenant"] = self.local(local["tenant"])
        if "domain_name" in local.get("okta_app", {}):
            local["okta_app"]["domain_name"] = self.local(local["okta_app"]["domain_name"])
        return local

    # -- state: only this run's app ----------------------------------------------

    def _app_or_none(self) -> str | None:
        try:
            return self.app(None)
        except ActionError:
            return None

    def tasks(self, status: str = "OPEN") -> list[dict[str, Any]]:
        app_id = self._app_or_none()
        return [t for t in super().tasks(status) if app_id is not None and t["app_id"] == app_id]

    def syslog(self) -> list[dict[str, Any]]:
        app_id = self._app_or_none()
        if app_id is None:
            return []
        return [
            event
            for event in super().syslog()
            if any(t.get("type") == "AppInstance" and t.get("id") == app_id for t in event["target"])
        ]

    # -- setup in a shared lab -----------------------------------------------------

    def setup(self, setup: dict[str, Any], do: Do) -> None:
        """Create the run's environment(s); add Okta people and groups only when missing
        (the org is shared: another run may have made them, or the demo data has them)."""
        for tenant in (setup.get("cybozu") or {}).get("tenants", []):
            self.create_tenant(self.tenant(tenant["subdomain"]), tenant, do)
        okta = setup.get("okta") or {}
        for person in okta.get("people", []):
            if not self.exists(f"/users/{person['login']}"):
                do("okta.add_person", **person)
        for group in okta.get("groups", []):
            try:
                group_id = self.group_id(group["name"])
            except ActionError:
                group_id = self.okta("POST", "/groups", {"profile": {"name": group["name"]}})["id"]
            members = {u["id"] for u in self.okta_pages(f"/groups/{group_id}/users", limit=200)}
            for login in group["members"]:
                user_id = self.user_id(login)
                if user_id not in members:
                    self.okta("PUT", f"/groups/{group_id}/users/{user_id}")

    def exists(self, path: str) -> bool:
        response = self.http.get(self.endpoints.urls["okta"] + "/api/v1" + quote(path, safe="/@"))
        if response.status_code == 404:
            return False
        if response.status_code >= 400:
            raise ActionError(f"okta_sim answered {response.status_code} to GET {path}")
        return True

    def teardown(self) -> None:
        """Remove the run's environments and its Okta apps (Reset exercise)."""
        for app in self.run_apps():
            self.call("okta", "DELETE", f"/_lab/apps/{app['id']}")
        existing = {t["subdomain"] for t in self.call("cybozu", "GET", "/_lab/tenants")}
        for subdomain in dict.fromkeys([self.subdomain, *self.renames.values()]):
            if subdomain in existing:
                self.call("cybozu", "DELETE", f"/_lab/tenants/{subdomain}")
