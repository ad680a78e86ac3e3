"""Okta API tokens (Security > API > Tokens): ``Authorization: SSWS <token>`` for /api/v1.

Shown once at creation; only the SHA-256 digest is kept, with the last four
characters as a hint. A token is 240 random bits, so an unsalted digest cannot
be reversed by guessing: unlike a password it needs no slow, salted hash. (In a
seeded scenario sandbox the bits come from the seed, simcore.entropy: predictable.)

As in Okta, a token expires after 30 days unused (on the lab clock) and every
use renews it; a revoked token is deleted. Both answer E0000011 "Invalid token
provided", like an unknown one.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from okta_sim import ids
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound
from simcore.clock import isoformat, parse_instant

EXPIRES_UNUSED = timedelta(days=30)
# lastUsed is written at most this often: /api/v1 must not rewrite the store on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRejected(Exception):
    pass


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def create_token(backend: OktaBackend, name: Any) -> tuple[dict[str, Any], str]:
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise Invalid("Api validation failed: name", ["name: Enter a token name of 1 to 100 characters"])
    value = "00" + backend.entropy.token_urlsafe(30, key=f"token:{name}")
    token = {
        "id": ids.new_id(backend.entropy, ids.TOKEN, name),
        "name": name.strip(),
        "digest": digest(value),
        "hint": value[-4:],
        "created": backend.now(),
        "lastUsed": None,
    }
    backend.api_tokens.put(token)
    return token, value


def list_tokens(backend: OktaBackend) -> list[dict[str, Any]]:
    """Every token's record (digest and hint, never the value), with ``expiresAt``."""
    tokens = sorted(backend.api_tokens.all(), key=lambda t: (t["created"], t["id"]))
    return [{**t, "expiresAt": isoformat(expires_at(t))} for t in tokens]


def expires_at(token: dict[str, Any]) -> datetime:
    """30 days after the token was last used (or created, if never used)."""
    return parse_instant(token["lastUsed"] or token["created"]) + EXPIRES_UNUSED


def revoke_token(backend: OktaBackend, token_id: str) -> None:
    if not backend.api_tokens.delete(token_id):
        raise NotFound(f"Not found: Resource not found: {token_id} (ApiToken)")


def authenticate(backend: OktaBackend, authorization: str | None) -> dict[str, Any]:
    # okta-sdk-python 3.x sends "SSWS<token>" without a space; Okta accepts both forms.
    header = (authorization or "").strip()
    value = header[len("SSWS") :].strip() if header.startswith("SSWS") else ""
    if not value:
        raise TokenRejected("Invalid token provided")
    presented = digest(value)
    match = None
    # Every digest is compared, in constant time, so the answer's timing says nothing about the secret.
    for token in backend.api_tokens.all():
        if hmac.compare_digest(token["digest"], presented):
            match = token
    if match is None:
        raise TokenRejected("Invalid token provided")
    now = backend.clock.now()
    if now >= expires_at(match):
        raise TokenRejected("Invalid token provided")
    if match["lastUsed"] is None or now - parse_instant(match["lastUsed"]) >= LAST_USED_RESOLUTION:
        match = {**match, "lastUsed": isoformat(now)}
        backend.api_tokens.put(match)
    return match
