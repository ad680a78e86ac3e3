"""A scim2-server storage kept in the lab's TinyDB store.

Searching, uniqueness and paging are delegated to scim2-server's own
:class:`InMemoryStorage` (an index, not a copy of its code); every write is
also written to a TinyDB table, and a new instance reloads that table. It
passes ``scim2_server.testing.ScimStorageContract``.

Each resource can also carry *annotations*: server-side flags the protocol
never shows (cybozu_sim marks which users an IdP has synced). They live in
the same document as the resource, so setting one costs one document write.
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
        self._annotations: dict[str, dict[str, Any]] = {}
        self._annotated: dict[str, set[str]] = {}  # annotation name -> ids that carry it
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
                for name, value in (doc.get("annotations") or {}).items():
                    self._remember(resource.id, name, value)
                match = _VERSION.match(data["meta"].get("version") or "")
                top = max(top, int(match.group(1)) if match else 0)
            self._memory.resources = resources
            self._memory.versions = itertools.count(top + 1)

    def _remember(self, resource_id: str, name: str, value: Any) -> None:
        holders = self._annotated.setdefault(name, set())
        if value is None:
            self._annotations.get(resource_id, {}).pop(name, None)
            holders.discard(resource_id)
        else:
            self._annotations.setdefault(resource_id, {})[name] = value
            holders.add(resource_id)

    def annotations(self, resource_id: str) -> dict[str, Any]:
        """The annotations of a resource (a copy)."""
        with self._store.lock:
            return dict(self._annotations.get(resource_id, {}))

    def annotated(self, name: str) -> frozenset[str]:
        """The ids of the resources that carry an annotation."""
        with self._store.lock:
            return frozenset(self._annotated.get(name, ()))

    def annotate(self, resource_id: str, **values: Any) -> None:
        """Set annotations of a stored resource (``None`` removes one)."""
        with self._store.transaction() as db:
            doc_id = self._doc_ids.get(resource_id)
            if doc_id is None:
                raise KeyError(resource_id)
            for name, value in values.items():
                self._remember(resource_id, name, value)
            current = dict(self._annotations.get(resource_id, {}))
            db.table(self._table).update(_set_field("annotations", current), doc_ids=[doc_id])

    def clear_annotation(self, name: str) -> None:
        """Remove an annotation from every resource, in one transaction."""
        with self._store.transaction():
            for resource_id in self.annotated(name):
                self.annotate(resource_id, **{name: None})

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
                table.update(_set_field("resource", data), doc_ids=[doc_id])

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
            for name in self._annotations.pop(resource_id, {}):
                self._annotated[name].discard(resource_id)
            if doc_id is not None:
                db.table(self._table).remove(doc_ids=[doc_id])

    def all(self, resource_type: ResourceType) -> list[Resource[Any]]:
        """Every resource of a type, for the console and the lab (copies)."""
        return self._memory.search([resource_type], SearchRequest(start_index=1)).resources


def _set_field(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc[name] = value

    return replace
