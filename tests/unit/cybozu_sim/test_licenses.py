"""cybozu_sim.licenses: licences as given, and their usage by active users."""

from __future__ import annotations

import pytest

from cybozu_sim.errors import Invalid
from cybozu_sim.licenses import parse_licenses, usage


def test_licenses() -> None:
    assert parse_licenses({"kintone": 3}) == {"kintone": 3}
    for bad in ({}, {"excel": 1}, {"kintone": 0}, {"kintone": True}, []):
        with pytest.raises(Invalid):
            parse_licenses(bad)
    rows = usage(
        {"kintone": 1}, [(True, {"kintone": True}), (True, {"kintone": True}), (False, {"kintone": True})]
    )
    assert rows[0].used == 2 and rows[0].exceeded
