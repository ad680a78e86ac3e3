"""What a report must not show: credentials by the name of the field, header or query
parameter that holds them, and the secret values a run handled wherever they turn up.

okta_sim's wire log already masks the Authorization header and the password it
provisions; the reports (HTML, HAR) mask again here, so that none holds a secret
whichever driver or future exchange source filled the log. Names catch what is
labelled as a secret; values catch a secret that is not (a token a scenario created
echoed in a response, or pasted into a URL).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

MASK = "********"
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-lab-key"}
SECRET_FIELDS = {"password", "token", "secret"}
SHORTEST_SECRET = 6  # shorter saved values (a "1") would mask unrelated text


def redact(value: Any) -> Any:
    """``value`` with every ``password``/``token``/``secret`` field of every nested object masked."""
    if isinstance(value, dict):
        return {k: MASK if str(k).lower() in SECRET_FIELDS else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def redact_headers(headers: dict[str, Any]) -> dict[str, Any]:
    """Credential headers masked; ``Authorization`` keeps its scheme (``Bearer ********``)."""
    masked = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme, _, credential = str(value).partition(" ")
            value = f"{scheme} {MASK}" if credential and name.lower().endswith("authorization") else MASK
        masked[name] = value
    return masked


def redact_url(url: str) -> str:
    """``url`` with the value of every ``password``/``token``/``secret`` query parameter masked."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name.lower() in SECRET_FIELDS for name, _ in pairs):
        return url  # left as sent, byte for byte
    masked = [(name, MASK if name.lower() in SECRET_FIELDS else value) for name, value in pairs]
    return urlunsplit(parts._replace(query=urlencode(masked, quote_via=quote, safe="*")))


def secret_values(values: dict[str, Any]) -> set[str]:
    """The values of a step's parameters or results that are secrets by their name (a token a
    step created, a password it set), for :func:`scrub`."""
    found: set[str] = set()
    for name, value in values.items():
        if isinstance(value, dict):
            found |= secret_values(value)
        elif str(name).lower() in SECRET_FIELDS and isinstance(value, str) and len(value) >= SHORTEST_SECRET:
            found.add(value)
    return found


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with each of ``secrets`` masked inside every string, key or value, however deep."""
    known = sorted(set(secrets), key=len, reverse=True)  # a longer secret before one it contains
    if not known:
        return value

    def text(string: str) -> str:
        for secret in known:
            string = string.replace(secret, MASK)
            encoded = quote(secret, safe="")
            if encoded != secret:
                string = string.replace(encoded, MASK)
        return string

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return text(item)
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value)
