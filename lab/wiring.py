"""The one place both simulators are wired together: okta_sim's "Domain Name" leads to the
cybozu_sim beside it, and both share one lab key.

`lab up`, a scenario's sandbox, the benchmarks and the tests all start their pair here, so
a change in how the two are connected is made once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import cybozu_sim.app
import okta_sim.app
from cybozu_sim.public import scim_url_template
from lab.server import ServerThread
from lab.target import ExternalTarget

# Both apps in one process share one GIL: parallel pushes only contend for it. A 1,000-person
# group assignment (scenarios/bulk-1000-group-assignment.yaml) took 3.4-4.3 s with one push
# worker, 5.8-8.8 s with okta_sim's four and 8-22 s with two (bench/README.md, W3). Apart, in
# processes of their own, four workers are faster (W2).
IN_PROCESS_PUSH_WORKERS = 1


def okta_config(lab_key: str, cybozu_url: str, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """okta_sim's configuration for a lab whose cybozu_sim answers at ``cybozu_url``."""
    return {"LAB_KEY": lab_key, "SCIM_URL_TEMPLATE": scim_url_template(cybozu_url), **(settings or {})}


def external_okta_config(
    lab_key: str, target: ExternalTarget, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """okta_sim's configuration when its pushes go to an external SCIM target: every "Domain Name"
    leads there, and it leaves from its loopback egress addresses only when the target is on the
    loopback too (elsewhere the server sees this machine's own address)."""
    return {
        "LAB_KEY": lab_key,
        "SCIM_URL_TEMPLATE": target.scim_url_template,
        "EGRESS_BIND": target.loopback,
        **(settings or {}),
    }


class OktaAlone:
    """okta_sim without a cybozu_sim, provisioning into an external SCIM target (``with`` starts it)."""

    def __init__(
        self, target: ExternalTarget, *, okta: Mapping[str, Any] | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.lab_key = secrets.token_urlsafe(24)
        app = okta_sim.app.create_app(external_okta_config(self.lab_key, target, okta))
        self.okta = ServerThread(app, host, 0)

    @property
    def urls(self) -> dict[str, str]:
        return {"okta": self.okta.url}

    def __enter__(self) -> OktaAlone:
        self.okta.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.okta.stop()


class AppPair:
    """Both apps, each on its own server (not started yet; use ``with`` or :meth:`start`).

    ``cybozu`` and ``okta`` are each app's own configuration (stores, clocks, seeding);
    ports 0 pick free ephemeral ports.
    """

    def __init__(
        self,
        *,
        lab_key: str | None = None,
        cybozu: Mapping[str, Any] | None = None,
        okta: Mapping[str, Any] | None = None,
        host: str = "127.0.0.1",
        cybozu_port: int = 0,
        okta_port: int = 0,
    ) -> None:
        self.lab_key = lab_key or secrets.token_urlsafe(24)
        cybozu_app = cybozu_sim.app.create_app({"LAB_KEY": self.lab_key, **(cybozu or {})})
        self.cybozu = ServerThread(cybozu_app, host, cybozu_port)
        try:
            settings = {"PUSH_WORKERS": IN_PROCESS_PUSH_WORKERS, **(okta or {})}
            okta_app = okta_sim.app.create_app(okta_config(self.lab_key, self.cybozu.url, settings))
            self.okta = ServerThread(okta_app, host, okta_port)
        except BaseException:
            self.cybozu.stop()  # releases the socket it bound
            raise

    @property
    def urls(self) -> dict[str, str]:
        return {"okta": self.okta.url, "cybozu": self.cybozu.url}

    def start(self) -> AppPair:
        self.cybozu.start()
        self.okta.start()
        return self

    def stop(self) -> None:
        self.okta.stop()
        self.cybozu.stop()

    def __enter__(self) -> AppPair:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
