"""The lab's embedded store: TinyDB, made safe for a threaded server.

TinyDB is not thread-safe and, with its JSON storage, rereads and rewrites the
whole file on every operation. :class:`Store` fixes both:

- every access goes through :meth:`Store.transaction`, which holds one
  re-entrant lock, so concurrent requests are serialised;
- the data lives in memory and is made durable by the journal
  (simcore/journal.py): one fsynced line per outermost transaction that
  changed something, a snapshot now and then;
- stock TinyDB re-keys every document of a table on each write, which makes N
  inserts cost O(N²); :class:`LabTable` touches only the documents an
  operation uses, and those are exactly what the journal records;
- :class:`Collection` finds documents by key in O(1) through an index.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.table import Table

from simcore.journal import Data, JournaledStorage

T = TypeVar("T")


class _IntKeys(MutableMapping[int, Any]):
    """The int-keyed view of a table that TinyDB's updaters expect, over the stored str-keyed dict.

    It records in ``touched`` every document an updater reads or writes: an
    updater may change a document it read in place, so each one is journaled.
    """

    def __init__(self, raw: dict[str, Any], touched: set[str]) -> None:
        self.raw = raw
        self.touched = touched

    def __getitem__(self, key: int) -> Any:
        self.touched.add(str(key))
        return self.raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self.touched.add(str(key))
        self.raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        self.touched.add(str(key))
        del self.raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self.raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)

    def clear(self) -> None:
        """Empty the table in O(N) (MutableMapping's popitem loop re-lists the keys per item)."""
        self.touched.update(self.raw)
        self.raw.clear()


class LabTable(Table):
    """A TinyDB table whose writes touch only the documents they change.

    TinyDB's own ``_update_table`` copies the whole table twice per write to
    convert document ids between str and int; this view converts only the ids
    an operation uses, and tells the storage which documents those were. A
    conditional update or removal first finds its documents without touching
    the others, so the journal gets only the matches. (TinyDB lets
    applications swap ``table_class``.)
    """

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = cast(JournaledStorage, self._storage)
        tables = storage.read()
        raw = tables.get(self.name)
        created = raw is None
        if raw is None:
            raw = tables[self.name] = {}
        touched: set[str] = set()
        try:
            updater(_IntKeys(raw, touched))  # type: ignore[arg-type]
        finally:
            if touched or created:
                storage.changed(self.name, touched)
            self.clear_cache()

    def _matching_ids(self, cond: QueryLike) -> list[int]:
        return [int(key) for key, doc in self._read_table().items() if cond(doc)]

    def update(  # type: ignore[override]
        self,
        fields: Mapping[str, Any] | Callable[[MutableMapping[str, Any]], None],
        cond: QueryLike | None = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        if cond is not None and doc_ids is None:
            doc_ids = self._matching_ids(cond)
            cond = None
        return super().update(fields, cond, doc_ids)

    def remove(self, cond: QueryLike | None = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if cond is not None and doc_ids is None:
            return super().remove(doc_ids=self._matching_ids(cond))
        return super().remove(cond, doc_ids)


class LabTinyDB(TinyDB):
    table_class = LabTable


class Store:
    """A thread-safe TinyDB in memory (``Store()``) or in a JSON snapshot and its journal (``Store(path)``).

    Opening a file store raises :class:`simcore.journal.StoreCorrupt` if its files were damaged.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.path = Path(path) if path is not None else None
        self._db = LabTinyDB(storage=JournaledStorage, path=path)
        self._storage: JournaledStorage = self._db.storage  # type: ignore[assignment]
        self.generation = 0  # bumped when every table is replaced at once
        self._cached: dict[tuple[str, Callable[..., Any]], tuple[tuple[int, int], Any]] = {}

    @property
    def is_new(self) -> bool:
        """True when nothing has ever been stored (a fresh data folder)."""
        with self.lock:
            return not self._storage.read()

    def cached(self, table: str, build: Callable[[TinyDB], T]) -> T:
        """``build(db)``, kept until ``table`` is next written (or every table replaced): what a
        request reads on every call (a tenant by its subdomain, a tenant's API token digests) costs
        one TinyDB scan per change instead of one per request. ``build`` must return a value its
        callers never change (copy what they would)."""
        with self.transaction() as db:
            stamp = (self._storage.replacements, self._storage.table_writes.get(table, 0))
            hit = self._cached.get((table, build))
            if hit is None or hit[0] != stamp:
                hit = (stamp, build(db))
                self._cached[(table, build)] = hit
            return cast(T, hit[1])

    def close(self) -> None:
        """Everything written made durable (the journal's last fsync), the files closed."""
        with self.lock:
            self._storage.close()

    @property
    def flushes(self) -> int:
        """How many times changes were made durable, one per outermost transaction that changed something."""
        return self._storage.flushes

    def in_transaction(self) -> bool:
        """True when the calling thread holds the store (inside a transaction)."""
        return bool(self.lock._is_owned())  # type: ignore[attr-defined]

    @contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """Hold the store for a unit of work; persist once when the outermost one ends."""
        with self.lock:
            self._storage.deferred += 1
            try:
                yield self._db
            finally:
                self._storage.deferred -= 1
                if self._storage.deferred == 0:
                    self._storage.flush()

    def snapshot(self) -> Data:
        """Return a deep copy of every table."""
        with self.lock:
            return plain_copy(self._storage.read())

    def restore(self, data: Data) -> None:
        """Replace every table with ``data`` (as returned by :meth:`snapshot`)."""
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("a snapshot is an object of tables, each an object of documents")
        with self.transaction() as db:
            db.drop_tables()
            self._storage.write(plain_copy(data))
            self.generation += 1

    def clear(self) -> None:
        with self.transaction() as db:
            db.drop_tables()
            self.generation += 1

    def collection(
        self, table: str, key: str = "id", *, unique: Callable[[dict[str, Any]], str] | None = None
    ) -> Collection:
        return Collection(self, table, key, unique=unique)


class Collection:
    """The documents of one table addressed by a unique string field, through an in-memory index.

    TinyDB finds a document by scanning its table; lookups by key here cost
    O(1). Documents come back as copies, so callers change them and ``put``
    them back. The index follows :meth:`Store.restore` and :meth:`Store.clear`.
    """

    def __init__(
        self,
        store: Store,
        table: str,
        key: str = "id",
        *,
        unique: Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        self.store = store
        self.table = table
        self.key = key
        # ``unique`` names a second key (e.g. a user's lowercased login) that ``lookup`` finds in O(1).
        self.unique = unique
        self._index: dict[str, int] = {}
        self._by_unique: dict[str, str] = {}
        self._generation = -1
        # Bumped by every write, so values derived from the whole collection know when to rebuild.
        self._revision = 0
        self._derived: dict[Callable[..., Any], tuple[int, Any]] = {}

    def _ids(self, db: TinyDB) -> dict[str, int]:
        if self._generation != self.store.generation:
            docs = list(db.table(self.table))
            self._index = {doc[self.key]: doc.doc_id for doc in docs}
            self._by_unique = {self.unique(doc): doc[self.key] for doc in docs} if self.unique else {}
            self._generation = self.store.generation
            self._revision += 1
        return self._index

    def derived(self, build: Callable[[list[dict[str, Any]]], T]) -> T:
        """``build(documents)``, kept until the collection is next written: an index a caller needs
        on every request (e.g. each group's members as a set) costs one pass per change, not one
        per use. ``build`` reads the stored documents and must not keep or change them."""
        with self.store.transaction() as db:
            self._ids(db)
            cached = self._derived.get(build)
            if cached is None or cached[0] != self._revision:
                cached = (self._revision, build(list(db.table(self.table))))
                self._derived[build] = cached
            return cast(T, cached[1])

    def lookup(self, value: str) -> dict[str, Any] | None:
        """The document whose ``unique`` key is ``value``."""
        with self.store.transaction() as db:
            self._ids(db)
            key = self._by_unique.get(value)
        return None if key is None else self.get(key)

    def get(self, key: str) -> dict[str, Any] | None:
        with self.store.transaction() as db:
            doc_id = self._ids(db).get(key)
            if doc_id is None:
                return None
            return plain_copy(dict(db.table(self.table).get(doc_id=doc_id)))  # type: ignore[arg-type]

    def put(self, doc: dict[str, Any]) -> None:
        """Insert or replace the document with ``doc[key]``."""
        with self.store.transaction() as db:
            ids = self._ids(db)
            stored = plain_copy(doc)
            doc_id = ids.get(doc[self.key])
            if self.unique:
                if doc_id is not None:
                    self._by_unique.pop(self.unique(db.table(self.table).get(doc_id=doc_id)), None)  # type: ignore[arg-type]
                self._by_unique[self.unique(stored)] = doc[self.key]
            if doc_id is None:
                ids[doc[self.key]] = db.table(self.table).insert(stored)
            else:
                db.table(self.table).update(_replace_all(stored), doc_ids=[doc_id])
            self._revision += 1

    def delete(self, key: str) -> bool:
        with self.store.transaction() as db:
            doc_id = self._ids(db).pop(key, None)
            if doc_id is None:
                return False
            if self.unique:
                self._by_unique.pop(self.unique(db.table(self.table).get(doc_id=doc_id)), None)  # type: ignore[arg-type]
            db.table(self.table).remove(doc_ids=[doc_id])
            self._revision += 1
            return True

    def all(self) -> list[dict[str, Any]]:
        return self.find(lambda _: True)

    def find(self, predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Copies of the documents that match; the predicate reads the stored documents, unchanged."""
        with self.store.transaction() as db:
            self._ids(db)
            return [plain_copy(dict(doc)) for doc in db.table(self.table) if predicate(doc)]

    def __len__(self) -> int:
        with self.store.transaction() as db:
            return len(self._ids(db))


def plain_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, atoms): what documents are.

    copy.deepcopy dispatches and memoizes per item; for a group of 10,000
    members that made every membership change cost milliseconds.
    """
    if isinstance(value, dict):
        return {k: plain_copy(v) if isinstance(v, dict | list) else v for k, v in value.items()}
    if isinstance(value, list):
        return [plain_copy(v) if isinstance(v, dict | list) else v for v in value]
    return value


def _replace_all(new: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return replace
