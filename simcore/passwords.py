"""Console passwords, hashed with Werkzeug's scrypt, except the lab's documented defaults.

scrypt is slow on purpose (about 0.1 s a hash here): right for a password someone chose,
wasted on ``okta-lab-admin``, which the README prints. Every sandbox, test app and
``lab up`` seeds those accounts and the UI driver signs in with them, so each default
carries its hash, computed once and written beside it in its simulator's seed module.
A password is still checked against what is stored: a data folder hashed before, or an
administrator who changed the password, goes through scrypt as always.
"""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

_PRECOMPUTED: dict[str, str] = {}


def documented_default(password: str, digest: str) -> str:
    """Register ``digest`` (a Werkzeug hash of ``password``) and return the password, so the
    seed module's constant is the password itself."""
    _PRECOMPUTED[password] = digest
    return password


def precomputed() -> dict[str, str]:
    """The registered defaults and their hashes (the tests check each one verifies)."""
    return dict(_PRECOMPUTED)


def hash_password(password: str) -> str:
    return _PRECOMPUTED.get(password) or generate_password_hash(password)


def verify(digest: str, password: str) -> bool:
    if _PRECOMPUTED.get(password) == digest:
        return True
    return check_password_hash(digest, password)
