"""/api/v1/logs: Okta's System Log API (listLogEvents), its query parameters read from the request.

``since``, ``until``, ``filter`` (okta_sim/api_v1/log_filter.py), ``q`` (log_keywords.py),
``sortOrder``, ``limit`` and ``after``; which events they select, and whether a ``next`` link
follows, is okta_sim/api_v1/log_query.py.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from okta_sim import syslog
from okta_sim.api_v1 import log_filter, log_keywords, log_query
from okta_sim.api_v1.parsing import LOGS_PAGE, invalid, link_header, page_size
from okta_sim.backend import get_backend
from okta_sim.errors import Invalid
from simcore.clock import parse_instant

bp = Blueprint("logs", __name__)

# Okta's answer to a since or until it cannot read (System Log query guide, "Errors").
DATE_UNRECOGNIZED = "The date format in your query is not recognized. Please enter dates using ISO8601 string format."
DATE_EXPECTED = "must be a valid date-time or empty."
SORT_ORDERS = ("ASCENDING", "DESCENDING")


@bp.get("/logs")
def list_logs() -> ResponseReturnValue:
    backend = get_backend()
    query = log_query.LogQuery(
        limit=page_size(LOGS_PAGE),
        since=instant("since"),
        until=instant("until"),
        after=request.args.get("after") or None,
        descending=sort_order() == "DESCENDING",
        criteria=log_filter.parse(request.args.get("filter", "")),
        keywords=log_keywords.parse(request.args.get("q", "")),
    )
    page = log_query.select(syslog.events(backend, stamped=True), query, backend.clock.now())
    following = None
    if page.more:
        following = ({"after": page.cursor} if page.cursor else {}) | {"limit": str(query.limit)}
    return [syslog.unstamped(event) for event in page.events], link_header(following)


def instant(name: str) -> datetime | None:
    """An ISO 8601 instant; empty is absent (Okta: "a valid date-time or empty")."""
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        return parse_instant(value)
    except (ValueError, OverflowError):  # OverflowError: 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
        raise Invalid(
            f"Api validation failed: '{name}': {DATE_UNRECOGNIZED} '{name}': {DATE_EXPECTED}",
            [f"{name}: {DATE_UNRECOGNIZED}", f"{name}: {DATE_EXPECTED}"],
        ) from None


def sort_order() -> str:
    """ASCENDING (the default) or DESCENDING, by ``published``; empty is absent (inference)."""
    value = request.args.get("sortOrder") or SORT_ORDERS[0]
    if value not in SORT_ORDERS:
        raise invalid("sortOrder", "must be ASCENDING or DESCENDING")
    return value
