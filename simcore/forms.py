"""CSRF protection shared by the two server-rendered consoles.

A synchroniser token lives in the (signed) session and every POST form sends it
back as ``csrf_token``: a page on another site can make the browser post to a
console with its cookies, but it cannot read the token to put in the form.

The lab's Exercises pages have no sign-in and no session, so they use
:func:`check_same_origin` instead.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, request, session

FIELD = "csrf_token"
SESSION_KEY = "csrf"
EXPIRED = "The form has expired. Reload the page and try again."
CROSS_SITE = "This form can only be sent from the lab's own pages."


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


def check_same_origin() -> None:
    """A ``before_request`` hook for an app without sessions: refuse (403) a cross-site POST.

    Browsers send ``Origin`` with every POST (and ``Sec-Fetch-Site``), and a page
    cannot forge either, so a form posted from another site is told apart from
    the app's own pages. A request without them comes from no browser (the
    ``lab`` command, curl), hence from no other site's page: it passes. An
    ``Origin`` of ``null`` (sandboxed frames, opaque redirects) is refused.
    """
    if request.method != "POST":
        return
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(403, CROSS_SITE)
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        abort(403, CROSS_SITE)
