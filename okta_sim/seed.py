"""The demo org `lab up` creates in a new data folder: an administrator, people and a group."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from okta_sim import directory
from okta_sim.backend import OktaBackend

ADMIN_LOGIN = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = "okta-lab-admin"
DEMO_PEOPLE = [
    ("alice.smith@example.com", "Alice", "Smith"),
    ("bob.jones@example.com", "Bob", "Jones"),
    ("carol.white@example.com", "Carol", "White"),
    ("dave.brown@example.com", "Dave", "Brown"),
]
DEMO_GROUP = "cybozu users"


def set_admin(backend: OktaBackend, login: str = ADMIN_LOGIN, password: str = DEFAULT_ADMIN_PASSWORD) -> None:
    backend.admins.put({"login": login, "password": generate_password_hash(password)})


def seed_demo(backend: OktaBackend) -> None:
    with backend.store.transaction():
        set_admin(backend)
        people = [
            directory.create_user(
                backend, {"login": login, "email": login, "firstName": first, "lastName": last}
            )
            for login, first, last in DEMO_PEOPLE
        ]
        group = directory.create_group(backend, DEMO_GROUP, "People who use kintone and Garoon")
        for person in people[2:]:
            directory.set_membership(backend, group["id"], person["id"], True)
