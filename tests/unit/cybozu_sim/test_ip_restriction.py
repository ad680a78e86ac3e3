"""cybozu_sim.ip_restriction: the Store's three modes, entries of IP address, CIDR and memo, the
2,900 limit, and what a restriction allows."""

from __future__ import annotations

import pytest

from cybozu_sim.errors import Invalid
from cybozu_sim.ip_restriction import (
    ALLOW_ALL,
    ALLOW_SPECIFIC,
    DENY_ALL,
    IpRestriction,
    allows,
    check_entries,
    restriction,
)


def specific(*entries: object) -> IpRestriction:
    return restriction(ALLOW_SPECIFIC, check_entries(enumerate(entries, start=1)))


@pytest.mark.parametrize(
    ("entry", "inside", "outside"),
    [
        ("192.0.2.1", "192.0.2.1", "192.0.2.2"),
        ("192.0.2.0/24", "192.0.2.200", "192.0.3.1"),
        ({"ip": "198.51.100.7", "cidr": 30, "memo": "Osaka"}, "198.51.100.4", "198.51.100.8"),
        (["203.0.113.9", "", "Tokyo office"], "203.0.113.9", "203.0.113.10"),
    ],
)
def test_an_entry_allows_its_address_or_block(entry: object, inside: str, outside: str) -> None:
    setting = specific(entry)
    assert allows(setting, inside) and not allows(setting, outside)


def test_the_three_modes() -> None:
    assert allows(IpRestriction(ALLOW_ALL), "203.0.113.9")
    assert not allows(IpRestriction(DENY_ALL, specific("127.0.0.1").entries), "127.0.0.1")
    setting = specific("127.0.0.1")
    assert allows(setting, "::ffff:127.0.0.1")
    assert not allows(setting, "::1")  # IPv4 only: an IPv6 client is never allowed
    assert not allows(setting, "garbage")


def test_allow_specific_needs_an_address_and_the_mode_must_be_known() -> None:
    with pytest.raises(Invalid, match="needs at least one IP address"):
        restriction(ALLOW_SPECIFIC, [])
    with pytest.raises(Invalid, match="one of allow_all, deny_all, allow_specific"):
        restriction("enabled", [])
    assert restriction(DENY_ALL, []).restricts and not restriction(ALLOW_ALL, []).restricts


def test_every_bad_row_is_named_and_nothing_is_kept() -> None:
    rows = ["127.0.0.1", "300.1.1.1", "2001:db8::1", {"ip": "10.0.0.0", "cidr": 33}, "", ["", "24", ""], 7]
    with pytest.raises(Invalid) as refused:
        check_entries(enumerate(rows, start=1))
    message = str(refused.value)
    assert "Row 1" not in message and "Row 5" not in message  # good and blank rows
    assert "Row 2: '300.1.1.1' is not an IP address." in message
    assert "Row 3: '2001:db8::1' is an IPv6 address: only IPv4 addresses can be specified." in message
    assert "Row 4: the CIDR '33' is not a number from 0 to 32." in message
    assert "Row 6: enter the IP address." in message
    assert "Row 7: 7 is not" in message


def test_at_most_2900_entries() -> None:
    rows = [f"10.{n // 256}.{n % 256}.1" for n in range(2900)]
    assert len(check_entries(enumerate(rows, start=1))) == 2900
    with pytest.raises(Invalid, match="You can specify up to 2,900 IP addresses"):
        check_entries(enumerate([*rows, "10.200.0.1"], start=1))


def test_a_long_error_lists_twenty_rows_and_counts_the_rest() -> None:
    with pytest.raises(Invalid, match=r"Row 20: .* \(5 more rows are wrong\.\)$"):
        check_entries(enumerate(["bad"] * 25, start=1))


def test_a_restriction_stored_before_the_three_modes_allows_what_it_allowed() -> None:
    old = IpRestriction.from_dict({"enabled": True, "allowed": ["127.0.0.1", "192.0.2.10-192.0.2.20"]})
    assert old.mode == ALLOW_SPECIFIC
    assert [e.text for e in old.entries] == ["127.0.0.1", "192.0.2.10/31", "192.0.2.12/30", "192.0.2.16/30", "192.0.2.20/32"]
    assert allows(old, "192.0.2.20") and not allows(old, "192.0.2.21") and not allows(old, "192.0.2.9")
    assert IpRestriction.from_dict({"enabled": True, "allowed": []}).mode == DENY_ALL
    assert IpRestriction.from_dict({"enabled": False, "allowed": ["127.0.0.1"]}).mode == ALLOW_ALL
    assert IpRestriction.from_dict(old.to_dict()) == old
