"""IP address restriction of a cybozu.com environment (IPv4 only, up to 1,000 entries).

An entry is an address (192.0.2.1), a CIDR range (192.0.2.0/24) or an address
range (192.0.2.1-192.0.2.20). Enabled with no entry denies every address.
The address checked is the TCP peer's; headers such as X-Forwarded-For are
never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from cybozu_sim.errors import Invalid

MAX_ENTRIES = 1000


@dataclass
class IpRestriction:
    enabled: bool = False
    allowed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"enabled": self.enabled, "allowed": list(self.allowed)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> IpRestriction:
        return cls(bool(data.get("enabled")), [str(e) for e in data.get("allowed") or []])  # type: ignore[union-attr]


@lru_cache(maxsize=4096)
def parse_entry(text: str) -> tuple[int, int]:
    """Return the inclusive integer range an entry covers; raise ValueError if malformed."""
    text = text.strip()
    if "-" in text:
        first, last = (ipaddress.IPv4Address(part.strip()) for part in text.split("-", 1))
        if int(last) < int(first):
            raise ValueError("the range ends before it starts")
        return int(first), int(last)
    network = ipaddress.IPv4Network(text, strict=False)
    return int(network.network_address), int(network.broadcast_address)


def parse_entries(lines: Iterable[str]) -> list[str]:
    """Validate entries (blank lines skipped); the error names the line."""
    entries: list[str] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            parse_entry(text)
        except ValueError:
            raise Invalid(
                f"Line {number}: {text!r} is not an IPv4 address, a CIDR range "
                "(192.0.2.0/24) or an address range (192.0.2.1-192.0.2.20)."
            ) from None
        entries.append(text)
    if len(entries) > MAX_ENTRIES:
        raise Invalid(f"At most {MAX_ENTRIES} IP addresses can be registered ({len(entries)} given).")
    return entries


def allows(restriction: IpRestriction, address: str | None) -> bool:
    """True if a client at ``address`` may reach the environment."""
    if not restriction.enabled:
        return True
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(peer, ipaddress.IPv6Address):
        mapped = peer.ipv4_mapped
        if mapped is None:
            return False  # IPv4 only: an IPv6 client can never be allowed
        peer = mapped
    value = int(peer)
    for entry in restriction.allowed:
        first, last = parse_entry(entry)
        if first <= value <= last:
            return True
    return False
