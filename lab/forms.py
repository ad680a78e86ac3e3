"""CSRF protection shared by the two server-rendered consoles.

A synchroniser token lives in the (signed) session and every POST form sends it
back as ``csrf_token``: a page on another site can make the browser post to a
console with its cookies, but it cannot read the token to put in the form.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
SESSION_KEY = "csrf"
EXPIRED = "The form has expired. Reload the page and try again."


def csrf_token() -> str:
    """The session's token (created on first use), for the templates' hidden ``csrf_token`` field."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(24)
    return session[SESSION_KEY]  # type: ignore[no-any-return]


def check_csrf() -> None:
    """A ``before_request`` hook: refuse (400) a POST whose token is missing or not the session's."""
    if request.method != "POST":
        return
    sent = request.form.get(FIELD, "")
    expected = session.get(SESSION_KEY, "")
    # Compared as bytes: comparing str values raises TypeError on non-ASCII input (a 500, not a 400).
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, EXPIRED)
