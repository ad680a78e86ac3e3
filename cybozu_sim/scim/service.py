"""cybozu.com's rules on top of scim2-server's SCIM protocol service.

scim2-server validates requests, applies PUT and PATCH and builds responses;
this subclass adds what cybozu.com does differently: Propagate Provisioning,
login-name rules and immutability, licensed services, the deleted-user
tombstones, and messages an Okta administrator can act on.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from typing import Any

import scim2_server.memory
import scim2_server.service
from scim2_models import (
    ForbiddenException,
    InvalidValueException,
    MutabilityException,
    Resource,
    ResourceType,
    SCIMException,
    ScimProvider,
    UniquenessException,
)
from scim2_server.conditions import Conditions
from scim2_server.requests import ScimRequest
from scim2_server.routing import Target
from scim2_server.service import ScimService

from cybozu_sim import provisioning
from cybozu_sim.errors import Invalid
from cybozu_sim.tenants import Tenant
from cybozu_sim.users import check_profile, check_services, profile_of, services_of

# scim2-server parametrizes its generic messages (ListResponse[...], PatchOp[...],
# ScimFilter[...]) on every request, and scim2-models' metaclass builds a fresh
# tagged union each time, so pydantic's own cache never hits: rebuilding the
# class cost about 4 ms of a 5 ms userName lookup. The parameters are the same
# few model classes, so one memoized parametrize serves every request.
_parametrize = functools.lru_cache(maxsize=512)(scim2_server.service.parametrize)
scim2_server.service.parametrize = _parametrize
scim2_server.memory.parametrize = _parametrize

UNSYNCABLE = {
    "title": "job titles",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "departments",
    "department": "departments",
    "organization": "departments",
    "roles": "groups (roles)",
    "entitlements": "groups (roles)",
}
EXTRA = re.compile(r"Extra inputs are not permitted: (?P<field>\S+)")
PASSWORD_PREFIX = "sha256$"


def hash_password(password: str) -> str:
    """Salted SHA-256 of a provisioned password (the IdP sends a random one; it is never returned)."""
    if password.startswith(PASSWORD_PREFIX):
        return password
    salt = secrets.token_hex(8)
    return f"{PASSWORD_PREFIX}{salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"


def login_name_locked(login: str | None) -> str:
    return (
        f'Login names of synced users cannot be updated (login name "{login}"). To change it, '
        "delete the user from cybozu.com, recreate the user on Okta, and sync again."
    )


def _invalid(error: Invalid) -> InvalidValueException:
    return InvalidValueException(detail=error.message)


class CybozuScimService(ScimService):
    """The SCIM service of one tenant, for one request."""

    def __init__(self, provider: ScimProvider, tenant: Tenant) -> None:
        super().__init__(provider)
        self.tenant = tenant

    # -- access ---------------------------------------------------------

    def authorize(self, request: ScimRequest, target: Target, resource_type: ResourceType) -> None:
        if not self.tenant.propagate:
            raise ForbiddenException(detail=provisioning.PROPAGATION_DISABLED)

    # -- bodies ---------------------------------------------------------

    def read_body(self, model: Any, body: bytes, content_type: str | None, scim_ctx: Any) -> Any:
        try:
            return super().read_body(model, body, content_type, scim_ctx)
        except SCIMException as error:
            match = EXTRA.search(error.detail or "")
            if not match:
                raise
            field = match.group("field")
            topic = UNSYNCABLE.get(field) or UNSYNCABLE.get(field.split(".")[-1])
            if topic:
                detail = (
                    f"Departments, job titles and groups (roles) cannot be synced to "
                    f"cybozu.com ({topic}: {field})."
                )
            else:
                detail = (
                    f'Unknown attribute "{field}": cybozu.com stores userName, name.familyName, '
                    "name.givenName, displayName, emails, active, locale, externalId and the "
                    "services of its extension schema."
                )
            raise type(error)(detail=detail) from error

    def read_creation(
        self, resource_type: ResourceType, body: bytes, content_type: str | None
    ) -> Resource[Any]:
        resource = super().read_creation(resource_type, body, content_type)
        data = resource.model_dump(mode="json")
        self._check(data, None)
        stone = provisioning.tombstone_for(self.tenant, data.get("userName"), data.get("externalId"))
        if stone is not None:
            raise UniquenessException(detail=provisioning.recreate_refused(stone))
        return self._hashed(resource)

    def read_replacement(
        self, resource_type: ResourceType, body: bytes, content_type: str | None
    ) -> Resource[Any]:
        return self._hashed(super().read_replacement(resource_type, body, content_type))

    def apply_replacement(
        self, current: Resource[Any], replacement: Resource[Any], conditions: Conditions
    ) -> Resource[Any] | None:
        if replacement.user_name != current.user_name:
            raise MutabilityException(detail=login_name_locked(current.user_name))
        before = current.model_dump(mode="json")
        result = super().apply_replacement(current, replacement, conditions)
        if result is not None:
            self._check(result.model_dump(mode="json"), before)
        return result

    def apply_patch(
        self, current: Resource[Any], patch_op: Any, conditions: Conditions
    ) -> Resource[Any] | None:
        before = current.model_dump(mode="json")
        try:
            result = super().apply_patch(current, patch_op, conditions)
        except MutabilityException as error:
            if "userName" in (error.detail or ""):
                raise MutabilityException(detail=login_name_locked(before.get("userName"))) from error
            raise
        if result is None:
            return None
        after = result.model_dump(mode="json")
        if after.get("userName") != before.get("userName"):
            raise MutabilityException(detail=login_name_locked(before.get("userName")))
        self._check(after, before)
        if getattr(result, "password", None) and after.get("password") != before.get("password"):
            result.password = hash_password(result.password)
        return result

    # -- rules ----------------------------------------------------------

    def _check(self, data: dict[str, Any], before: dict[str, Any] | None) -> None:
        try:
            check_profile(**profile_of(data))
            check_services(self.tenant, services_of(data), services_of(before) if before else None)
        except Invalid as error:
            raise _invalid(error) from error

    @staticmethod
    def _hashed(resource: Resource[Any]) -> Resource[Any]:
        password = getattr(resource, "password", None)
        if password:
            resource.password = hash_password(password)
        return resource
