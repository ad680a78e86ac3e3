"""The state of one okta_sim: store, clock, egress addresses, and the SCIM wire log.

Plain Python: /api/v1, the console, the lab control API and the scenario engine
reach the same state through this object. :func:`get_backend` is the one place a
view finds it (the app factory puts it in the app's extensions).
"""

from __future__ import annotations

import threading
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from okta_sim.connections import ConnectionPool
from okta_sim.jobs import JobQueue
from simcore.clock import LabClock, isoformat
from simcore.entropy import Entropy
from simcore.store import Collection, Store

# Okta's egress addresses change over time. The lab models pools of loopback
# addresses: requests leave from the current pool, and a lab control call
# rotates to the next one, so an allowlist of "Okta's IPs" breaks as the
# article warns.
PUSH_LOCK_STRIPES = 64
# Where the app's "Domain Name" leads unless configured (SCIM_URL_TEMPLATE): a `lab up` cybozu_sim on its
# default port. The lab's wiring (lab/wiring.py) always points it at the cybozu_sim it started.
DEFAULT_SCIM_URL_TEMPLATE = "http://127.0.0.1:8002/{domain}/scim/v2"
# Where the app factory keeps the backend (Flask's app.extensions).
EXTENSION = "okta"
DEFAULT_EGRESS_POOLS = [
    ["127.0.0.11", "127.0.0.12"],
    ["127.0.0.21", "127.0.0.22"],
    ["127.0.0.31", "127.0.0.32"],
]


@dataclass
class Egress:
    pools: list[list[str]] = field(default_factory=lambda: [list(p) for p in DEFAULT_EGRESS_POOLS])
    bind: bool = True  # False where the OS cannot bind 127.x.y.z (then the peer sees 127.0.0.1)
    current: int = 0
    _turn: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def addresses(self) -> list[str]:
        return list(self.pools[self.current])

    def next_address(self) -> str | None:
        """Round-robin over the current pool (None when not binding)."""
        if not self.bind:
            return None
        with self._lock:
            pool = self.pools[self.current]
            address = pool[self._turn % len(pool)]
            self._turn += 1
            return address

    def address_for(self, key: str) -> str | None:
        """The current pool's address for ``key`` (a person's login): the same one whichever
        worker pushes, so the source an allowlist sees does not depend on the threads' timing."""
        if not self.bind:
            return None
        pool = self.pools[self.current]
        return pool[zlib.crc32(key.encode()) % len(pool)]

    def rotate(self) -> list[str]:
        with self._lock:
            self.current = (self.current + 1) % len(self.pools)
            self._turn = 0
        return self.addresses()


def login_key(user: dict[str, Any]) -> str:
    """Okta logins are unique regardless of case."""
    return str(user["profile"]["login"]).lower()


class OktaBackend:
    def __init__(
        self,
        store: Store | None = None,
        clock: LabClock | None = None,
        *,
        scim_url_template: str = DEFAULT_SCIM_URL_TEMPLATE,
        scim_timeout: float = 60.0,
        egress: Egress | None = None,
        push_mode: str = "inline",
        push_workers: int = 4,
        scim_retries: int = 0,
        entropy: Entropy | None = None,
    ) -> None:
        """``push_mode``: "queued" (the app factory's default, as Okta) or "inline" (pushes in the
        request: what unit tests of the engine want); ``push_workers`` bounds concurrent pushes;
        ``scim_retries``: how often a 5xx or a timeout is tried again before the push fails;
        ``entropy``: where ids and API tokens come from (default: the OS's random source)."""
        self.store = store or Store()
        self.clock = clock or LabClock()
        self.entropy = entropy or Entropy()
        self.scim_url_template = scim_url_template
        self.scim_timeout = scim_timeout
        self.egress = egress or Egress()
        self.push_mode = push_mode
        self.scim_retries = scim_retries
        self.jobs = JobQueue(self.store, workers=push_workers)
        self.exchanges: deque[dict[str, Any]] = deque(maxlen=5000)
        # Every request ever sent (the wire log above keeps only the last 5,000): W2 counts 20,000.
        self.exchanges_sent = 0
        # Keep-alive connections to cybozu.com, shared by every push of this org.
        self.connections = ConnectionPool()
        # One push per app user at a time (pushes run without holding the store); striped, so the
        # memory does not grow with the number of assignments.
        self._push_locks = [threading.Lock() for _ in range(PUSH_LOCK_STRIPES)]
        self.users: Collection = self.store.collection("users", unique=login_key)
        self.groups: Collection = self.store.collection("groups")
        self.apps: Collection = self.store.collection("apps")
        self.app_users: Collection = self.store.collection("app_users", key="key")
        self.app_groups: Collection = self.store.collection("app_groups", key="key")
        self.tasks: Collection = self.store.collection("tasks")
        self.api_tokens: Collection = self.store.collection("api_tokens")
        self.admins: Collection = self.store.collection("admins", key="login")

    def now(self) -> str:
        """The lab clock's time as Okta prints it."""
        return isoformat(self.clock.now())

    def push_lock(self, key: str) -> threading.Lock:
        """The lock that serialises pushes of the app user ``key``."""
        return self._push_locks[zlib.crc32(key.encode()) % PUSH_LOCK_STRIPES]

    def scim_url(self, domain: str) -> str:
        """The one template that turns the app's "Domain Name" into cybozu's SCIM endpoint."""
        return self.scim_url_template.format(domain=domain)

    def reset(self) -> None:
        self.store.clear()
        self.exchanges.clear()
        self.entropy.reset()
        self.jobs.reload()

    def snapshot(self) -> dict[str, Any]:
        return self.store.snapshot()

    def restore(self, data: dict[str, Any]) -> None:
        """Put the store back to ``data``, the push queue included (its jobs run again)."""
        self.store.restore(data)
        self.jobs.reload()


def get_backend(app: Flask | None = None) -> OktaBackend:
    """The backend of ``app``, by default of the app serving the current request."""
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]
