"""The lab's embedded store: TinyDB, made safe for a threaded server.

TinyDB is not thread-safe and, with its JSON storage, rereads and rewrites the
whole file on every operation. :class:`Store` fixes both:

- every access goes through :meth:`Store.transaction`, which holds one
  re-entrant lock, so concurrent requests are serialised;
- the data lives in memory; a file-backed store replaces its file atomically
  (write a temporary file, fsync, rename, fsync the folder) once per outermost
  transaction, so bulk work done in one transaction costs one file write,
  not one per record;
- a memory store (``Store()``) never touches the disk, for tests and scenario
  runs;
- a write costs what it changes: stock TinyDB re-keys every document of a
  table on each write, which makes N inserts cost O(N²).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

Data = dict[str, dict[str, Any]]


class _IntKeys(MutableMapping[int, Any]):
    """The int-keyed view of a table that TinyDB's updaters expect, over the stored str-keyed dict."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def __getitem__(self, key: int) -> Any:
        return self.raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self.raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self.raw[str(key)]

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)


class LabTable(Table):
    """A TinyDB table whose writes touch only the documents they change.

    TinyDB's own ``_update_table`` copies the whole table twice per write to
    convert document ids between str and int; this view converts only the ids
    an operation uses. (TinyDB lets applications swap ``table_class``.)
    """

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read() or {}
        updater(_IntKeys(tables.setdefault(self.name, {})))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()


class LabTinyDB(TinyDB):
    table_class = LabTable


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the data in memory and persists it atomically.

    With ``path=None`` it is a pure memory storage. Writes made while
    ``deferred`` is positive only mark the data dirty; :meth:`flush` writes it.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.deferred = 0
        self.dirty = False
        self.flushes = 0
        self._data: Data | None = None
        if self.path is not None and self.path.exists():
            text = self.path.read_text(encoding="utf-8")
            self._data = json.loads(text) if text.strip() else None

    def read(self) -> Data | None:
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
        self.dirty = True
        if not self.deferred:
            self.flush()

    def flush(self) -> None:
        """Replace the file with the current data, atomically and durably."""
        if not self.dirty:
            return
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self._data or {}, handle, ensure_ascii=False, separators=(",", ":"))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(self.path.parent)
            self.flushes += 1
        self.dirty = False

    def close(self) -> None:
        self.flush()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Store:
    """A thread-safe TinyDB in memory (``Store()``) or in a JSON file (``Store(path)``)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.path = Path(path) if path is not None else None
        self._db = LabTinyDB(storage=AtomicJSONStorage, path=path)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self.generation = 0  # bumped when every table is replaced at once

    @property
    def is_new(self) -> bool:
        """True when nothing has ever been stored (a fresh data folder)."""
        with self.lock:
            return not self._storage.read()

    @property
    def flushes(self) -> int:
        """How many times the file was written (for tests of batching)."""
        return self._storage.flushes

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
            return plain_copy(self._storage.read() or {})

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

    def _ids(self, db: TinyDB) -> dict[str, int]:
        if self._generation != self.store.generation:
            docs = list(db.table(self.table))
            self._index = {doc[self.key]: doc.doc_id for doc in docs}
            self._by_unique = {self.unique(doc): doc[self.key] for doc in docs} if self.unique else {}
            self._generation = self.store.generation
        return self._index

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

    def delete(self, key: str) -> bool:
        with self.store.transaction() as db:
            doc_id = self._ids(db).pop(key, None)
            if doc_id is None:
                return False
            if self.unique:
                self._by_unique.pop(self.unique(db.table(self.table).get(doc_id=doc_id)), None)  # type: ignore[arg-type]
            db.table(self.table).remove(doc_ids=[doc_id])
            return True

    def all(self) -> list[dict[str, Any]]:
        return self.find(lambda _: True)

    def keys_where(self, predicate: Callable[[dict[str, Any]], bool]) -> list[str]:
        """The keys of the documents that match, without copying any document."""
        with self.store.transaction() as db:
            self._ids(db)
            return [doc[self.key] for doc in db.table(self.table) if predicate(doc)]

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

    def close(self) -> None:
        with self.lock:
            self._db.close()
