"""A fresh lab for one scenario: both apps on ephemeral ports on 127.0.0.1, in memory; or, against
an external SCIM target (lab.target), okta_sim alone provisioning into it.

Each sandbox has its own lab key and its own clocks, so scenarios run side by
side (threads or pytest-xdist workers) without seeing each other. A seeded sandbox
(a scenario's ``setup.seed``) hands out the same ids and API tokens on every run:
predictable tokens, acceptable only because a sandbox lives on 127.0.0.1 for one run
(simcore.entropy); its lab key stays random.
"""

from __future__ import annotations

from typing import Any

from lab.target import ExternalTarget
from lab.wiring import AppPair, OktaAlone

# Short enough that a "timeout" fault fails a push in a few seconds, long enough for a busy CI.
SCIM_TIMEOUT = 3.0
# An external server (a cybozu.com tenant across the internet) gets Okta's own 60 s.
EXTERNAL_SCIM_TIMEOUT = 60.0


def okta_settings(scim_timeout: float, seed: int | None) -> dict[str, Any]:
    return {
        "SEED": seed,
        "SCIM_TIMEOUT": scim_timeout,
        # /api/v1 counts requests per minute of the lab clock, which a scenario freezes: the window
        # would never reset, so a scenario's setup of thousands of people would hit 429 for good.
        "OKTA_RATE_LIMIT": 1_000_000,
        "ORG_ADMIN": True,  # the UI driver signs in to the console
    }


class Sandbox(AppPair):
    """Both apps as a scenario needs them: memory stores, a short SCIM timeout, an org administrator."""

    external: ExternalTarget | None = None

    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT, seed: int | None = None) -> None:
        """``seed``: the scenario's (None: both apps draw from the OS's random source)."""
        self.scim_timeout = scim_timeout
        self.seed = seed
        super().__init__(cybozu={"SEED": seed}, okta=okta_settings(scim_timeout, seed))


class ExternalSandbox(OktaAlone):
    """okta_sim as a scenario needs it, its pushes going to ``target``; there is no cybozu_sim."""

    def __init__(
        self, target: ExternalTarget, *, scim_timeout: float = EXTERNAL_SCIM_TIMEOUT, seed: int | None = None
    ) -> None:
        self.scim_timeout = scim_timeout
        self.seed = seed
        self.external: ExternalTarget | None = target
        super().__init__(target, okta=okta_settings(scim_timeout, seed))


def sandbox(target: ExternalTarget | None = None, seed: int | None = None) -> Sandbox | ExternalSandbox:
    """The scenario's lab: its own pair, or okta_sim alone for an external target."""
    return Sandbox(seed=seed) if target is None else ExternalSandbox(target, seed=seed)
