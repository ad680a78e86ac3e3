"""cybozu_sim.ip_restriction: entries (addresses, CIDR blocks, ranges), their limit, and what an enabled restriction allows."""

from __future__ import annotations

import pytest

from cybozu_sim.errors import Invalid
from cybozu_sim.ip_restriction import IpRestriction, allows, parse_entries


@pytest.mark.parametrize(
    ("entry", "inside", "outside"),
    [
        ("192.0.2.1", "192.0.2.1", "192.0.2.2"),
        ("192.0.2.0/24", "192.0.2.200", "192.0.3.1"),
        ("192.0.2.10-192.0.2.20", "192.0.2.15", "192.0.2.21"),
        ("192.0.2.10 - 192.0.2.20", "192.0.2.20", "192.0.2.9"),
    ],
)
def test_ip_entries(entry: str, inside: str, outside: str) -> None:
    restriction = IpRestriction(True, parse_entries([entry]))
    assert allows(restriction, inside) and not allows(restriction, outside)


def test_ip_restriction_edge_cases() -> None:
    assert allows(IpRestriction(False, []), "203.0.113.9")
    assert not allows(IpRestriction(True, []), "127.0.0.1")  # enabled, empty: deny all
    assert allows(IpRestriction(True, ["127.0.0.1"]), "::ffff:127.0.0.1")
    assert not allows(IpRestriction(True, ["127.0.0.1"]), "::1")  # IPv4 only
    assert not allows(IpRestriction(True, ["127.0.0.1"]), "garbage")


@pytest.mark.parametrize("bad", ["300.1.1.1", "2001:db8::1", "1.2.3.4/33", "1.2.3.9-1.2.3.1", "host.example"])
def test_bad_ip_entries_name_their_line(bad: str) -> None:
    with pytest.raises(Invalid, match="Line 2"):
        parse_entries(["127.0.0.1", bad])


def test_at_most_1000_ip_entries() -> None:
    assert len(parse_entries([f"10.0.{n // 256}.{n % 256}" for n in range(1000)])) == 1000
    with pytest.raises(Invalid, match="At most 1000"):
        parse_entries([f"10.0.{n // 256}.{n % 256}" for n in range(1001)])
