"""Okta-shaped identifiers: a 3-character type prefix and 17 random characters (00u…, 00g…, 0oa…)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

USER = "00u"
GROUP = "00g"
APP = "0oa"
TASK = "00t"
TOKEN = "00T"


def new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(17))
