"""Okta-shaped identifiers: a 3-character type prefix and 17 random characters (00u…, 00g…, 0oa…)."""

from __future__ import annotations

import string

from simcore.entropy import Entropy

_ALPHABET = string.ascii_letters + string.digits

USER = "00u"
GROUP = "00g"
APP = "0oa"
TASK = "00t"
TOKEN = "00T"


def new_id(entropy: Entropy, prefix: str, key: str = "") -> str:
    """``key`` names what the id is for (a login, a group's name): a seeded org's ids do not
    depend on which of its concurrent requests draws first (simcore.entropy)."""
    return prefix + entropy.text(_ALPHABET, 17, key=f"{prefix}:{key}")
