"""The org's administrators, who sign in to the admin console (passwords hashed by Werkzeug)."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from okta_sim.backend import OktaBackend


def set_admin(backend: OktaBackend, login: str, password: str) -> None:
    backend.admins.put({"login": login, "password": generate_password_hash(password)})


def verify(backend: OktaBackend, login: str, password: str) -> bool:
    admin = backend.admins.get(login)
    return admin is not None and check_password_hash(admin["password"], password)
