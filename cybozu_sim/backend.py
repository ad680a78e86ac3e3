"""The state of one cybozu_sim: its store, its clock and the SCIM storage of each tenant.

Plain Python: the SCIM API, the console, the lab control API and the scenario
engine all reach the same state through this object. :func:`get_backend` is the one
place a view finds it (the app factory puts it in the app's extensions).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from cybozu_sim.user_store import USERS_TABLE, UserStore, upgrade_legacy_documents
from simcore.clock import LabClock
from simcore.entropy import Entropy
from simcore.store import Store

# Where the app factory keeps the backend (Flask's app.extensions).
EXTENSION = "cybozu"


class Backend:
    def __init__(
        self, store: Store | None = None, clock: LabClock | None = None, entropy: Entropy | None = None
    ) -> None:
        """``entropy``: where user ids and API tokens come from (default: the OS's random source)."""
        self.store = store or Store()
        self.clock = clock or LabClock()
        self.entropy = entropy or Entropy()
        self._user_storages: dict[str, UserStore] = {}
        upgrade_legacy_documents(self.store)
        self._users = self.store.collection(USERS_TABLE)

    def user_storage(self, subdomain: str) -> UserStore:
        """The store of a tenant's users (loaded once, then kept in memory)."""
        storage = self._user_storages.get(subdomain)
        if storage is None:
            with self.store.lock:
                storage = self._user_storages.get(subdomain)
                if storage is None:
                    storage = UserStore(self._users, subdomain, self.clock.now, self.entropy)
                    self._user_storages[subdomain] = storage
        return storage

    def reset(self) -> None:
        with self.store.lock:
            self.store.clear()
            self._user_storages.clear()
            self.entropy.reset()

    def snapshot(self) -> dict[str, Any]:
        return self.store.snapshot()

    def restore(self, data: dict[str, Any]) -> None:
        with self.store.lock:
            self.store.restore(data)
            upgrade_legacy_documents(self.store)
            self._user_storages.clear()


def get_backend(app: Flask | None = None) -> Backend:
    """The backend of ``app``, by default of the app serving the current request."""
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]
