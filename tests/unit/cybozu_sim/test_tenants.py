"""cybozu_sim.tenants: the subdomains an environment may have."""

from __future__ import annotations

import pytest

from cybozu_sim.errors import Invalid
from cybozu_sim.tenants import check_subdomain


@pytest.mark.parametrize("bad", ["ab", "-abc", "abc-", "ABC", "a_b", "static", "x" * 33])
def test_bad_subdomains(bad: str) -> None:
    with pytest.raises(Invalid):
        check_subdomain(bad)
