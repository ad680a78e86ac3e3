"""Provisioning API tokens ([Create API Token] on cybozu.com Administration > Provisioning).

A token is shown once, in the dialog that creates it: only its SHA-256 digest
is stored ("There is no way to recheck the value of the API token after
closing the dialog."). Several tokens can exist, so one can be reissued:
create a new one, register it in the IdP, then disable and delete the old one.
A token is valid through the end of its expiration date (UTC) on the lab clock.
The dialog has one "select the validity period" (jp.cybozu.help admin/scim.html,
step 5); which periods it offers is not published, so VALIDITY_PERIODS is an
**inference**, as is the limit of MAX_TOKENS (kintone's limit for an app's API
tokens, kintone.dev "Authentication": "Each App can generate up to 20 API Tokens").
A token is about 238 random bits, so an unsalted digest cannot be reversed by
guessing: unlike a password it needs no slow, salted hash. (In a seeded scenario
sandbox the bits come from the seed, simcore.entropy: predictable.)
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tinydb import TinyDB, where

from cybozu_sim.backend import Backend
from cybozu_sim.errors import Invalid, NotFound
from cybozu_sim.tenants import get_tenant
from simcore.clock import isoformat
from simcore.store import plain_copy

TABLE = "api_tokens"
NOTES_MAX = 200
MAX_TOKENS = 20
# The dialog's validity periods: label -> months from today (inference, see above).
VALIDITY_PERIODS = {"1 month": 1, "3 months": 3, "6 months": 6, "1 year": 12, "2 years": 24}
DEFAULT_VALIDITY = "1 year"
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


def expiration_for(validity: object, now: datetime) -> date:
    """The expiration date of a period chosen today: the same day so many months on (the month's
    last day when it is shorter)."""
    if validity not in VALIDITY_PERIODS:
        raise Invalid(f"Select the validity period: {', '.join(VALIDITY_PERIODS)}.")
    today = now.date()
    months = today.month - 1 + VALIDITY_PERIODS[str(validity)]
    year, month = today.year + months // 12, months % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


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


def create_token(
    backend: Backend, subdomain: str, *, notes: str, validity: object = None, expires: object = None
) -> tuple[ApiToken, str]:
    """Create a token; return its record and the only copy of its value. The console chooses a
    ``validity`` period; the lab API may instead give the ``expires`` date itself."""
    get_tenant(backend, subdomain)
    now = backend.clock.now()
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise Invalid(f"Notes can have at most {NOTES_MAX} characters.")
    if expires is not None:
        expiration = parse_expiration(expires, now)
    else:
        expiration = expiration_for(DEFAULT_VALIDITY if validity is None else validity, now)

    value = backend.entropy.text(ALPHABET, TOKEN_LENGTH, key=f"token:{subdomain}")
    token = ApiToken(
        id=backend.entropy.token_hex(6, key=f"token-id:{subdomain}"),
        tenant=subdomain,
        notes=notes,
        created=isoformat(now),
        expires=expiration.isoformat(),
        enabled=True,
        digest=digest(value),
        last4=value[-4:],
    )
    with backend.store.transaction() as db:
        if db.table(TABLE).count(where("tenant") == subdomain) >= MAX_TOKENS:
            raise Invalid(f"You can create up to {MAX_TOKENS} API tokens: delete one you no longer use first.")
        db.table(TABLE).insert(vars(token))
    return token, value


def list_tokens(backend: Backend, subdomain: str) -> list[ApiToken]:
    # Every SCIM request authenticates against its tenant's tokens: from a map rebuilt when the
    # table changes, not a TinyDB scan per request (bench/README.md, W1).
    docs = backend.store.cached(TABLE, _by_tenant).get(subdomain, [])
    return sorted((ApiToken(**plain_copy(doc)) for doc in docs), key=lambda t: t.created)


def _by_tenant(db: TinyDB) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for doc in db.table(TABLE):
        found.setdefault(doc["tenant"], []).append(plain_copy(dict(doc)))
    return found


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
