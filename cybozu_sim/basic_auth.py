"""Basic authentication of a cybozu.com domain: one user name and password shared by all users.

jp.cybozu.help (list_ip_basic/basic_auth.html; ja list_access/basic_auth.html):
with IP address restrictions on, a client from an address the restriction does
not allow is asked for this user name and password before it reaches the
login page; from an allowed address it is never asked. Basic authentication can
be set only together with an IP address restriction. Requests then carry
``Authorization: Basic`` (cybozu.dev, "kintone REST API common specifications",
the Authorization header), which is the header a SCIM client's Bearer token
travels in: see docs/cybozu_sim.md for what Okta meets.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from cybozu_sim.errors import Invalid


@dataclass(frozen=True)
class BasicAuth:
    """The password is kept as a salted SHA-256: it is checked on every request from outside."""

    enabled: bool = False
    user: str = ""
    salt: str = ""
    digest: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "user": self.user, "salt": self.salt, "digest": self.digest}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BasicAuth:
        return cls(
            bool(data.get("enabled")), data.get("user", ""), data.get("salt", ""), data.get("digest", "")
        )

    def public(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "user": self.user}


def _digest(salt: str, password: str) -> str:
    return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()


def configure(
    current: BasicAuth, *, enabled: bool, user: str, password: str | None, restricted: bool
) -> BasicAuth:
    """The new setting; ``password`` None keeps the current one (the form's blank field).

    The user name cannot hold a colon (RFC 7617 section 2: the first colon ends it).
    """
    if not enabled:
        return BasicAuth(False, current.user, current.salt, current.digest)
    if not restricted:
        raise Invalid(
            "Basic authentication can be set only together with IP address restrictions: "
            'select "Deny all" or "Allow specific IP addresses" first.'
        )
    user = user.strip()
    if not user:
        raise Invalid("Enter the user name for Basic authentication.")
    if ":" in user:
        raise Invalid("The user name for Basic authentication cannot contain a colon (:).")
    if password is None:
        if not current.digest:
            raise Invalid("Enter the password for Basic authentication.")
        return BasicAuth(True, user, current.salt, current.digest)
    if not password:
        raise Invalid("Enter the password for Basic authentication.")
    salt = secrets.token_hex(8)
    return BasicAuth(True, user, salt, _digest(salt, password))


def accepts(setting: BasicAuth, authorization: str | None) -> bool:
    """True if ``authorization`` (the request's Authorization header) carries the shared credentials."""
    scheme, _, value = (authorization or "").partition(" ")
    if not setting.enabled or scheme.lower() != "basic":
        return False
    try:
        user, colon, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    same_user = hmac.compare_digest(user.encode(), setting.user.encode())
    return bool(colon) and same_user and hmac.compare_digest(_digest(setting.salt, password), setting.digest)
