"""IP address restriction of a cybozu.com environment (IPv4 only, up to 1,000 entries).

An entry is an address (192.0.2.1), a CIDR range (192.0.2.0/24) or an address
range (192.0.2.1-192.0.2.20). Enabled with no entry denies every address.

The address checked is the TCP peer's. A header such as X-Forwarded-For is
written by whoever sends the request, so it is read only when the TCP peer is a
trusted proxy (app config ``TRUSTED_PROXIES``, empty by default): see
:func:`client_address`. X-Real-IP and Forwarded are never read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cybozu_sim.errors import Invalid

MAX_ENTRIES = 1000
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies (addresses or CIDR ranges); raise ValueError naming a malformed one.

    A configuration mistake must stop the app from starting rather than trust
    nothing (or, worse, everything) in silence.
    """
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or a CIDR range (192.0.2.0/24)") from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]) -> str | None:
    """The address IP address restriction checks: the TCP peer's, unless that peer is a trusted proxy.

    Anyone can send ``X-Forwarded-For``, so the header counts only when ``peer``
    (the socket's REMOTE_ADDR) is one of ``proxies``. Then the client is the
    rightmost entry that is not itself a trusted proxy: each proxy appends the
    address it saw, so the entries to its left are whatever the client claimed.
    An entry that is not an address ends the walk and is returned as is, which
    no restriction allows. ``forwarded_for`` is every X-Forwarded-For header, in order.
    """
    if not proxies or not _trusted(_address(peer or ""), proxies):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        if not _trusted(_address(hop), proxies):
            return hop
    # Every hop is a trusted proxy (or there is no header): the leftmost one is the client.
    return hops[0] if hops else peer
