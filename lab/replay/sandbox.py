"""A fresh lab for one scenario: both apps on ephemeral ports on 127.0.0.1, in memory.

Each sandbox has its own lab key and its own clocks, so scenarios run side by
side (threads or pytest-xdist workers) without seeing each other.
"""

from __future__ import annotations

from lab.wiring import AppPair

# Short enough that a "timeout" fault fails a push in a few seconds, long enough for a busy CI.
SCIM_TIMEOUT = 3.0


class Sandbox(AppPair):
    """Both apps as a scenario needs them: memory stores, a short SCIM timeout, an org administrator."""

    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT) -> None:
        self.scim_timeout = scim_timeout
        super().__init__(
            okta={
                "SCIM_TIMEOUT": scim_timeout,
                # /api/v1 counts requests per minute of the lab clock, which a scenario freezes: the window
                # would never reset, so a scenario's setup of thousands of people would hit 429 for good.
                "OKTA_RATE_LIMIT": 1_000_000,
                "ORG_ADMIN": True,  # the UI driver signs in to the console
            }
        )
