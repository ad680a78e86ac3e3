"""Okta API tokens (Security > API > Tokens): ``Authorization: SSWS <token>`` for /api/v1.

Shown once at creation; only the SHA-256 digest is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from okta_sim import ids
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound


class TokenRejected(Exception):
    pass


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def create_token(backend: OktaBackend, name: Any) -> tuple[dict[str, Any], str]:
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise Invalid("Api validation failed: name", ["name: Enter a token name of 1 to 100 characters"])
    value = "00" + secrets.token_urlsafe(30)
    token = {
        "id": ids.new_id(ids.TOKEN),
        "name": name.strip(),
        "digest": digest(value),
        "hint": value[-4:],
        "created": backend.now(),
        "lastUsed": None,
    }
    backend.api_tokens.put(token)
    return token, value


def list_tokens(backend: OktaBackend) -> list[dict[str, Any]]:
    return sorted(backend.api_tokens.all(), key=lambda t: (t["created"], t["id"]))


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
    for token in backend.api_tokens.all():
        if hmac.compare_digest(token["digest"], presented):
            match = token
    if match is None:
        raise TokenRejected("Invalid token provided")
    return match
