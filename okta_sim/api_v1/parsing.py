"""Reading an /api/v1 request: the body as a JSON object, its fields with the JSON types the domain
expects, query parameters (flags, instants, ``filter``), and Okta's ``limit``/``after`` paging with
its ``Link`` header."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import request
from werkzeug.exceptions import BadRequest

from okta_sim.api_v1.protocol import InvalidSearch
from okta_sim.errors import Invalid
from simcore import jsontext
from simcore.clock import parse_instant

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    default: int
    maximum: int


USERS_PAGE = Paging(200, 200)

COLLECTION_PAGE = Paging(20, 200)  # groups, apps, app users, app groups

MEMBERS_PAGE = Paging(1000, 1000)

LOGS_PAGE = Paging(100, 1000)



def json_body(*, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object (an optional body may be empty); anything else, NaN and lone
    surrogates included (simcore.jsontext), is E0000003."""
    data = request.get_data(cache=True)  # raises 413 beyond MAX_CONTENT_LENGTH
    if not data.strip() and not required:
        return {}
    try:
        body = jsontext.loads(data)
        jsontext.check_storable(body)
    except ValueError:
        raise BadRequest() from None
    if not isinstance(body, dict):
        raise BadRequest()
    return body


def invalid(field: str, cause: str) -> Invalid:
    return Invalid(f"Api validation failed: {field}", [f"{field}: {cause}"])


def obj(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object of the body ({} when absent)."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(key, "must be an object")
    return value


def text(parent: dict[str, Any], key: str) -> str | None:
    value = parent.get(key)
    if value is not None and not isinstance(value, str):
        raise invalid(key, "must be a string")
    return value


def required_text(parent: dict[str, Any], key: str) -> str:
    value = text(parent, key)
    if value is None:
        raise invalid(key, "The field cannot be left blank")
    return value


def flag(name: str, default: bool) -> bool:
    """A boolean query parameter (``?activate=true``)."""
    value = request.args.get(name)
    if value is None:
        return default
    if value.lower() not in ("true", "false"):
        raise invalid(name, "must be true or false")
    return value.lower() == "true"


def instant(name: str) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except (ValueError, OverflowError):  # OverflowError: 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
        raise invalid(name, "must be an ISO 8601 instant, e.g. 2026-04-01T09:00:00.000Z") from None


def search_filter(pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The ``filter`` query parameter matched against the one form an endpoint supports."""
    value = request.args.get("filter")
    if value is None:
        return None
    found = pattern.match(value)
    if found is None:
        raise InvalidSearch("Invalid search criteria.")
    return found


def starts_with(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.lower().startswith(prefix.lower())


def paginated(
    items: list[T], cursor: Callable[[T], str], render: Callable[[T], Any], paging: Paging
) -> tuple[list[Any], dict[str, str]]:
    """One page of ``items`` after the ``after`` cursor, with Okta's ``Link`` header (self, next)."""
    raw_limit = request.args.get("limit", str(paging.default))
    try:
        limit = int(raw_limit)
    except ValueError:
        limit = 0
    if limit < 1:
        raise invalid("limit", f"must be an integer from 1 to {paging.maximum}")
    limit = min(limit, paging.maximum)
    start = 0
    after = request.args.get("after")
    if after:
        positions = [index for index, item in enumerate(items) if cursor(item) == after]
        if not positions:
            raise invalid("after", "is not a cursor of this list; take it from the rel=next link")
        start = positions[0] + 1
    page = items[start : start + limit]
    links = [f'<{request.url}>; rel="self"']
    if start + limit < len(items):
        kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("after", "limit")]
        query = urlencode([*kept, ("after", cursor(page[-1])), ("limit", str(limit))])
        links.append(f'<{request.base_url}?{query}>; rel="next"')
    return [render(item) for item in page], {"Link": ", ".join(links)}
