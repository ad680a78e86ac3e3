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
        ("custom", 'toLowerCase(substring(user.firstName, 0, 1)) + "." + toLowerCase(user.lastName)', "a.smith"),
        ("custom", "String.substring(user.login, 0, String.len(user.login) - 12)", "alice.smith"),
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
        ("custom", "user.login - 1", 'Invalid expression: The operand of "-" at column 1 gives text'),
        ("fancy", None, "Unknown application username format"),
    ],
)
def test_bad_username_formats_are_refused_at_save(fmt: str, custom: str | None, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        usernames.check_format(fmt, custom)


def test_a_custom_expression_that_yields_nothing_gives_a_blank_name() -> None:
    assert usernames.initial_user_name("custom", "user.nickName", PROFILE) == ""


def test_a_division_by_zero_at_assignment_gives_a_blank_name() -> None:
    custom = 'String.substring(user.login, 0, 5 / String.len(user.title)) + "x"'
    usernames.check_format("custom", custom)
    assert usernames.initial_user_name("custom", custom, PROFILE) == ""
    assert usernames.initial_user_name("custom", custom, {**PROFILE, "title": "CEO"}) == "ax"
