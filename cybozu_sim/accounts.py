"""Console logins: which cybozu.com users may sign in, and who administers.

The sign-in identity is the cybozu.com user itself (same login name); an
inactive or deleted user cannot sign in. Passwords are hashed by simcore.passwords.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinydb import where

from cybozu_sim.backend import Backend
from simcore import passwords

TABLE = "accounts"
ADMIN_ROLE = "Users & System Administrators"


@dataclass
class Account:
    tenant: str
    login: str
    administrator: bool

    @property
    def role(self) -> str:
        return ADMIN_ROLE if self.administrator else "User"


def set_password(
    backend: Backend, subdomain: str, login: str, password: str, *, administrator: bool
) -> Account:
    doc = {
        "tenant": subdomain,
        "login": login,
        "password": passwords.hash_password(password),
        "administrator": administrator,
    }
    query = (where("tenant") == subdomain) & (where("login") == login)
    with backend.store.transaction() as db:
        db.table(TABLE).upsert(doc, query)
    return Account(subdomain, login, administrator)


def remove_account(backend: Backend, subdomain: str, login: str) -> None:
    with backend.store.transaction() as db:
        db.table(TABLE).remove((where("tenant") == subdomain) & (where("login") == login))


def rename_account(backend: Backend, subdomain: str, login: str, new_login: str) -> None:
    """Follow a login-name change (the sign-in identity is the login name)."""
    with backend.store.transaction() as db:
        db.table(TABLE).update({"login": new_login}, (where("tenant") == subdomain) & (where("login") == login))


def get_account(backend: Backend, subdomain: str, login: str) -> Account | None:
    with backend.store.transaction() as db:
        doc = db.table(TABLE).get((where("tenant") == subdomain) & (where("login") == login))
    if doc is None:
        return None
    return Account(subdomain, doc["login"], bool(doc["administrator"]))  # type: ignore[index]


def verify_password(backend: Backend, subdomain: str, login: str, password: str) -> Account | None:
    with backend.store.transaction() as db:
        doc = db.table(TABLE).get((where("tenant") == subdomain) & (where("login") == login))
    if doc is None or not passwords.verify(doc["password"], password):  # type: ignore[index]
        return None
    return Account(subdomain, doc["login"], bool(doc["administrator"]))  # type: ignore[index]
