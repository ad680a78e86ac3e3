"""A lab on a LAN (a classroom): binding beyond the loopback, and the addresses people are given.

The lab's own calls (the control API, Okta's SCIM pushes from its egress addresses) stay on
the loopback, so a lab for a class binds every interface (``--host 0.0.0.0``) and tells
people the address they reach it by (``--public-url http://192.168.1.10``, each app keeping
its port). A specific non-loopback address would take the loopback away from those calls.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from simcore import control

WILDCARDS = ("0.0.0.0", "::")


class LanError(ValueError):
    """A host or public URL the lab cannot serve a class with; the message says what to do."""


def is_loopback(host: str) -> bool:
    """A bind only this machine reaches (the lab control API's own test, plus the name)."""
    return host == "localhost" or control.is_loopback(host)


def check(host: str, public_url: str | None) -> str | None:
    """The public base (``scheme://host``) to print and link, or None on a loopback-only lab."""
    if is_loopback(host):
        if public_url:
            raise LanError("--public-url needs --host 0.0.0.0: a lab bound to the loopback is reached only here")
        return None
    if host not in WILDCARDS:
        raise LanError(
            f"--host {host}: the lab's own calls need the loopback too; use --host 0.0.0.0 "
            f"with --public-url http://{host}"
        )
    if not public_url:
        raise LanError("--host 0.0.0.0 needs --public-url (the address trainees type, e.g. http://192.168.1.10)")
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.port or parts.path not in ("", "/"):
        raise LanError(f"--public-url {public_url!r}: give scheme and host only, e.g. http://192.168.1.10")
    return f"{parts.scheme}://{parts.netloc}"


def public(url: str, base: str | None) -> str:
    """``url`` (a loopback address of one app) as people on the LAN reach it."""
    if base is None:
        return url
    port = urlsplit(url).port
    return f"{base}:{port}" if port else base


WARNING = (
    "lab: WARNING: the lab is reachable from the network ({base}). Anyone who can reach it can "
    "try the consoles' sign-ins; the Exercises pages then start runs for the trainer only. "
    "Run it on a trusted classroom network, never on the internet (docs/training.md, 'On a LAN')."
)
