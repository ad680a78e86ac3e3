"""A tenant's users as an IdP sees them through SCIM.

It wraps the tenant's storage to (1) hide users added in the console while
Propagate Provisioning was enabled, without hiding their login names from the
uniqueness check, and (2) record which users an IdP has written, so deleting
them in the console leaves a tombstone (see provisioning.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scim2_models import (
    NotFoundException,
    Resource,
    ResourceType,
    ResponseParameters,
    SearchRequest,
    UniquenessException,
)
from scim2_server.storage import ScimStorage, SearchPage

from cybozu_sim import provisioning
from cybozu_sim.backend import Backend
from cybozu_sim.tenants import Tenant


class TenantIdpView(ScimStorage):
    supports_cursors = False

    def __init__(self, backend: Backend, tenant: Tenant) -> None:
        self.backend = backend
        self.tenant = tenant
        self.inner = backend.user_storage(tenant.subdomain)
        self.held = provisioning.held_users(backend, tenant.subdomain)

    @contextmanager
    def operation(self) -> Iterator[None]:
        with self.inner.operation():
            yield

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        if resource_id in self.held:
            raise NotFoundException(detail=f"User {resource_id!r} not found")
        return self.inner.get(resource_type, resource_id)

    def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        held = self.held
        if not held:
            return self.inner.search(resource_types, search_request, position=position)
        # Page after removing held users, so totalResults and pages stay right.
        everything = search_request.model_copy(update={"start_index": 1, "count": None})
        found = self.inner.search(resource_types, everything).resources
        visible = [r for r in found if r.id not in held]
        start = search_request.start_index_0 or 0
        stop = None if search_request.count is None else start + search_request.count
        return SearchPage(len(visible), visible[start:stop])

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        try:
            created = self.inner.create(resource_type, resource)
        except UniquenessException:
            login = resource.user_name
            held = any(r.user_name == login for r in self.inner.all(resource_type) if r.id in self.held)
            detail = (
                provisioning.held_conflict(login) if held else f'The login name "{login}" is already in use.'
            )
            raise UniquenessException(detail=detail) from None
        provisioning.note_linked(self.backend, self.tenant.subdomain, created.id or "")
        return created

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        updated = self.inner.update(resource_type, resource, expected_version=expected_version)
        provisioning.note_linked(self.backend, self.tenant.subdomain, updated.id or "")
        return updated

    def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        if resource_id in self.held:
            raise NotFoundException(detail=f"User {resource_id!r} not found")
        self.inner.delete(resource_type, resource_id, expected_version=expected_version)
