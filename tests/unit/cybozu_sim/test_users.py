"""cybozu_sim.users: cybozu.com's rules for login names."""

from __future__ import annotations

import pytest

from cybozu_sim.users import check_login_name


@pytest.mark.parametrize("good", ["alice", "alice@example.com", "a" * 128, "山田 太郎", "a.b-c_d+e"])
def test_good_login_names(good: str) -> None:
    assert check_login_name(good) is None


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "a" * 129,
        " a",
        "a ",
        "\u3000a",
        "a\\b",
        "a[b",
        "a]b",
        'a"b',
        "a:b",
        "a;b",
        "a<b",
        "a>b",
        "a,b",
        "a/b",
        "a\nb",
        None,
        5,
    ],
)
def test_bad_login_names(bad) -> None:
    assert check_login_name(bad) is not None
