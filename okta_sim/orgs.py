"""Many Okta orgs in one okta_sim: the lab's own org at the root, a trainee's at ``/orgs/<name>/``.

A real Okta org lives at its own address (``https://<org>.okta.com``) with its own
administrators, people, apps, API tokens, System Log, tasks and egress addresses; a class
needs one per trainee. Each org here is a whole okta_sim app of its own (its own store,
session cookie, secret and rate limits), mounted under its prefix by this WSGI
middleware in front of the root org's app, as Flask's docs mount applications
(``app.wsgi_app = middleware(app.wsgi_app)``). So nothing of one org can reach
another's: they share no Flask app, no store and no session key.

The root org's lab control API (``/_lab/orgs``) creates, resets and deletes orgs; the
list lives in ``orgs.json`` of ``ORGS_DIR`` beside each org's own store, so a restart
of the lab brings every org back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, request

from okta_sim.backend import get_backend
from okta_sim.errors import Conflict, Invalid, NotFound
from simcore.journal import remove_store_files, replace_durably

PREFIX = "/orgs/"
NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
MAX_ORGS = 250  # each org's egress addresses are 127.1.<number>.x
EXTENSION = "okta_orgs"
REGISTRY_FILE = "orgs.json"
# What an org takes over from the root org's configuration: where its apps' SCIM requests go
# and how Okta sends them, and the seed of a seeded lab; the rest (store, secret, cookie, egress,
# admin, the room its seeded ids are drawn in) is its own.
INHERITED = ("LAB_KEY", "SCIM_URL_TEMPLATE", "SCIM_TIMEOUT", "PUSH_MODE", "SCIM_RETRIES", "EGRESS_BIND", "OKTA_RATE_LIMIT", "SEED")
PUSH_WORKERS = 2  # a trainee's org pushes a few people at a time; thirty orgs share two cores


def egress_pools(number: int) -> list[list[str]]:
    """An org's own egress addresses, distinct from every other org's and the root org's
    (127.0.0.x): an allowlist of one trainee's Okta addresses does not let another's in."""
    return [[f"127.1.{number}.{pool}1", f"127.1.{number}.{pool}2"] for pool in (1, 2, 3)]


@dataclass
class Org:
    name: str
    number: int
    app: Flask

    @property
    def path(self) -> str:
        return f"{PREFIX}{self.name}"

    def describe(self) -> dict[str, Any]:
        backend = get_backend(self.app)
        return {"name": self.name, "path": self.path, "egress": backend.egress.addresses()}


class OrgHost:
    """The orgs beside the root org, and the WSGI dispatch to them."""

    def __init__(self, root: Flask, factory: Callable[[dict[str, Any]], Flask]) -> None:
        self.root = root
        self.root_wsgi = root.wsgi_app
        self.factory = factory
        self.folder: Path | None = Path(root.config["ORGS_DIR"]) if root.config.get("ORGS_DIR") else None
        self.orgs: dict[str, Org] = {}
        self.lock = threading.RLock()
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            registry = self.folder / REGISTRY_FILE
            if registry.exists():
                for entry in json.loads(registry.read_text()):
                    self.orgs[entry["name"]] = self._open(entry["name"], entry["number"], None)

    # -- WSGI --------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self.root_wsgi(environ, start_response)  # type: ignore[no-any-return]
        name, slash, rest = path[len(PREFIX) :].partition("/")
        org = self.orgs.get(name)
        if org is None:
            # The root app answers (its 404 page, or Okta's JSON 404 under /api/v1).
            return self.root_wsgi(environ, start_response)  # type: ignore[no-any-return]
        environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + org.path, PATH_INFO=slash + rest)
        return org.app.wsgi_app(environ, start_response)  # type: ignore[no-any-return]

    # -- orgs ----------------------------------------------------------------------------

    def _config(self, name: str, number: int, admin_password: str | None) -> dict[str, Any]:
        root = self.root.config
        secret = hmac.new(str(root["SECRET_KEY"]).encode(), f"org:{name}".encode(), hashlib.sha256).hexdigest()
        config: dict[str, Any] = {key: root[key] for key in INHERITED if key in root}
        config.update(
            SECRET_KEY=secret,
            CLOCK=get_backend(self.root).clock,  # one lab clock: a trainer's time travel moves every org
            DATA_FILE=self.folder / f"{name}.json" if self.folder else None,
            SESSION_COOKIE_NAME=f"okta_session_{name}",
            SESSION_COOKIE_PATH=f"{PREFIX}{name}/",
            EGRESS_POOLS=egress_pools(number),
            PUSH_WORKERS=PUSH_WORKERS,
            ORG_NAME=name,
            SEED_ROOM=f"{self.root.name}/orgs/{name}",
            HOST_ORGS=False,
            SEED_DEMO=False,
            ORG_ADMIN=admin_password is not None,
            ADMIN_PASSWORD=admin_password,
        )
        return config

    def _open(self, name: str, number: int, admin_password: str | None) -> Org:
        return Org(name, number, self.factory(self._config(name, number, admin_password)))

    def _save(self) -> None:
        if self.folder is not None:
            entries = [{"name": org.name, "number": org.number} for org in self.orgs.values()]
            replace_durably(self.folder / REGISTRY_FILE, json.dumps(entries, indent=2).encode())

    def get(self, name: str) -> Org:
        org = self.orgs.get(name)
        if org is None:
            raise NotFound(f"Not found: Resource not found: {name} (Org)")
        return org

    def create(self, name: object, admin_password: object, number: int | None = None) -> Org:
        """A new org with its administrator (admin@example.com) signing in with ``admin_password``;
        ``number`` (its egress addresses) is the lowest free one unless given."""
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise Invalid(
                "An org name is 1 to 32 lowercase letters, digits and hyphens, starting with a letter."
            )
        if not isinstance(admin_password, str) or len(admin_password) < 8:
            raise Invalid("The org's administrator password must be a string of at least 8 characters.")
        with self.lock:
            if name in self.orgs:
                raise Conflict(f"The org {name!r} already exists.")
            if len(self.orgs) >= MAX_ORGS:
                raise Conflict(f"The lab holds at most {MAX_ORGS} orgs besides its own.")
            used = {org.number for org in self.orgs.values()}
            number = number or min(set(range(1, MAX_ORGS + 1)) - used)
            if self.folder is not None:
                remove_store_files(self.folder / f"{name}.json")  # never a deleted org's data
            org = self._open(name, number, admin_password)
            self.orgs[name] = org
            self._save()
            return org

    def delete(self, name: str) -> None:
        """Remove the org and its data: its people, apps, tokens and log are gone for good."""
        with self.lock:
            org = self.get(name)
            backend = get_backend(org.app)
            backend.jobs.wait_idle(timeout=5)
            del self.orgs[name]
            self._save()
            if self.folder is not None:
                remove_store_files(self.folder / f"{name}.json")

    def reset(self, name: str, admin_password: object) -> Org:
        """The org as new: same name and egress addresses, only its administrator."""
        with self.lock:
            number = self.get(name).number
            self.delete(name)
            return self.create(name, admin_password, number)


def install(app: Flask, factory: Callable[[dict[str, Any]], Flask]) -> OrgHost:
    """Put the org host in front of the root org's ``app`` (``factory`` builds an org's app)."""
    host = OrgHost(app, factory)
    app.wsgi_app = host  # type: ignore[method-assign]
    app.extensions[EXTENSION] = host
    return host


def org_url() -> str:
    """The address of the org serving this request, as its admins and API clients are given it:
    ``http://host:port`` for the root org, ``http://host:port/orgs/<name>`` for another."""
    return request.url_root.rstrip("/")


def get_host(app: Flask) -> OrgHost:
    return app.extensions[EXTENSION]  # type: ignore[no-any-return]
