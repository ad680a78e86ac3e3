"""A scim2-server storage kept in the lab's TinyDB store.

Searching, uniqueness and paging are delegated to scim2-server's own
:class:`InMemoryStorage` (an index, not a copy of its code); every write is
also written to a TinyDB table, and a new instance reloads that table. It
passes ``scim2_server.testing.ScimStorageContract``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from scim2_models import Resource, ResourceType, ResponseParameters, ScimProvider, SearchRequest
from scim2_server.memory import InMemoryStorage
from scim2_server.storage import ScimStorage, SearchPage

from lab.storage import Store

_VERSION = re.compile(r'^W/"(\d+)"$')


class _IndexedMemory(InMemoryStorage):
    """InMemoryStorage that keeps an identifier it is given (for resources created by the lab)."""

    def generate_id(self, resource_type: ResourceType, resource: Resource[Any]) -> str:
        return resource.id or super().generate_id(resource_type, resource)


class TinyDbScimStorage(ScimStorage):
    """The resources of one partition (a cybozu tenant) of a TinyDB table."""

    supports_cursors = True

    def __init__(
        self,
        store: Store,
        table: str,
        provider: ScimProvider,
        *,
        partition: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self._table = table
        self._partition = partition
        self._provider = provider
        self._memory = _IndexedMemory(clock=clock) if clock else _IndexedMemory()
        self._memory.lock = store.lock  # one lock for the index and the file
        self._doc_ids: dict[str, int] = {}
        self._load()

    def _load(self) -> None:
        resources = []
        top = 0
        with self._store.transaction() as db:
            for doc in db.table(self._table):
                if doc.get("partition") != self._partition:
                    continue
                data = doc["resource"]
                model = self._provider.model_for(data["meta"]["resourceType"])
                resource = model.model_validate(data)
                resources.append(resource)
                self._doc_ids[resource.id] = doc.doc_id
                match = _VERSION.match(data["meta"].get("version") or "")
                top = max(top, int(match.group(1)) if match else 0)
            self._memory.resources = resources
            self._memory.versions = itertools.count(top + 1)

    @contextmanager
    def operation(self) -> Iterator[None]:
        with self._store.transaction():
            yield

    def _write(self, resource: Resource[Any]) -> None:
        data = resource.model_dump(mode="json")
        with self._store.transaction() as db:
            table = db.table(self._table)
            doc_id = self._doc_ids.get(resource.id)
            if doc_id is None:
                self._doc_ids[resource.id] = table.insert({"partition": self._partition, "resource": data})
            else:
                table.update(_replace_resource(data), doc_ids=[doc_id])

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        return self._memory.get(resource_type, resource_id)

    def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        return self._memory.search(resource_types, search_request, position=position)

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        with self._store.transaction():
            created = self._memory.create(resource_type, resource)
            self._write(created)
            return created

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        with self._store.transaction():
            updated = self._memory.update(resource_type, resource, expected_version=expected_version)
            self._write(updated)
            return updated

    def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        with self._store.transaction() as db:
            self._memory.delete(resource_type, resource_id, expected_version=expected_version)
            doc_id = self._doc_ids.pop(resource_id, None)
            if doc_id is not None:
                db.table(self._table).remove(doc_ids=[doc_id])

    def all(self, resource_type: ResourceType) -> list[Resource[Any]]:
        """Every resource of a type, for the console and the lab (copies)."""
        return self._memory.search([resource_type], SearchRequest(start_index=1)).resources


def _replace_resource(data: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc["resource"] = data

    return replace
