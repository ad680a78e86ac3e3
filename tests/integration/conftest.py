"""Both apps on real sockets: okta_sim provisions into cybozu_sim over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lab.server import ServerThread
from lab.wiring import AppPair
from okta_sim import apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import integration
from simcore.clock import LabClock
from tests.conftest import NOW, Lab


@dataclass
class Pair:
    okta: OktaBackend
    okta_app: Any
    cybozu: Lab
    okta_server: ServerThread
    cybozu_server: ServerThread
    token: str = ""

    def users(self, subdomain: str = "example") -> dict[str, dict[str, Any]]:
        return {u["login"]: u for u in self.cybozu.users(subdomain)}

    def person(self, login: str, first: str = "Alice", last: str = "Smith", **extra: Any) -> dict[str, Any]:
        return directory_writes.create_user(
            self.okta, {"login": login, "email": login, "firstName": first, "lastName": last, **extra}
        )

    def cybozu_app(self, *, provisioning: bool = True, domain: str = "example") -> dict[str, Any]:
        """The article's STEP2: add the app, configure the API integration, enable Provisioning to App."""
        app = apps.add_app(self.okta, "cybozu", domain_name=domain)
        if provisioning:
            integration.configure_api_integration(self.okta, app["id"], enabled=True, token=self.token)
            integration.set_provisioning_to_app(self.okta, app["id"], create=True, update=True, deactivate=True)
        return apps.get_app(self.okta, app["id"])


@pytest.fixture
def pair() -> Iterator[Pair]:
    clock = LabClock(frozen_at=NOW)
    # Inline pushes: these tests call the engine and read its outcome at once (the queue has its own).
    okta = {"CLOCK": clock, "SCIM_TIMEOUT": 5.0, "PUSH_MODE": "inline"}
    with AppPair(cybozu={"CLOCK": clock}, okta=okta) as apps_:
        okta_app = apps_.okta.app
        lab = Lab(apps_.cybozu.app)
        lab.tenant("example", licenses={"kintone": 10, "garoon": 10})
        result = Pair(okta_backend(okta_app), okta_app, lab, apps_.okta, apps_.cybozu)
        result.token = lab.token("example", notes="Okta")
        yield result
