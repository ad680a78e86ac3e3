"""A fresh lab for one scenario: both apps on ephemeral ports on 127.0.0.1, in memory; or, against
an external SCIM target (lab.target), okta_sim alone provisioning into it.

Each sandbox has its own lab key and its own clocks, so scenarios run side by
side (threads or pytest-xdist workers) without seeing each other.
"""

from __future__ import annotations

from typing import Any

from lab.target import ExternalTarget
from lab.wiring import AppPair, OktaAlone

# Short enough that a "timeout" fault fails a push in a few seconds, long enough for a busy CI.
SCIM_TIMEOUT = 3.0
# An external server (a cybozu.com tenant across the internet) gets Okta's own 60 s.
EXTERNAL_SCIM_TIMEOUT = 60.0


def okta_settings(scim_timeout: float) -> dict[str, Any]:
    return {
        "SCIM_TIMEOUT": scim_timeout,
        # /api/v1 counts requests per minute of the lab clock, which a scenario freezes: the window
        # would never reset, so a scenario's setup of thousands of people would hit 429 for good.
        "OKTA_RATE_LIMIT": 1_000_000,
        "ORG_ADMIN": True,  # the UI driver signs in to the console
    }


class Sandbox(AppPair):
    """Both apps as a scenario needs them: memory stores, a short SCIM timeout, an org administrator."""

    external: ExternalTarget | None = None

    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT) -> None:
        self.scim_timeout = scim_timeout
        super().__init__(okta=okta_settings(scim_timeout))


class ExternalSandbox(OktaAlone):
    """okta_sim as a scenario needs it, its pushes going to ``target``; there is no cybozu_sim."""

    def __init__(self, target: ExternalTarget, *, scim_timeout: float = EXTERNAL_SCIM_TIMEOUT) -> None:
        self.scim_timeout = scim_timeout
        self.external: ExternalTarget | None = target
        super().__init__(target, okta=okta_settings(scim_timeout))


def sandbox(target: ExternalTarget | None = None) -> Sandbox | ExternalSandbox:
    """The scenario's lab: its own pair, or okta_sim alone for an external target."""
    return Sandbox() if target is None else ExternalSandbox(target)
