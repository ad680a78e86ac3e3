"""cybozu.com's SCIM 2.0 service: routes, the protocol (RFC 7644) and cybozu's rules, on plain dicts.

One instance serves one request of one tenant. Besides the protocol, it does
what cybozu.com does differently: Propagate Provisioning, login-name rules and
immutability, licensed services, deleted-user tombstones, users held from the
IdP (added in the console after provisioning was enabled), and messages an
Okta administrator can act on. Every rule is checked before the store is
touched, so nothing is half-written.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cybozu_sim import propagation
from cybozu_sim.backend import Backend
from cybozu_sim.errors import Invalid
from cybozu_sim.scim.errors import ScimError
from cybozu_sim.scim.filters import parse_filter
from cybozu_sim.scim.patch import apply_patch
from cybozu_sim.scim.paths import AttrPath, parse_attribute_list
from cybozu_sim.scim.resources import (
    MAX_RESULTS,
    RESOURCE_TYPES,
    SCHEMAS,
    SEARCH_REQUEST,
    SERVICE_PROVIDER_CONFIG,
    discovery,
    list_response,
    render_user,
)
from cybozu_sim.scim.schema import read_user
from cybozu_sim.tenants import Tenant
from cybozu_sim.user_store import LoginTaken, UserStore
from cybozu_sim.users import check_services, check_user_fields, profile_of, services_of
from simcore import jsontext

PASSWORD_PREFIX = "sha256$"
JSON_TYPES = ("application/scim+json", "application/json")
_INTEGER = re.compile(r"-?\d{1,9}")
_DISCOVERY = {"serviceproviderconfig", "resourcetypes", "schemas"}


def hash_password(password: str) -> str:
    """Salted SHA-256 of a provisioned password (the IdP sends a random one; it is never returned)."""
    if password.startswith(PASSWORD_PREFIX):
        return password
    salt = secrets.token_hex(8)
    return f"{PASSWORD_PREFIX}{salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"


def login_name_locked(login: str | None) -> str:
    """The refusal of a login-name change, worded as the article's workaround."""
    return (
        f'Login names of synced users cannot be updated (login name "{login}"). To change it, '
        "delete the user from cybozu.com, recreate the user on Okta, and sync again."
    )


@dataclass
class Answer:
    """What the endpoint answers: a status, a JSON body (or none) and headers."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """The parts of an HTTP request the service reads (Flask-free, so tests and tools can call it)."""

    method: str
    path: str
    query: Mapping[str, str]
    content_type: str | None
    body: bytes


def _not_allowed() -> ScimError:
    return ScimError(405, "The endpoint does not support this method")


class CybozuScimService:
    """The SCIM service of one tenant, for one request."""

    def __init__(self, backend: Backend, tenant: Tenant, base_url: str) -> None:
        self.backend = backend
        self.tenant = tenant
        self.base_url = base_url
        self.store: UserStore = backend.user_storage(tenant.subdomain)

    def handle(self, request: Request) -> Answer:
        """Route a request; every refusal is a SCIM error, never an exception."""
        try:
            return self._route(request)
        except ScimError as error:
            return Answer(error.status, error.body(), error.headers)

    # -- routing -----------------------------------------------------------------------

    def _route(self, request: Request) -> Answer:
        parts = [p for p in request.path.split("/") if p]
        method = request.method
        head = parts[0].lower() if parts else ""
        if head in _DISCOVERY:
            if method != "GET":
                raise _not_allowed()
            return self._discovery(head, parts[1:])
        if head == "bulk":
            raise ScimError(405, "Bulk operations are not supported (see /ServiceProviderConfig).")
        if head not in ("", "users", ".search"):
            raise ScimError(404, f"No resource type found at '{'/'.join(parts)}'")
        if not self.tenant.propagate:
            raise ScimError(403, propagation.PROPAGATION_DISABLED)
        rest = parts[1:]
        if head == ".search" or (head == "users" and rest == [".search"]):
            if rest and head == ".search":
                raise ScimError(404, f"No resource type found at '{'/'.join(parts)}'")
            if method != "POST":
                raise _not_allowed()
            return self._search_request(request)
        if head == "" or not rest:
            if method == "GET":
                return self._search(request.query)
            if method == "POST" and head == "users":
                return self._create(self._json(request))
            raise _not_allowed()
        if len(rest) > 1:
            raise ScimError(404, f"No resource type found at '{'/'.join(parts)}'")
        user_id = rest[0]
        if method == "GET":
            return Answer(200, self._render(self._visible(user_id), request.query))
        if method == "PUT":
            return self._replace(user_id, self._json(request))
        if method == "PATCH":
            return self._patch(user_id, self._json(request))
        if method == "DELETE":
            return self._delete(user_id)
        raise _not_allowed()

    def _discovery(self, head: str, rest: list[str]) -> Answer:
        base = self.base_url
        if head == "serviceproviderconfig":
            if rest:
                raise ScimError(404, f"No resource found at 'ServiceProviderConfig/{'/'.join(rest)}'")
            return Answer(
                200,
                discovery(SERVICE_PROVIDER_CONFIG, base, "ServiceProviderConfig", "ServiceProviderConfig"),
            )
        documents, kind, label = (
            (RESOURCE_TYPES, "ResourceType", "ResourceTypes")
            if head == "resourcetypes"
            else (SCHEMAS, "Schema", "Schemas")
        )
        located = {key: discovery(doc, base, kind, f"{label}/{doc['id']}") for key, doc in documents.items()}
        if not rest:
            return Answer(200, list_response(list(located.values()), len(located), 1))
        wanted = "/".join(rest)
        document = located.get(wanted.lower())
        if document is None or len(rest) > 1:
            name = "Resource type" if kind == "ResourceType" else "Schema"
            raise ScimError(404, f"{name} '{wanted}' not found")
        return Answer(200, document)

    # -- reading the request ----------------------------------------------------------------

    @staticmethod
    def _json(request: Request) -> Any:
        """The body as JSON: UTF-8, no NaN/Infinity, bounded nesting, or a 400/415."""
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type and content_type not in JSON_TYPES:
            raise ScimError(415, "The request body must be application/scim+json")
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ScimError(
                400,
                f"Invalid JSON: the body is not UTF-8 ({error.reason} at byte {error.start}).",
                "invalidSyntax",
            ) from None
        try:
            return jsontext.loads(text)
        except ValueError as error:
            raise ScimError(400, f"Invalid JSON: {error}", "invalidSyntax") from None

    def _attributes(self, query: Mapping[str, Any]) -> tuple[list[AttrPath] | None, list[AttrPath] | None]:
        attributes = query.get("attributes")
        excluded = query.get("excludedAttributes")
        return (
            parse_attribute_list(_strings(attributes, "attributes"))
            if attributes not in (None, "")
            else None,
            parse_attribute_list(_strings(excluded, "excludedAttributes"))
            if excluded not in (None, "")
            else None,
        )

    def _render(self, user: dict[str, Any], query: Mapping[str, Any]) -> dict[str, Any]:
        attributes, excluded = self._attributes(query)
        return render_user(user, self.base_url, attributes, excluded)

    # -- users as the IdP sees them -------------------------------------------------------------

    def _visible(self, user_id: str) -> dict[str, Any]:
        """A user the IdP may see: users held from the IdP answer 404 like missing ones."""
        user = self.store.get(user_id)
        if user is None or self.store.has_annotation(user_id, propagation.HELD):
            raise ScimError(404, f"User '{user_id}' not found")
        return user

    def _search(self, query: Mapping[str, Any]) -> Answer:
        start = _integer(query.get("startIndex"), "startIndex", 1)
        count = _integer(query.get("count"), "count", MAX_RESULTS)
        text = query.get("filter")
        if text is not None and not isinstance(text, str):
            raise ScimError(400, "Input should be a valid string: filter", "invalidValue")
        attributes, excluded = self._attributes(query)
        start = max(start, 1)
        count = min(max(count, 0), MAX_RESULTS)
        held = self.store.annotated(propagation.HELD)
        if text:
            parsed = parse_filter(text)
            if parsed.user_name is not None:
                user = self.store.by_login(parsed.user_name)
                found = [user] if user is not None and user["id"] not in held else []
            else:
                found = [u for u in self.store.all() if u["id"] not in held and parsed.match(u)]
        else:
            found = [u for u in self.store.all() if u["id"] not in held] if held else self.store.all()
        page = found[start - 1 : start - 1 + count]
        resources = [render_user(u, self.base_url, attributes, excluded) for u in page]
        return Answer(200, list_response(resources, len(found), start))

    def _search_request(self, request: Request) -> Answer:
        """POST /.search (RFC 7644 §3.4.3): the query parameters, sent as a SearchRequest body."""
        body = self._json(request)
        if not isinstance(body, dict):
            raise ScimError(400, "Input should be an object", "invalidSyntax")
        schemas = body.get("schemas")
        if schemas is not None and (not isinstance(schemas, list) or SEARCH_REQUEST not in schemas):
            raise ScimError(400, f"schemas must contain the base schema '{SEARCH_REQUEST}'", "invalidSyntax")
        query: dict[str, Any] = {}
        for key in ("filter", "startIndex", "count", "attributes", "excludedAttributes"):
            value = body.get(key)
            if value is None:
                continue
            if key == "filter" and not isinstance(value, str):
                raise ScimError(400, "Input should be a valid string: filter", "invalidValue")
            if key in ("startIndex", "count"):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ScimError(400, f"Input should be a valid integer: {key}", "invalidValue")
                value = str(value)
            query[key] = value
        return self._search(query)

    # -- writes ----------------------------------------------------------------------------------

    def _create(self, body: Any) -> Answer:
        user = read_user(body)
        self._check(user, None)
        stone = propagation.tombstone_for(self.tenant, user.get("userName"), user.get("externalId"))
        if stone is not None:
            raise ScimError(409, propagation.recreate_refused(stone), "uniqueness")
        if user.get("password"):
            user["password"] = hash_password(user["password"])
        try:
            created = self.store.create(user, {propagation.LINKED: True})
        except LoginTaken as taken:
            held = self.store.has_annotation(taken.holder, propagation.HELD)
            detail = (
                propagation.held_conflict(taken.login)
                if held
                else f'The login name "{taken.login}" is already in use.'
            )
            raise ScimError(409, detail, "uniqueness") from None
        location = f"{self.base_url}/Users/{created['id']}"
        return Answer(201, render_user(created, self.base_url), {"Location": location})

    def _replace(self, user_id: str, body: Any) -> Answer:
        with self.backend.store.transaction():  # read, check and write as one step
            return self._replace_locked(user_id, body)

    def _replace_locked(self, user_id: str, body: Any) -> Answer:
        current = self._visible(user_id)
        replacement = read_user(body)
        if replacement["userName"] != current["userName"]:
            raise ScimError(400, login_name_locked(current["userName"]), "mutability")
        self._check(replacement, current)
        password = replacement.get("password")
        if password:
            replacement["password"] = hash_password(password)
        elif current.get("password"):
            # write-only: a client cannot send back what it never reads (inference)
            replacement["password"] = current["password"]
        return Answer(200, render_user(self._save(user_id, replacement), self.base_url))

    def _patch(self, user_id: str, body: Any) -> Answer:
        with self.backend.store.transaction():  # read, check and write as one step
            return self._patch_locked(user_id, body)

    def _patch_locked(self, user_id: str, body: Any) -> Answer:
        current = self._visible(user_id)
        patched = apply_patch(current, body)
        if patched.get("userName") != current["userName"]:
            raise ScimError(400, login_name_locked(current["userName"]), "mutability")
        user = read_user(patched)
        self._check(user, current)
        if user.get("password") and user["password"] != current.get("password"):
            user["password"] = hash_password(user["password"])
        self._save(user_id, user)
        return Answer(204)

    def _save(self, user_id: str, user: dict[str, Any]) -> dict[str, Any]:
        return self.store.replace(user_id, user, {propagation.LINKED: True})

    def _delete(self, user_id: str) -> Answer:
        with self.backend.store.transaction():
            self._visible(user_id)
            self.store.delete(user_id)
        return Answer(204)

    # -- cybozu's rules ---------------------------------------------------------------------------

    def _check(self, user: dict[str, Any], before: dict[str, Any] | None) -> None:
        try:
            check_user_fields(**profile_of(user))
            check_services(self.tenant, services_of(user), services_of(before) if before else None)
        except Invalid as error:
            raise ScimError(400, error.message, "invalidValue") from error


def _strings(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ScimError(400, f"Input should be a list of attribute paths: {name}", "invalidValue")


def _integer(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not _INTEGER.fullmatch(value.strip()):
        raise ScimError(400, f"Input should be a valid integer: {name}", "invalidValue")
    return int(value)
