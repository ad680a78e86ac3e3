"""The demo org `lab up` creates in a new data folder: an administrator, people and a group."""

from __future__ import annotations

from okta_sim import admins, directory_writes
from okta_sim.backend import OktaBackend
from simcore import passwords

ADMIN_LOGIN = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = passwords.documented_default(
    "okta-lab-admin",
    "scrypt:32768:8:1$z5lqaY77I42fjPAk$5981f7bf457a0bffce115d7b4e74b6cb8496e5ce5f215e897accecfb022f02426768f"
    "34789e1a5f0fd5324a147bccde01fbaf392b2edfe5f087e8275f87e2ed5",
)
DEMO_PEOPLE = [
    ("alice.smith@example.com", "Alice", "Smith"),
    ("bob.jones@example.com", "Bob", "Jones"),
    ("carol.white@example.com", "Carol", "White"),
    ("dave.brown@example.com", "Dave", "Brown"),
]
DEMO_GROUP = "cybozu users"


def seed_admin(backend: OktaBackend, password: str | None = None) -> None:
    """The org's administrator; a trainee's org has its own password, the lab's the default."""
    admins.set_admin(backend, ADMIN_LOGIN, password or DEFAULT_ADMIN_PASSWORD)


def seed_demo(backend: OktaBackend) -> None:
    with backend.store.transaction():
        seed_admin(backend)
        people = [
            directory_writes.create_user(
                backend, {"login": login, "email": login, "firstName": first, "lastName": last}
            )
            for login, first, last in DEMO_PEOPLE
        ]
        group = directory_writes.create_group(backend, DEMO_GROUP, "People who use kintone and Garoon")
        for person in people[2:]:
            directory_writes.set_membership(backend, group["id"], person["id"], True)
