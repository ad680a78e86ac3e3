"""okta_sim.usernames: the Application username formats, their labels, and what [Save] refuses."""

from __future__ import annotations

import pytest

from okta_sim import usernames
from okta_sim.errors import Invalid
from tests.unit.okta_sim.conftest import PROFILE


@pytest.mark.parametrize(
    ("fmt", "custom", "expected"),
    [
        ("okta_username", None, "alice.smith@example.com"),
        ("okta_username_prefix", None, "alice.smith"),
        ("email", None, "Alice.Smith@Mail.example.com"),
        ("email_prefix", None, "Alice.Smith"),
        ("custom", 'String.toLowerCase(user.firstName + "." + user.lastName)', "alice.smith"),
        ("custom", 'String.substringBefore(user.login, "@")', "alice.smith"),
        ("none", None, ""),
    ],
)
def test_each_username_format(fmt: str, custom: str | None, expected: str) -> None:
    usernames.check_format(fmt, custom)
    assert usernames.initial_user_name(fmt, custom, PROFILE) == expected


def test_username_format_labels_follow_the_article() -> None:
    labels = [label for label, _ in usernames.FORMATS.values()]
    assert labels == ["Custom", "Email", "Email Prefix", "Okta username", "Okta username prefix", "(None)"]


@pytest.mark.parametrize(
    ("fmt", "custom", "message"),
    [
        ("custom", "", "Enter an Okta Expression Language expression"),
        ("custom", "user.login +", "Invalid expression"),
        ("custom", "String.nope(user.login)", 'Unknown function "String.nope"'),
        ("fancy", None, "Unknown application username format"),
    ],
)
def test_bad_username_formats_are_refused_at_save(fmt: str, custom: str | None, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        usernames.check_format(fmt, custom)


def test_a_custom_expression_that_yields_nothing_gives_a_blank_name() -> None:
    assert usernames.initial_user_name("custom", "user.nickName", PROFILE) == ""
