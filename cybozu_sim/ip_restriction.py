"""IP address restriction of a cybozu.com domain, as the cybozu.com Store sets it.

Three modes ("Allow all", "Deny all", "Allow specific IP addresses") and up to
2,900 entries of IP Address, CIDR and Memo, IPv4 only (jp.cybozu.help,
list_access/ip_restrictions.html and ip_restrictions/enable_ip.html).

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
from typing import Any

from cybozu_sim.errors import Invalid

ALLOW_ALL, DENY_ALL, ALLOW_SPECIFIC = "allow_all", "deny_all", "allow_specific"
MODES = {ALLOW_ALL: "Allow all", DENY_ALL: "Deny all", ALLOW_SPECIFIC: "Allow specific IP addresses"}
MAX_ENTRIES = 2900
# How many bad rows one error message lists before it says how many more there are.
LISTED_ERRORS = 20
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Entry:
    """One row of the list: "IP Address", "CIDR" (blank for a single address) and "Memo"."""

    ip: str
    cidr: int | None = None
    memo: str = ""

    @property
    def text(self) -> str:
        return self.ip if self.cidr is None else f"{self.ip}/{self.cidr}"

    @property
    def row(self) -> list[str]:
        """The row as the Store's form and CSV file write it (a blank CIDR for one address)."""
        return [self.ip, "" if self.cidr is None else str(self.cidr), self.memo]

    def to_dict(self) -> dict[str, Any]:
        return {"ip": self.ip, "cidr": self.cidr, "memo": self.memo}


@dataclass
class IpRestriction:
    mode: str = ALLOW_ALL
    entries: list[Entry] = field(default_factory=list)

    @property
    def restricts(self) -> bool:
        return self.mode != ALLOW_ALL

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IpRestriction:
        if "mode" not in data:  # written before the Store's three modes: {"enabled", "allowed"}
            return _from_allow_list(bool(data.get("enabled")), data.get("allowed") or [])
        return cls(data["mode"], [Entry(e["ip"], e["cidr"], e["memo"]) for e in data["entries"]])


def _from_allow_list(enabled: bool, allowed: list[str]) -> IpRestriction:
    """An allow list of addresses, CIDR blocks and "first-last" ranges, each range as the CIDR
    blocks that cover exactly it, so a stored restriction allows what it allowed before."""
    if not enabled:
        return IpRestriction()
    entries = []
    for text in allowed:
        first, _, last = text.partition("-")
        if last:
            blocks = ipaddress.summarize_address_range(
                ipaddress.IPv4Address(first.strip()), ipaddress.IPv4Address(last.strip())
            )
            entries += [Entry(str(b.network_address), b.prefixlen) for b in blocks]
        else:
            entries.append(make_entry(*cells(text)))
    return IpRestriction(ALLOW_SPECIFIC if entries else DENY_ALL, entries)


def check_mode(mode: object) -> str:
    if mode not in MODES:
        raise Invalid(f"The IP address restriction is one of {', '.join(MODES)} ({mode!r} given).")
    return str(mode)


def make_entry(ip: object, cidr: object, memo: object) -> Entry:
    """Validate one row; raise ValueError with what is wrong in it."""
    ip_text = str(ip or "").strip()
    if not ip_text:
        raise ValueError("enter the IP address")
    try:
        address = ipaddress.ip_address(ip_text)
    except ValueError:
        raise ValueError(f"{ip_text!r} is not an IP address") from None
    if address.version == 6:
        raise ValueError(f"{ip_text!r} is an IPv6 address: only IPv4 addresses can be specified")
    prefix: int | None = None
    cidr_text = "" if cidr is None else str(cidr).strip()
    if cidr_text:
        if not cidr_text.isdigit() or not 0 <= int(cidr_text) <= 32:
            raise ValueError(f"the CIDR {cidr_text!r} is not a number from 0 to 32")
        prefix = int(cidr_text)
    return Entry(ip_text, prefix, str(memo or ""))


def cells(entry: object) -> Sequence[object]:
    """An entry's (IP address, CIDR, memo): a form's or a CSV file's row as it is, or the short
    forms of the lab API and scenarios ("192.0.2.8", "198.51.100.0/24", {"ip", "cidr", "memo"})."""
    if isinstance(entry, str):
        ip, _, cidr = entry.partition("/")
        return [ip, cidr, ""]
    if isinstance(entry, dict) and entry.keys() <= {"ip", "cidr", "memo"}:
        return [entry.get("ip"), entry.get("cidr"), entry.get("memo")]
    if isinstance(entry, list | tuple):
        return entry
    raise ValueError(f'{entry!r} is not "192.0.2.8", "198.51.100.0/24" or {{"ip", "cidr", "memo"}}')


def check_entries(rows: Iterable[tuple[int, object]], *, row: str = "Row") -> list[Entry]:
    """Validate numbered rows of (IP address, CIDR, memo), skipping blank ones; one error lists
    every bad row by ``row`` and number, so nothing is saved half-checked."""
    entries: list[Entry] = []
    errors: list[str] = []
    for number, raw in rows:
        try:
            values = cells(raw)
            if not any(str(value or "").strip() for value in values):
                continue  # a blank row
            if len(values) != 3:
                raise ValueError(f"a row has 3 columns (IP Address, CIDR, Memo), not {len(values)}")
            entries.append(make_entry(*values))
        except ValueError as problem:
            errors.append(f"{row} {number}: {problem}.")
    if errors:
        more = len(errors) - LISTED_ERRORS
        raise Invalid(
            " ".join(errors[:LISTED_ERRORS]) + (f" ({more} more rows are wrong.)" if more > 0 else "")
        )
    if len(entries) > MAX_ENTRIES:
        raise Invalid(f"You can specify up to {MAX_ENTRIES:,} IP addresses ({len(entries):,} given).")
    return entries


def restriction(mode: object, entries: list[Entry]) -> IpRestriction:
    """The setting to save: "Allow specific IP addresses" needs at least one entry; the other
    modes keep the entries, so switching back restores the list (inference)."""
    mode = check_mode(mode)
    if mode == ALLOW_SPECIFIC and not entries:
        raise Invalid('"Allow specific IP addresses" needs at least one IP address.')
    return IpRestriction(mode, entries)


@lru_cache(maxsize=4096)
def _bounds(entry: Entry) -> tuple[int, int]:
    network = ipaddress.IPv4Network(entry.text, strict=False)
    return int(network.network_address), int(network.broadcast_address)


def allows(setting: IpRestriction, address: str | None) -> bool:
    """True if a client at ``address`` may reach the domain without another way in."""
    if setting.mode == ALLOW_ALL:
        return True
    if setting.mode == DENY_ALL:
        return False
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
    return any(first <= value <= last for first, last in map(_bounds, setting.entries))


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
