"""A fresh lab for one scenario: both apps on ephemeral ports on 127.0.0.1, in memory.

Each sandbox has its own lab key and its own clocks, so scenarios run side by
side (threads or pytest-xdist workers) without seeing each other. A seeded sandbox
(a scenario's ``setup.seed``) hands out the same ids and API tokens on every run:
predictable tokens, acceptable only because a sandbox lives on 127.0.0.1 for one run
(simcore.entropy); its lab key stays random.
"""

from __future__ import annotations

from lab.wiring import AppPair

# Short enough that a "timeout" fault fails a push in a few seconds, long enough for a busy CI.
SCIM_TIMEOUT = 3.0


class Sandbox(AppPair):
    """Both apps as a scenario needs them: memory stores, a short SCIM timeout, an org administrator."""

    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT, seed: int | None = None) -> None:
        """``seed``: the scenario's (None: both apps draw from the OS's random source)."""
        self.scim_timeout = scim_timeout
        self.seed = seed
        super().__init__(
            cybozu={"SEED": seed},
            okta={
                "SEED": seed,
                "SCIM_TIMEOUT": scim_timeout,
                # /api/v1 counts requests per minute of the lab clock, which a scenario freezes: the window
                # would never reset, so a scenario's setup of thousands of people would hit 429 for good.
                "OKTA_RATE_LIMIT": 1_000_000,
                "ORG_ADMIN": True,  # the UI driver signs in to the console
            }
        )
