"""Application username formats ([Sign On] > [Settings] > "Application username format").

Each built-in format is an Okta Expression Language template; Custom is an
expression the administrator writes. (None) sets no initial value, which makes
a group assignment fail for want of a login name, as the article warns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from okta_sim.errors import Invalid
from okta_sim.expressions.evaluation import render
from okta_sim.expressions.parser import check
from okta_sim.expressions.values import ExpressionError

# key -> (label in the console, template)
FORMATS: dict[str, tuple[str, str | None]] = {
    "custom": ("Custom", None),
    "email": ("Email", "${source.email}"),
    "email_prefix": ("Email Prefix", '${fn:substringBefore(source.email, "@")}'),
    "okta_username": ("Okta username", "${source.login}"),
    "okta_username_prefix": ("Okta username prefix", '${fn:substringBefore(source.login, "@")}'),
    "none": ("(None)", None),
}
DEFAULT = "okta_username"
# Sign On > "Update application username on": key -> (label in the console, Okta's pushStatus in
# credentials.userNameTemplate). Okta's Admin Console offers "Create and update" and "Create only"
# (okta-developer-docs, guides/create-an-app-integration); the API's pushStatus is PUSH / DONT_PUSH
# (the management API's ApplicationCredentialsUsernameTemplate).
CREATE_AND_UPDATE, CREATE_ONLY = "create_and_update", "create_only"
UPDATE_ON: dict[str, tuple[str, str]] = {
    CREATE_AND_UPDATE: ("Create and update", "PUSH"),
    CREATE_ONLY: ("Create only", "DONT_PUSH"),
}
DEFAULT_UPDATE_ON = CREATE_AND_UPDATE
BLANK = "Blank is an invalid value for userName field"


def check_format(fmt: str, custom: str | None) -> None:
    """Refuse an unknown format or a Custom expression that does not parse (shown at [Save])."""
    if fmt not in FORMATS:
        raise Invalid(f"Unknown application username format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if fmt == "custom":
        if not custom or not custom.strip():
            raise Invalid("Enter an Okta Expression Language expression for the Custom format.")
        try:
            check(custom)
        except ExpressionError as error:
            raise Invalid(f"Invalid expression: {error}") from None


def check_update_on(update_on: str) -> None:
    if update_on not in UPDATE_ON:
        raise Invalid(
            f"Unknown 'Update application username on' value {update_on!r}; choose one of {', '.join(UPDATE_ON)}."
        )


def update_on(sign_on: Mapping[str, Any]) -> str:
    """An app's "Update application username on" (apps stored before the setting had the default)."""
    return str(sign_on.get("updateOn") or DEFAULT_UPDATE_ON)


def template(fmt: str, custom: str | None) -> str | None:
    return custom if fmt == "custom" else FORMATS[fmt][1]


def initial_user_name(fmt: str, custom: str | None, profile: Mapping[str, Any]) -> str:
    """The login name an assignment starts with ("" for (None) or an empty result)."""
    text = template(fmt, custom)
    if text is None:
        return ""
    try:
        return render(text, profile) or ""
    except ExpressionError:
        return ""
