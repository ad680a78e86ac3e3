"""Reading an /api/v1 request: the body as a JSON object, its fields with the JSON types the domain
expects, query parameters (flags, ``filter``), and Okta's ``limit``/``after`` paging with its
``Link`` header."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import request
from werkzeug.exceptions import BadRequest

from okta_sim.api_v1 import resource_filter
from okta_sim.api_v1.resource_filter import Rules
from okta_sim.errors import Invalid
from simcore import jsontext

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    default: int
    maximum: int
    minimum: int = 1


USERS_PAGE = Paging(200, 200)

USERS_QUERY_PAGE = Paging(10, 200)  # listUsers: limit "Defaults to 10 if q is provided"

COLLECTION_PAGE = Paging(20, 200)  # groups, apps, app users, app groups

MEMBERS_PAGE = Paging(1000, 1000)

LOGS_PAGE = Paging(100, 1000, minimum=0)  # listLogEvents: "Integer between 0 and 1000", default 100

PAGE_PARAMETERS = ("after", "limit")  # what a rel="next" link sets anew


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


def searched(items: list[T], view: Callable[[T], dict[str, Any]], **rules: Rules) -> tuple[list[T], bool]:
    """The items the query parameters named in ``rules`` (``search=``, ``filter=``) select, each
    read as ``view`` gives it, and whether there was such a parameter. Both are parsed before any
    item is read, so a bad one is refused whatever the list holds; with ``search``, ``sortBy``
    and ``sortOrder`` order the result (Okta: "for search queries only")."""
    trees = [(resource_filter.parse(request.args.get(name, ""), rule), rule) for name, rule in rules.items()]
    trees = [(tree, rule) for tree, rule in trees if tree is not None]
    order = request.args.get("sortOrder", "asc")
    if order.lower() not in ("asc", "desc"):
        raise invalid("sortOrder", "must be asc or desc")
    sort_by = request.args.get("sortBy") if "search" in rules and request.args.get("search") else None
    key = resource_filter.sort_key(rules["search"], sort_by) if sort_by else None
    found = [item for item in items if all(resource_filter.matches(tree, view(item), rule) for tree, rule in trees)]
    if key is not None:
        found.sort(key=lambda item: key(view(item)), reverse=order.lower() == "desc")
    return found, bool(trees)


def starts_with(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.lower().startswith(prefix.lower())


def page_size(paging: Paging) -> int:
    """The ``limit`` query parameter: a number out of range or no number is E0000001; above the
    maximum is the maximum."""
    try:
        limit = int(request.args.get("limit", str(paging.default)))
    except ValueError:
        limit = paging.minimum - 1
    if limit < paging.minimum:
        raise invalid("limit", f"must be an integer from {paging.minimum} to {paging.maximum}")
    return min(limit, paging.maximum)


def after_cursor(cursors: Sequence[str], after: str | None) -> int:
    """Where a page starts in a list of cursors: just past ``after`` (0 without one); a cursor the
    list does not hold is E0000001."""
    if not after:
        return 0
    try:
        return cursors.index(after) + 1
    except ValueError:
        raise invalid("after", "is not a cursor of this list; take it from the rel=next link") from None


def link_header(following: dict[str, str] | None) -> dict[str, str]:
    """Okta's ``Link`` header: rel="self" (this request) and, when ``following`` is given, rel="next":
    this request with its paging parameters replaced by ``following``'s."""
    links = [f'<{request.url}>; rel="self"']
    if following is not None:
        kept = [(k, v) for k, v in request.args.items(multi=True) if k not in PAGE_PARAMETERS]
        links.append(f'<{request.base_url}?{urlencode([*kept, *following.items()])}>; rel="next"')
    return {"Link": ", ".join(links)}


def paginated(
    items: list[T], cursor: Callable[[T], str], render: Callable[[T], Any], paging: Paging
) -> tuple[list[Any], dict[str, str]]:
    """One page of ``items`` after the ``after`` cursor, with Okta's ``Link`` header (self, next)."""
    limit = page_size(paging)
    start = after_cursor([cursor(item) for item in items], request.args.get("after"))
    page = items[start : start + limit]
    following = None
    if start + limit < len(items):
        following = {"after": cursor(page[-1]), "limit": str(limit)}
    return [render(item) for item in page], link_header(following)
