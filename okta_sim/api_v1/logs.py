"""/api/v1/logs: the System Log, in a time window, filtered by event type, paged."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from okta_sim import syslog
from okta_sim.api_v1.parsing import LOGS_PAGE, instant, paginated, search_filter
from okta_sim.backend import get_backend
from simcore.clock import parse_instant

bp = Blueprint("logs", __name__)

LOG_FILTER = re.compile(r'^\s*eventType\s+eq\s+"([^"]*)"\s*$')

LOG_WINDOW = timedelta(days=7)



@bp.get("/logs")
def list_logs() -> ResponseReturnValue:
    """Events published in [since, until), oldest first; since defaults to seven days ago."""
    backend = get_backend()
    since = instant("since") or backend.clock.now() - LOG_WINDOW
    until = instant("until")
    criteria = search_filter(LOG_FILTER)

    def wanted(event: dict[str, Any]) -> bool:
        published = parse_instant(event["published"])
        return (
            since <= published
            and (until is None or published < until)
            and (criteria is None or event["eventType"] == criteria.group(1))
        )

    found = [event for event in syslog.events(backend) if wanted(event)]
    return paginated(found, lambda event: str(event["uuid"]), dict, LOGS_PAGE)
