"""A fresh lab for one scenario: both apps on ephemeral ports on 127.0.0.1, in memory.

Each sandbox has its own lab key and its own clocks, so scenarios run side by
side (threads or pytest-xdist workers) without seeing each other.
"""

from __future__ import annotations

import secrets
from typing import Any

from lab.server import ServerThread

# Short enough that a "timeout" fault fails a push in a few seconds, long enough for a busy CI.
SCIM_TIMEOUT = 3.0


class Sandbox:
    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT) -> None:
        import cybozu_sim.app
        import okta_sim.app

        self.lab_key = secrets.token_urlsafe(24)
        self.scim_timeout = scim_timeout
        self.cybozu = ServerThread(cybozu_sim.app.create_app({"LAB_KEY": self.lab_key}))
        okta_config: dict[str, Any] = {
            "LAB_KEY": self.lab_key,
            "SCIM_URL_TEMPLATE": self.cybozu.url + "/{domain}/scim/v2",
            "SCIM_TIMEOUT": scim_timeout,
            # /api/v1 counts requests per minute of the lab clock, which a scenario freezes: the window
            # would never reset, so a scenario's setup of thousands of people would hit 429 for good.
            "OKTA_RATE_LIMIT": 1_000_000,
            "ORG_ADMIN": True,  # the UI driver signs in to the console
        }
        self.okta = ServerThread(okta_sim.app.create_app(okta_config))

    @property
    def urls(self) -> dict[str, str]:
        return {"okta": self.okta.url, "cybozu": self.cybozu.url}

    def __enter__(self) -> Sandbox:
        self.cybozu.start()
        self.okta.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.okta.stop()
        self.cybozu.stop()
