"""Provisioning API tokens ([Create API Token] on cybozu.com Administration > Provisioning).

A token is shown once, in the dialog that creates it: only its SHA-256 digest
is stored ("There is no way to recheck the value of the API token after
closing the dialog."). Several tokens can exist, so one can be reissued:
create a new one, register it in the IdP, then disable and delete the old one.
A token is valid through the end of its expiration date (UTC) on the lab clock.
A token is about 238 random bits, so an unsalted digest cannot be reversed by
guessing: unlike a password it needs no slow, salted hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tinydb import where

from cybozu_sim.backend import Backend
from cybozu_sim.errors import Invalid, NotFound
from cybozu_sim.tenants import get_tenant
from simcore.clock import isoformat

TABLE = "api_tokens"
NOTES_MAX = 200
ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 40


class TokenRejected(Exception):
    """The Authorization header does not carry a usable token; the message is the SCIM detail."""


@dataclass
class ApiToken:
    id: str
    tenant: str
    notes: str
    created: str
    expires: str  # YYYY-MM-DD, valid through the end of that day (UTC)
    enabled: bool
    digest: str
    last4: str

    def expired(self, now: datetime) -> bool:
        return now >= datetime.combine(date.fromisoformat(self.expires), time(), UTC) + timedelta(days=1)

    def status(self, now: datetime) -> str:
        if not self.enabled:
            return "Disabled"
        return "Expired" if self.expired(now) else "Enabled"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_expiration(now: datetime) -> date:
    """The date the console proposes: one year from today."""
    return (now + timedelta(days=365)).date()


def parse_expiration(value: object, now: datetime) -> date:
    if isinstance(value, date):
        expires = value
    else:
        try:
            expires = date.fromisoformat(str(value).strip())
        except ValueError:
            raise Invalid("Enter the expiration date as YYYY-MM-DD.") from None
    if expires < now.date():
        raise Invalid("The expiration date must be today or later.")
    return expires


def create_token(backend: Backend, subdomain: str, *, notes: str, expires: object) -> tuple[ApiToken, str]:
    """Create a token; return its record and the only copy of its value."""
    get_tenant(backend, subdomain)
    now = backend.clock.now()
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise Invalid(f"Notes can have at most {NOTES_MAX} characters.")
    expiration = parse_expiration(expires, now)
    value = "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))
    token = ApiToken(
        id=uuid.uuid4().hex[:12],
        tenant=subdomain,
        notes=notes,
        created=isoformat(now),
        expires=expiration.isoformat(),
        enabled=True,
        digest=digest(value),
        last4=value[-4:],
    )
    with backend.store.transaction() as db:
        db.table(TABLE).insert(vars(token))
    return token, value


def list_tokens(backend: Backend, subdomain: str) -> list[ApiToken]:
    with backend.store.transaction() as db:
        docs = db.table(TABLE).search(where("tenant") == subdomain)
    return sorted((ApiToken(**doc) for doc in docs), key=lambda t: t.created)


def _find(backend: Backend, subdomain: str, token_id: str) -> ApiToken:
    for token in list_tokens(backend, subdomain):
        if token.id == token_id:
            return token
    raise NotFound("The API token does not exist.")


def set_enabled(backend: Backend, subdomain: str, token_id: str, enabled: bool) -> ApiToken:
    # Found and changed in one transaction: a token deleted by someone else meanwhile is "not found",
    # not "disabled".
    with backend.store.transaction() as db:
        token = _find(backend, subdomain, token_id)
        token.enabled = enabled
        db.table(TABLE).update(
            {"enabled": enabled}, (where("tenant") == subdomain) & (where("id") == token_id)
        )
    return token


def delete_token(backend: Backend, subdomain: str, token_id: str) -> None:
    with backend.store.transaction() as db:
        _find(backend, subdomain, token_id)
        db.table(TABLE).remove((where("tenant") == subdomain) & (where("id") == token_id))


def authenticate(backend: Backend, subdomain: str, authorization: str | None) -> ApiToken:
    """Return the token of an ``Authorization: Bearer`` header, or raise TokenRejected."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise TokenRejected("An API token is required: send Authorization: Bearer <API token>.")
    presented = digest(value.strip())
    match = None
    # Every digest is compared, in constant time, so the answer's timing says nothing about the secret.
    for token in list_tokens(backend, subdomain):
        if hmac.compare_digest(token.digest, presented):
            match = token
    if match is None:
        raise TokenRejected("The API token is invalid.")
    if not match.enabled:
        raise TokenRejected("The API token is disabled.")
    if match.expired(backend.clock.now()):
        raise TokenRejected(f"The API token expired on {match.expires}.")
    return match
