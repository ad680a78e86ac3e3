"""Which System Log events one ``GET /api/v1/logs`` answers, in which order, and whether a
``rel="next"`` page follows: Okta's two kinds of request (System Log query guide).

- A **polling** request (no ``until``, ``sortOrder=ASCENDING``) is a stream: events in the order
  they were stored (Okta's "persistence time"; the lab stores each at its ``published`` instant),
  with a ``next`` link always, even on an empty page, so a client polls on from where it is.
- Any other request is **bounded**: events between ``since`` and ``until`` by ``published``,
  ascending or descending, whose last page has no ``next`` link.

``since`` defaults to 7 days before ``until`` and ``until`` to now (listLogEvents); events older than
the 90 days Okta keeps are never returned; a ``since`` over 180 days old is refused. Nothing here
knows Flask: ``select`` takes the events, the query and the lab clock's now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from okta_sim import syslog
from okta_sim.api_v1 import log_filter, log_keywords
from okta_sim.api_v1.log_filter import InvalidLogQuery
from okta_sim.api_v1.parsing import after_cursor
from simcore.clock import parse_instant

DEFAULT_WINDOW = timedelta(days=7)  # since: "7 days prior to until"
RETENTION = timedelta(days=90)  # "System Log data older than 90 days isn't returned"
OLDEST_SINCE = timedelta(days=180)
TOO_OLD = "Invalid parameter: The since parameter is over 180 days prior to the current day."

Event = dict[str, Any]


@dataclass(frozen=True)
class LogQuery:
    limit: int
    since: datetime | None = None
    until: datetime | None = None  # inclusive (inference, see docs/okta_sim.md)
    after: str | None = None  # the uuid of the last event the previous page read
    descending: bool = False
    criteria: log_filter.Node | None = None
    keywords: tuple[str, ...] = ()

    @property
    def polling(self) -> bool:
        return self.until is None and not self.descending

    def matches(self, event: Event) -> bool:
        return (self.criteria is None or log_filter.matches(self.criteria, event)) and log_keywords.mentions(
            event, self.keywords
        )


@dataclass(frozen=True)
class LogPage:
    events: list[Event]
    cursor: str | None  # the last event read (found or not): the next page starts after it
    more: bool  # whether a rel="next" link follows


def window(query: LogQuery, now: datetime) -> tuple[datetime, datetime | None]:
    """The first and last ``published`` instants the request answers (no last one when polling).

    A polling request that follows its ``next`` link (``after``, no ``since``: Okta's "since and
    after are mutually exclusive") starts at its cursor, not 7 days back.
    """
    if query.since is not None and query.since < now - OLDEST_SINCE:
        raise InvalidLogQuery(TOO_OLD)
    kept = now - RETENTION
    first = kept if query.since is None else max(query.since, kept)
    if query.since is None and not (query.polling and query.after):
        # until - 7 days, never before ``kept`` (and so never before year 1: an until of 0001-01-01)
        first = max(query.until or now, kept + DEFAULT_WINDOW) - DEFAULT_WINDOW
    return first, (None if query.polling else query.until or now)


def select(events: list[Event], query: LogQuery, now: datetime) -> LogPage:
    """One page of the request's events, read after the ``after`` cursor (E0000001 if unknown)."""
    first, last = window(query, now)
    stream = [(parse_instant(event["published"]), event) for event in events]
    if not query.polling:
        # By published; among events of one instant, in the order the work that made them was
        # asked for (pushes on several workers store theirs in any order; okta_sim.jobs).
        stream.sort(key=lambda timed: (timed[0], timed[1].get(syslog.ORDER, 0)))
    if query.descending:
        stream.reverse()  # newest first, the last stored first among events of one instant

    def wanted(published: datetime, event: Event) -> bool:
        return (
            first <= published
            and (last is None or published <= last)
            and query.matches(syslog.unstamped(event))
        )

    position = after_cursor([str(event["uuid"]) for _, event in stream], query.after)
    page: list[Event] = []
    while position < len(stream) and len(page) < query.limit:
        if wanted(*stream[position]):
            page.append(stream[position][1])
        position += 1
    cursor = str(stream[position - 1][1]["uuid"]) if position else None
    more = query.polling or any(wanted(*timed) for timed in stream[position:])
    return LogPage(page, cursor, more)
