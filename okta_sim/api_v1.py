"""Okta's Management API (/api/v1) over okta_sim's domain, so an existing Okta API client works unchanged.

Views only translate HTTP to domain calls and domain results to Okta's JSON
shapes; every rule lives in directory, apps, provisioning and usernames. What
belongs to the protocol is here: SSWS authentication, Okta's error JSON,
rate-limit headers, ``limit``/``after`` pagination with ``Link`` headers, and
the checks that a body has the JSON types the domain functions expect.
"""

from __future__ import annotations

import re
import secrets
import string
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Rule

from okta_sim import api_tokens, apps, catalog, syslog, usernames
from okta_sim.backend import get_backend
from okta_sim.directory import model, reads, writes
from okta_sim.errors import Invalid, OktaError
from okta_sim.errors import NotFound as ResourceNotFound
from okta_sim.provisioning import assignments, integration, mapping, records
from simcore import jsontext
from simcore.clock import parse_instant

PREFIX = "/api/v1"
bp = Blueprint("api_v1", __name__, url_prefix=PREFIX)

T = TypeVar("T")
# The methods an Allow header may list (a 405 for TRACE still names GET and POST).
ANY_METHOD = ["GET", "POST", "PUT", "DELETE", "PATCH"]
ALPHANUMERIC = string.ascii_letters + string.digits
RATE_LIMITS = "okta_api_rate_limits"
# First path segment -> the endpoint family whose per-minute budget a request spends.
FAMILIES = {"users": "users", "groups": "groups", "apps": "apps", "meta": "apps", "logs": "logs"}
# What werkzeug's HTTP errors are in Okta's vocabulary: status -> (errorCode, errorSummary).
HTTP_ERRORS = {
    400: ("E0000003", "The request body was not well-formed."),
    404: ("E0000007", "Not found: Resource not found: {path} (Api)"),
    405: ("E0000022", "The endpoint does not support the provided HTTP method"),
    413: ("E0000001", "Api validation failed: the request body is larger than the {limit} bytes allowed."),
    # An unexpected exception: Flask hands the blueprint's handler an InternalServerError.
    500: ("E0000009", "Internal Server Error"),
}
USER_FIELDS = (
    "id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
    "passwordChanged", "type", "profile", "credentials",
)  # fmt: skip
USER_SEARCH_FIELDS = ("login", "email", "firstName", "lastName")
USER_FILTER = re.compile(r'^\s*(status|profile\.login)\s+eq\s+"([^"]*)"\s*$')
LOG_FILTER = re.compile(r'^\s*eventType\s+eq\s+"([^"]*)"\s*$')
LOG_WINDOW = timedelta(days=7)
# "Provisioning to App" toggles -> the app's features, as Okta lists them.
TO_APP_FEATURES = {
    "create": "PUSH_NEW_USERS",
    "update": "PUSH_PROFILE_UPDATES",
    "deactivate": "PUSH_USER_DEACTIVATION",
}
USER_PROVISIONING = "USER_PROVISIONING"
# Username format keys whose template Okta reports as something other than BUILT_IN.
TEMPLATE_TYPES = {"custom": "CUSTOM", "none": "NONE"}


@dataclass(frozen=True)
class Paging:
    default: int
    maximum: int


USERS_PAGE = Paging(200, 200)
COLLECTION_PAGE = Paging(20, 200)  # groups, apps, app users, app groups
MEMBERS_PAGE = Paging(1000, 1000)
LOGS_PAGE = Paging(100, 1000)


class InvalidToken(OktaError):
    status = 401
    code = "E0000011"


class InvalidSearch(OktaError):
    code = "E0000031"


class RateLimited(OktaError):
    status = 429
    code = "E0000047"


class RateLimits:
    """Requests per endpoint family in the current lab-clock minute (shared by the server's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, int]] = {}  # family -> (minute, requests)

    def hit(self, family: str, minute: int) -> int:
        """Count one request; return the family's count for the minute."""
        with self._lock:
            window, count = self._counts.get(family, (minute, 0))
            count = count + 1 if window == minute else 1
            self._counts[family] = (minute, count)
            return count

    def used(self, family: str, minute: int) -> int:
        with self._lock:
            window, count = self._counts.get(family, (minute, 0))
            return count if window == minute else 0


@bp.record_once
def install_rate_limits(state: BlueprintSetupState) -> None:
    state.app.extensions[RATE_LIMITS] = RateLimits()


# -- cross-cutting: rate limits, authentication, errors ------------------------


def rate_window() -> tuple[str, int, int]:
    """(endpoint family, current minute, the family's limit) of this request on the lab clock."""
    segment = request.path.removeprefix(PREFIX).strip("/").partition("/")[0]
    minute = int(get_backend().clock.now().timestamp()) // 60
    return FAMILIES.get(segment, "other"), minute, int(current_app.config.get("OKTA_RATE_LIMIT", 600))


@bp.before_request
def admit() -> None:
    """Spend the family's budget, then require ``Authorization: SSWS <token>``.

    The budget comes first, so a client retrying with a bad token is throttled too.
    """
    family, minute, limit = rate_window()
    if current_app.extensions[RATE_LIMITS].hit(family, minute) > limit:
        raise RateLimited("API call exceeded rate limit due to too many requests.")
    try:
        api_tokens.authenticate(get_backend(), request.headers.get("Authorization"))
    except api_tokens.TokenRejected:
        raise InvalidToken("Invalid token provided") from None


@bp.after_request
def okta_headers(response: Response) -> Response:
    """Every answer is JSON and tells the client where its family's budget stands."""
    family, minute, limit = rate_window()
    used = current_app.extensions[RATE_LIMITS].used(family, minute)
    response.headers["Content-Type"] = "application/json"
    response.headers["X-Rate-Limit-Limit"] = str(limit)
    response.headers["X-Rate-Limit-Remaining"] = str(max(0, limit - used))
    response.headers["X-Rate-Limit-Reset"] = str((minute + 1) * 60)
    return response


def error_response(status: int, code: str, summary: str, causes: Iterable[str] = ()) -> Response:
    response = jsonify(
        {
            "errorCode": code,
            "errorSummary": summary,
            "errorLink": code,
            "errorId": "oae" + "".join(secrets.choice(ALPHANUMERIC) for _ in range(22)),
            "errorCauses": [{"errorSummary": cause} for cause in causes],
        }
    )
    response.status_code = status
    return response


@bp.errorhandler(OktaError)
def okta_error(error: OktaError) -> Response:
    return error_response(error.status, error.code, error.message, error.causes)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (bad JSON, too large, unknown path, wrong method) in Okta's JSON."""
    status = error.code or 400
    code, summary = HTTP_ERRORS.get(status, ("E0000001", error.name))
    summary = summary.format(path=request.path, limit=current_app.config.get("MAX_CONTENT_LENGTH"))
    response = error_response(status, code, summary)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def unknown(path: str = "") -> NoReturn:
    """Werkzeug routes a known path with the wrong method here too, so tell 405 from 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ANY_METHOD:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound()


@bp.record_once
def route_every_method(state: BlueprintSetupState) -> None:
    """Route whatever no view takes under /api/v1 to :func:`unknown`, with any method.

    A Flask route lists its methods, so a method none of them lists (TRACE, PROPFIND, ...)
    failed in routing, outside the blueprint: werkzeug's HTML 405, without the SSWS check or
    Okta's error JSON. A werkzeug ``Rule`` without ``methods`` matches every method; the
    endpoint keeps the request in the blueprint (its authentication, headers and errors).
    """
    endpoint = f"{bp.name}.{unknown.__name__}"
    state.app.view_functions[endpoint] = unknown
    state.app.url_map.add(Rule(f"{PREFIX}/", endpoint=endpoint))
    state.app.url_map.add(Rule(f"{PREFIX}/<path:path>", endpoint=endpoint))


# -- request parsing ---------------------------------------------------------


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


# -- responses ---------------------------------------------------------------


def href(*parts: str) -> str:
    return request.url_root.rstrip("/") + PREFIX + "".join(f"/{part}" for part in parts)


def link(*parts: str) -> dict[str, str]:
    return {"href": href(*parts)}


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


def render_user(user: dict[str, Any]) -> dict[str, Any]:
    """A user in Okta's shape; the lifecycle links are the actions its status allows."""
    shown = {field: user.get(field) for field in USER_FIELDS}
    shown["_links"] = {
        "self": link("users", user["id"]),
        **{
            action: {**link("users", user["id"], "lifecycle", action), "method": "POST"}
            for action, (allowed, _, _) in model.LIFECYCLE.items()
            if user["status"] in allowed
        },
    }
    return shown


def render_group(group: dict[str, Any]) -> dict[str, Any]:
    """A group without its internal member list (that is GET /groups/{id}/users)."""
    return {
        "id": group["id"],
        "created": group["created"],
        "lastUpdated": group["lastUpdated"],
        "lastMembershipUpdated": group["lastMembershipUpdated"],
        "objectClass": ["okta:user_group"],
        "type": group["type"],
        "profile": {"name": group["profile"]["name"], "description": group["profile"]["description"]},
        "_links": {"self": link("groups", group["id"]), "users": link("groups", group["id"], "users")},
    }


def render_template(sign_on: dict[str, Any]) -> dict[str, Any]:
    fmt = sign_on["usernameFormat"]
    return {
        "template": usernames.template(fmt, sign_on["custom"]),
        "type": TEMPLATE_TYPES.get(fmt, "BUILT_IN"),
    }


def parse_template(value: Any) -> tuple[str, str | None]:
    """Okta's ``credentials.userNameTemplate`` -> (username format key, custom expression), checked."""
    if not isinstance(value, dict):
        raise invalid("userNameTemplate", "must be an object")
    kind, template = value.get("type", "BUILT_IN"), value.get("template")
    if kind == "NONE":
        return "none", None
    if template is not None and not isinstance(template, str):
        raise invalid("userNameTemplate.template", "must be a string")
    if kind == "CUSTOM":
        choice = ("custom", template)
    elif kind == "BUILT_IN":
        fmt = next(
            (key for key, (_, built_in) in usernames.FORMATS.items() if built_in and built_in == template),
            None,
        )
        if fmt is None:
            known = ", ".join(t for _, t in usernames.FORMATS.values() if t)
            raise invalid("userNameTemplate.template", f"a BUILT_IN template is one of {known}")
        choice = (fmt, None)
    else:
        raise invalid("userNameTemplate.type", "must be BUILT_IN, CUSTOM or NONE")
    try:
        usernames.check_format(*choice)
    except Invalid as error:
        raise Invalid("Api validation failed: userNameTemplate", [error.message, *error.causes]) from None
    return choice


def render_app(app: dict[str, Any]) -> dict[str, Any]:
    """An app instance as Okta shows it, built from apps.public so the API token never leaves."""
    shown = apps.public(app)
    toggles = shown["provisioning"]["toApp"]
    return {
        "id": shown["id"],
        "name": shown["name"],
        "label": shown["label"],
        "status": shown["status"],
        "created": shown["created"],
        "lastUpdated": shown["lastUpdated"],
        "signOnMode": "SAML_2_0",
        "settings": {"app": {"domainName": shown["settings"]["domainName"]}},
        "credentials": {"userNameTemplate": render_template(shown["signOn"])},
        "features": [feature for toggle, feature in TO_APP_FEATURES.items() if toggles[toggle]],
        "_links": {
            "self": link("apps", shown["id"]),
            "users": link("apps", shown["id"], "users"),
            "groups": link("apps", shown["id"], "groups"),
        },
    }


def status_of(enabled: bool) -> str:
    return "ENABLED" if enabled else "DISABLED"


def render_connection(app: dict[str, Any]) -> dict[str, Any]:
    enabled = app["provisioning"]["enabled"]
    next_step = "deactivate" if enabled else "activate"
    return {
        "authScheme": "TOKEN",
        "status": status_of(enabled),
        "_links": {
            "self": link("apps", app["id"], "connections", "default"),
            "app": link("apps", app["id"]),
            next_step: {
                **link("apps", app["id"], "connections", "default", "lifecycle", next_step),
                "hints": {"allow": ["POST"]},
            },
        },
    }


def render_feature(app: dict[str, Any]) -> dict[str, Any]:
    settings = app["provisioning"]
    toggles = settings["toApp"]
    return {
        "name": USER_PROVISIONING,
        "status": status_of(settings["enabled"]),
        "description": "User provisioning settings from Okta to a downstream application",
        "capabilities": {
            "create": {"lifecycleCreate": {"status": status_of(toggles["create"])}},
            "update": {
                "profile": {"status": status_of(toggles["update"])},
                "lifecycleDeactivate": {"status": status_of(toggles["deactivate"])},
                "password": {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"},
            },
        },
        "_links": {"self": link("apps", app["id"], "features", USER_PROVISIONING)},
    }


def catalog_name(app: dict[str, Any]) -> str:
    """The catalog integration's name ("Cybozu (cybozu.com)"), which the app's label may differ from."""
    entry = catalog.get(app["name"])
    return entry.name if entry else app["label"]


def render_schema(app: dict[str, Any]) -> dict[str, Any]:
    """The app user schema of the Profile Editor: userName plus one Enable/Disable attribute per service."""
    return {
        "id": href("meta", "schemas", "apps", app["id"], "default"),
        "$schema": "http://json-schema.org/draft-04/schema#",
        "name": app["name"],
        "title": f"{catalog_name(app)} User",
        "type": "object",
        "created": app["created"],
        "lastUpdated": app["lastUpdated"],
        "definitions": {
            "base": {
                "id": "#base",
                "type": "object",
                "properties": {"userName": {"title": "Username", "type": "string", "required": True}},
                "required": ["userName"],
            },
            "custom": {
                "id": "#custom",
                "type": "object",
                "properties": {
                    name: {
                        "title": apps.attribute_label(name),
                        "type": "string",
                        "enum": [records.ENABLE, records.DISABLE],
                    }
                    for name in app["attributes"]
                },
                "required": [],
            },
        },
        "properties": {
            "profile": {"allOf": [{"$ref": "#/definitions/base"}, {"$ref": "#/definitions/custom"}]}
        },
        "_links": {"self": link("meta", "schemas", "apps", app["id"], "default")},
    }


def render_app_user(app: dict[str, Any], app_user: dict[str, Any]) -> dict[str, Any]:
    """An assignment; its profile is what is pushed (the individual values, or the winning group's)."""
    return {
        "id": app_user["user_id"],
        "externalId": app_user["externalId"],
        "created": app_user["created"],
        "lastUpdated": app_user["lastUpdated"],
        "scope": "USER" if app_user["individual"] else "GROUP",
        "status": app_user["status"],
        "syncState": app_user["syncState"],
        "lastSync": app_user["lastSync"],
        "credentials": {"userName": app_user["userName"]},
        "profile": mapping.effective_profile(get_backend(), app, app_user),
        "_links": {
            "self": link("apps", app["id"], "users", app_user["user_id"]),
            "app": link("apps", app["id"]),
            "user": link("users", app_user["user_id"]),
        },
    }


def render_app_group(app_group: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app_group["group_id"],
        "priority": app_group["priority"],
        "profile": app_group["profile"],
        "lastUpdated": app_group["lastUpdated"],
        "_links": {
            "self": link("apps", app_group["app_id"], "groups", app_group["group_id"]),
            "app": link("apps", app_group["app_id"]),
            "group": link("groups", app_group["group_id"]),
        },
    }


def by_id(item: dict[str, Any]) -> str:
    return str(item["id"])


# -- users ---------------------------------------------------------------------


@bp.get("/users")
def list_users() -> ResponseReturnValue:
    found = reads.list_users(get_backend())
    query = request.args.get("q")
    if query:
        found = [u for u in found if any(starts_with(u["profile"].get(f), query) for f in USER_SEARCH_FIELDS)]
    criteria = search_filter(USER_FILTER)
    if criteria:
        field, value = criteria.groups()
        if field == "status":
            found = [u for u in found if u["status"] == value]
        else:
            found = [u for u in found if u["profile"]["login"].lower() == value.lower()]
    return paginated(found, by_id, render_user, USERS_PAGE)


@bp.post("/users")
def create_user() -> ResponseReturnValue:
    """Okta answers 200 (not 201) on create; ``groupIds`` are checked before the user exists."""
    activate = flag("activate", True)
    body = json_body()
    obj(body, "credentials")
    group_ids = body.get("groupIds") or []
    if not isinstance(group_ids, list) or not all(isinstance(g, str) for g in group_ids):
        raise invalid("groupIds", "must be a list of group ids")
    backend = get_backend()
    groups = [reads.get_group(backend, group_id) for group_id in group_ids]
    user = writes.create_user(backend, body.get("profile"), activate=activate)
    for group in groups:
        writes.set_membership(backend, group["id"], user["id"], True)
    return render_user(reads.get_user(backend, user["id"]))


@bp.get("/users/<id_or_login>")
def get_user(id_or_login: str) -> ResponseReturnValue:
    return render_user(reads.get_user(get_backend(), id_or_login))


@bp.post("/users/<user_id>")
def update_user(user_id: str) -> ResponseReturnValue:
    """Partial update: the given profile fields are merged (credentials are accepted and ignored)."""
    body = json_body()
    obj(body, "credentials")
    return render_user(writes.update_user(get_backend(), user_id, obj(body, "profile"), partial=True))


@bp.put("/users/<user_id>")
def replace_user(user_id: str) -> ResponseReturnValue:
    body = json_body()
    obj(body, "credentials")
    return render_user(writes.update_user(get_backend(), user_id, body.get("profile"), partial=False))


@bp.delete("/users/<user_id>")
def delete_user(user_id: str) -> ResponseReturnValue:
    """Okta's DELETE deactivates an active user and deletes a deactivated one; both answer 204."""
    writes.delete_user(get_backend(), user_id)
    return "", 204


@bp.post("/users/<user_id>/lifecycle/<action>")
def user_lifecycle(user_id: str, action: str) -> ResponseReturnValue:
    writes.change_status(get_backend(), user_id, action)
    return {}


@bp.get("/users/<user_id>/groups")
def user_groups(user_id: str) -> ResponseReturnValue:
    backend = get_backend()
    user = reads.get_user(backend, user_id)
    return [render_group(group) for group in reads.groups_of(backend, user["id"])]


# -- groups --------------------------------------------------------------------


@bp.get("/groups")
def list_groups() -> ResponseReturnValue:
    found = reads.list_groups(get_backend())
    query = request.args.get("q")
    if query:
        found = [g for g in found if starts_with(g["profile"]["name"], query)]
    return paginated(found, by_id, render_group, COLLECTION_PAGE)


@bp.post("/groups")
def create_group() -> ResponseReturnValue:
    profile = obj(json_body(), "profile")
    return render_group(
        writes.create_group(get_backend(), profile.get("name"), profile.get("description"))
    )


@bp.get("/groups/<group_id>")
def get_group(group_id: str) -> ResponseReturnValue:
    return render_group(reads.get_group(get_backend(), group_id))


@bp.put("/groups/<group_id>")
def replace_group(group_id: str) -> ResponseReturnValue:
    profile = obj(json_body(), "profile")
    return render_group(
        writes.update_group(get_backend(), group_id, profile.get("name"), profile.get("description"))
    )


@bp.delete("/groups/<group_id>")
def delete_group(group_id: str) -> ResponseReturnValue:
    writes.delete_group(get_backend(), group_id)
    return "", 204


@bp.get("/groups/<group_id>/users")
def group_users(group_id: str) -> ResponseReturnValue:
    backend = get_backend()
    members = [reads.get_user(backend, uid) for uid in reads.get_group(backend, group_id)["members"]]
    return paginated(members, by_id, render_user, MEMBERS_PAGE)


@bp.put("/groups/<group_id>/users/<user_id>")
def add_member(group_id: str, user_id: str) -> ResponseReturnValue:
    writes.set_membership(get_backend(), group_id, user_id, True)
    return "", 204


@bp.delete("/groups/<group_id>/users/<user_id>")
def remove_member(group_id: str, user_id: str) -> ResponseReturnValue:
    writes.set_membership(get_backend(), group_id, user_id, False)
    return "", 204


# -- apps ----------------------------------------------------------------------


@bp.get("/apps")
def list_apps() -> ResponseReturnValue:
    return paginated(apps.list_apps(get_backend()), by_id, render_app, COLLECTION_PAGE)


@bp.post("/apps")
def create_app() -> ResponseReturnValue:
    """Add a catalog app; the username template is checked before anything is created."""
    body = json_body()
    name = required_text(body, "name")
    label = text(body, "label")
    domain_name = obj(obj(body, "settings"), "app").get("domainName")
    template = obj(body, "credentials").get("userNameTemplate")
    choice = parse_template(template) if template is not None else None
    backend = get_backend()
    app = apps.add_app(backend, name, domain_name=domain_name, label=label)
    if choice:
        app = apps.set_username_format(backend, app["id"], *choice)
    return render_app(app)


@bp.get("/apps/<app_id>")
def get_app(app_id: str) -> ResponseReturnValue:
    return render_app(apps.get_app(get_backend(), app_id))


@bp.put("/apps/<app_id>")
def update_app(app_id: str) -> ResponseReturnValue:
    """General (label, domainName) and Sign On (userNameTemplate); the template is checked first."""
    body = json_body()
    template = obj(body, "credentials").get("userNameTemplate")
    choice = parse_template(template) if template is not None else None
    backend = get_backend()
    app = apps.set_general(
        backend,
        app_id,
        label=body.get("label"),
        domain_name=obj(obj(body, "settings"), "app").get("domainName"),
    )
    if choice:
        app = apps.set_username_format(backend, app_id, *choice)
    return render_app(app)


# -- provisioning connection and features ---------------------------------------


@bp.get("/apps/<app_id>/connections/default")
def get_connection(app_id: str) -> ResponseReturnValue:
    return render_connection(apps.get_app(get_backend(), app_id))


@bp.post("/apps/<app_id>/connections/default")
def save_connection(app_id: str) -> ResponseReturnValue:
    """Saving tests the token against cybozu.com; a failure is a 400 carrying Okta's message."""
    if not flag("activate", True):
        raise invalid("activate", "okta_sim saves a provisioning connection only by activating it")
    profile = obj(json_body(), "profile")
    if profile.get("authScheme", "TOKEN") != "TOKEN":
        raise invalid("authScheme", "the Cybozu (cybozu.com) app supports TOKEN only")
    token = text(profile, "token")
    return render_connection(integration.configure_api_integration(get_backend(), app_id, enabled=True, token=token))


@bp.post("/apps/<app_id>/connections/default/lifecycle/<any(activate, deactivate):action>")
def connection_lifecycle(app_id: str, action: str) -> ResponseReturnValue:
    """Activate reuses (and tests) the stored token; deactivate also turns Provisioning to App off."""
    integration.configure_api_integration(get_backend(), app_id, enabled=action == "activate")
    return "", 204


def app_feature(app_id: str, name: str) -> dict[str, Any]:
    app = apps.get_app(get_backend(), app_id)
    if name != USER_PROVISIONING:
        raise ResourceNotFound(f"Not found: Resource not found: {name} (AppFeature)")
    return app


@bp.get("/apps/<app_id>/features")
def list_features(app_id: str) -> ResponseReturnValue:
    return [render_feature(apps.get_app(get_backend(), app_id))]


@bp.get("/apps/<app_id>/features/<name>")
def get_feature(app_id: str, name: str) -> ResponseReturnValue:
    return render_feature(app_feature(app_id, name))


def capability(capabilities: dict[str, Any], group: str, name: str, current: bool) -> bool:
    """One ``{"status": "ENABLED"|"DISABLED"}`` of the capabilities object (absent: unchanged)."""
    value = obj(obj(capabilities, group), name).get("status")
    if value is None:
        return current
    if value not in ("ENABLED", "DISABLED"):
        raise invalid(f"{group}.{name}.status", "must be ENABLED or DISABLED")
    return value == "ENABLED"


@bp.put("/apps/<app_id>/features/<name>")
def update_feature(app_id: str, name: str) -> ResponseReturnValue:
    """Okta's body is the capabilities object; the GET answer (capabilities nested) is accepted too."""
    app = app_feature(app_id, name)
    body = json_body()
    capabilities = obj(body, "capabilities") if "capabilities" in body else body
    if capability(capabilities, "update", "password", False):
        raise invalid("update.password.status", "Sync Password is not supported by this app")
    toggles = app["provisioning"]["toApp"]
    updated = integration.set_provisioning_to_app(
        get_backend(),
        app["id"],
        create=capability(capabilities, "create", "lifecycleCreate", toggles["create"]),
        update=capability(capabilities, "update", "profile", toggles["update"]),
        deactivate=capability(capabilities, "update", "lifecycleDeactivate", toggles["deactivate"]),
    )
    return render_feature(updated)


# -- app user schema (Profile Editor) ------------------------------------------


@bp.get("/meta/schemas/apps/<app_id>/default")
def get_schema(app_id: str) -> ResponseReturnValue:
    return render_schema(apps.get_app(get_backend(), app_id))


@bp.post("/meta/schemas/apps/<app_id>/default")
def update_schema(app_id: str) -> ResponseReturnValue:
    """A null property deletes that service attribute; the app's attributes cannot be added to.

    Every name is checked before the first deletion, so a refused request changes nothing.
    """
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    properties = obj(obj(obj(json_body(), "definitions"), "custom"), "properties")
    foreign = [name for name in properties if name not in app["attributes"]]
    if foreign:
        raise Invalid(
            f"Only the attributes of the {catalog_name(app)} app can be used.",
            [f"{name}: is not an attribute of this app" for name in foreign],
        )
    for name, value in properties.items():
        if value is None:
            app = apps.delete_attribute(backend, app_id, name)
    return render_schema(app)


# -- app users -----------------------------------------------------------------


@bp.get("/apps/<app_id>/users")
def list_app_users(app_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    found = records.app_users_of_app(backend, app["id"])
    return paginated(
        found, lambda au: str(au["user_id"]), lambda au: render_app_user(app, au), COLLECTION_PAGE
    )


@bp.post("/apps/<app_id>/users")
def assign_user(app_id: str) -> ResponseReturnValue:
    """Assign a person (scope USER) with a login name and services; provisioning runs at once."""
    body = json_body()
    backend = get_backend()
    if body.get("scope", "USER") != "USER":
        raise invalid("scope", "must be USER; assign a group with PUT /api/v1/apps/{appId}/groups/{groupId}")
    user = reads.get_user(backend, required_text(body, "id"))
    credentials = obj(body, "credentials")
    assignments.assign_user(
        backend, app_id, user["id"], user_name=credentials.get("userName"), profile=body.get("profile")
    )
    return app_user_answer(app_id, user["id"])


def app_user_answer(app_id: str, user_id: str) -> dict[str, Any]:
    backend = get_backend()
    return render_app_user(apps.get_app(backend, app_id), records.get_app_user(backend, app_id, user_id))


@bp.get("/apps/<app_id>/users/<user_id>")
def get_app_user(app_id: str, user_id: str) -> ResponseReturnValue:
    apps.get_app(get_backend(), app_id)
    return app_user_answer(app_id, user_id)


@bp.post("/apps/<app_id>/users/<user_id>")
def update_app_user(app_id: str, user_id: str) -> ResponseReturnValue:
    body = json_body()
    assignments.update_assignment(
        get_backend(),
        app_id,
        user_id,
        user_name=obj(body, "credentials").get("userName"),
        profile=body.get("profile"),
    )
    return app_user_answer(app_id, user_id)


@bp.delete("/apps/<app_id>/users/<user_id>")
def unassign_user(app_id: str, user_id: str) -> ResponseReturnValue:
    assignments.unassign_user(get_backend(), app_id, user_id)
    return "", 204


# -- app groups ----------------------------------------------------------------


@bp.get("/apps/<app_id>/groups")
def list_app_groups(app_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    found = records.app_groups_of_app(backend, app["id"])
    return paginated(found, lambda ag: str(ag["group_id"]), render_app_group, COLLECTION_PAGE)


@bp.put("/apps/<app_id>/groups/<group_id>")
def assign_group(app_id: str, group_id: str) -> ResponseReturnValue:
    """Every member gets the app (with the group's services); the body may be empty."""
    body = json_body(required=False)
    return render_app_group(
        assignments.assign_group(
            get_backend(), app_id, group_id, profile=body.get("profile"), priority=body.get("priority")
        )
    )


@bp.get("/apps/<app_id>/groups/<group_id>")
def get_app_group(app_id: str, group_id: str) -> ResponseReturnValue:
    backend = get_backend()
    app = apps.get_app(backend, app_id)
    return render_app_group(records.get_app_group(backend, app["id"], group_id))


@bp.delete("/apps/<app_id>/groups/<group_id>")
def unassign_group(app_id: str, group_id: str) -> ResponseReturnValue:
    assignments.unassign_group(get_backend(), app_id, group_id)
    return "", 204


# -- System Log ----------------------------------------------------------------


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
