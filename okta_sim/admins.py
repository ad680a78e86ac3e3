"""The org's administrators, who sign in to the admin console (passwords hashed by simcore.passwords)."""

from __future__ import annotations

from okta_sim.backend import OktaBackend
from simcore import passwords


def set_admin(backend: OktaBackend, login: str, password: str) -> None:
    backend.admins.put({"login": login, "password": passwords.hash_password(password)})


def verify(backend: OktaBackend, login: str, password: str) -> bool:
    admin = backend.admins.get(login)
    return admin is not None and passwords.verify(admin["password"], password)
