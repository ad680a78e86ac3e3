"""The lab's embedded store: TinyDB, made safe for a threaded server.

TinyDB is not thread-safe and, with its JSON storage, rereads and rewrites the
whole file on every operation. :class:`Store` fixes both:

- every access goes through :meth:`Store.transaction`, which holds one
  re-entrant lock, so concurrent requests are serialised;
- the data lives in memory. A file store (``Store("data.json")``) keeps a
  snapshot (``data.json``) and an append-only journal beside it
  (``data.json.journal``): each outermost transaction that changed something
  appends one line holding the documents it changed or deleted, fsynced before
  the transaction returns, so a write a server acknowledged is on disk, and a
  write costs what it changed, not the size of the whole store;
- when the journal outgrows the snapshot it is compacted: a new snapshot is
  written atomically (temporary file, fsync, rename, fsync of the folder) and
  the journal starts again. Its first line names the snapshot it follows (a
  hash), so a crash between the two renames leaves a journal that loading
  recognises as already folded in;
- loading reads the snapshot and replays the journal; a torn last line (a
  crash mid-append, never acknowledged) is dropped, damage anywhere else is a
  :class:`StoreCorrupt` error rather than silently lost data;
- a memory store (``Store()``) never touches the disk, for tests and scenario
  runs;
- stock TinyDB re-keys every document of a table on each write, which makes N
  inserts cost O(N²); :class:`LabTable` touches only the documents an
  operation uses, and those are exactly what the journal records.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.storages import Storage
from tinydb.table import Table

Data = dict[str, dict[str, Any]]
T = TypeVar("T")

JOURNAL_SUFFIX = ".journal"
JOURNAL_VERSION = 1
# The journal is compacted once it is larger than both the snapshot and this many bytes: the
# floor keeps a small store from rewriting its snapshot every few writes, the snapshot's size
# keeps the bytes written per change O(1) amortised and the replay at load at most a snapshot's worth.
COMPACT_MIN_BYTES = 1 << 20


class StoreCorrupt(Exception):
    """A data file cannot be read back as it was written; loading it would lose data silently."""


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


class JournaledStorage(Storage):
    """A TinyDB storage that keeps the data in memory and persists it as a snapshot plus a journal.

    With ``path=None`` it is a pure memory storage. Changes made while
    ``deferred`` is positive are only remembered; :meth:`flush` makes them durable.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.journal = self.path.with_name(self.path.name + JOURNAL_SUFFIX) if self.path else None
        self.deferred = 0
        self.flushes = 0  # durable writes: journal appends and compactions
        self.compactions = 0
        self._data: Data = {}
        self._changes: dict[str, set[str]] = {}  # table -> ids of the documents changed since the last flush
        self._replaced = False  # every table was replaced at once: only a new snapshot says that
        self._journal_ok = False  # the journal on disk follows the snapshot on disk (we may append)
        self._journal_bytes = 0
        self._snapshot_bytes = 0
        if self.path is not None:
            self._load()

    # --- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        assert self.path is not None and self.journal is not None
        for stale in self.path.parent.glob(f".{self.path.name}.*"):  # temporaries of a crashed write
            stale.unlink(missing_ok=True)
        digest = None
        if self.path.exists():
            raw = self.path.read_bytes()
            self._snapshot_bytes = len(raw)
            digest = hashlib.sha256(raw).hexdigest()
            if raw.strip():
                try:
                    data = json.loads(raw)
                except ValueError as error:
                    raise StoreCorrupt(f"{self.path}: the snapshot is not valid JSON ({error})") from None
                if not _is_tables(data):
                    raise StoreCorrupt(f"{self.path}: the snapshot is not an object of tables")
                self._data = data
        if self.journal.exists():
            self._replay(digest)

    def _replay(self, digest: str | None) -> None:
        """Apply the journal if it follows this snapshot; drop a torn last line."""
        assert self.journal is not None
        raw = self.journal.read_bytes()
        complete = raw[: raw.rfind(b"\n") + 1]  # an unterminated tail is a torn append
        lines = complete.splitlines()
        if not lines:
            return
        header = _parse(lines[0])
        if not (isinstance(header, dict) and header.get("journal") == JOURNAL_VERSION):
            raise StoreCorrupt(f"{self.journal}: line 1 is not a journal header (version {JOURNAL_VERSION})")
        if digest is None:
            raise StoreCorrupt(f"{self.path} is missing: {self.journal} holds only the changes made after it")
        if header.get("snapshot") != digest:
            # Written before the current snapshot, which a compaction wrote from the same data.
            return
        for number, line in enumerate(lines[1:], start=2):
            record = _parse(line)
            changes = record.get("changes") if isinstance(record, dict) else None
            if not _is_tables(changes):
                raise StoreCorrupt(
                    f"{self.journal}: line {number} is not a journal record; it was acknowledged once, "
                    "so the store refuses to load without it (restore the file, or move it aside to "
                    "fall back to the snapshot)"
                )
            for name, docs in cast(Data, changes).items():
                table = self._data.setdefault(name, {})
                for doc_id, doc in docs.items():
                    if doc is None:
                        table.pop(doc_id, None)
                    else:
                        table[doc_id] = doc
        if len(complete) < len(raw):
            os.truncate(self.journal, len(complete))  # the next append must start on a fresh line
        self._journal_bytes = len(complete)
        self._journal_ok = True

    # --- the Storage interface -----------------------------------------------------------

    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        """Replace every table (TinyDB's drop_table(s), Store.restore): persisted as a new snapshot."""
        self._data = data
        self._replaced = True
        if not self.deferred:
            self.flush()

    def changed(self, table: str, doc_ids: Iterable[str]) -> None:
        """Note documents of ``table`` that an update touched (the table itself may be new)."""
        self._changes.setdefault(table, set()).update(doc_ids)
        if not self.deferred:
            self.flush()

    def close(self) -> None:
        self.flush()

    # --- persisting ----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._replaced or bool(self._changes)

    def flush(self) -> None:
        """Make the changes since the last flush durable: one journal line, or a new snapshot."""
        if not self.dirty:
            return
        if self.path is None:
            self._changes.clear()
            self._replaced = False
            return
        if self._replaced or not self._journal_ok:
            self._compact()
            self._replaced = False
        else:
            self._append()
        self._changes.clear()  # durable now: a failed compaction below must not journal them twice
        self.flushes += 1
        if self._journal_bytes > max(self._snapshot_bytes, COMPACT_MIN_BYTES):
            self._compact()

    def _append(self) -> None:
        assert self.journal is not None
        changes = {
            name: {doc_id: self._data.get(name, {}).get(doc_id) for doc_id in sorted(ids)}
            for name, ids in self._changes.items()
        }
        line = (json.dumps({"changes": changes}, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND)
        try:
            unwritten = memoryview(line)
            while unwritten:  # a write may be short (a signal, a nearly full disk)
                unwritten = unwritten[os.write(fd, unwritten) :]
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, self._journal_bytes)  # no half record before the next one
            raise
        finally:
            os.close(fd)
        self._journal_bytes += len(line)

    def _compact(self) -> None:
        """Write the whole data as the new snapshot, then start a journal that follows it."""
        assert self.path is not None and self.journal is not None
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        replace_durably(self.path, payload)
        header = {"journal": JOURNAL_VERSION, "snapshot": hashlib.sha256(payload).hexdigest()}
        self._journal_ok = False  # until the new journal is in place
        self._snapshot_bytes = len(payload)
        line = (json.dumps(header) + "\n").encode()
        replace_durably(self.journal, line)
        self._journal_bytes = len(line)
        self._journal_ok = True
        self.compactions += 1


def _parse(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def _is_tables(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(table, dict) for table in value.values())


def replace_durably(path: Path, payload: bytes) -> None:
    """Replace ``path`` by ``payload`` atomically: temporary file, fsync, rename, fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


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
    """A thread-safe TinyDB in memory (``Store()``) or in a JSON snapshot and its journal (``Store(path)``).

    Opening a file store raises :class:`StoreCorrupt` if its files were damaged.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.path = Path(path) if path is not None else None
        self._db = LabTinyDB(storage=JournaledStorage, path=path)
        self._storage: JournaledStorage = self._db.storage  # type: ignore[assignment]
        self.generation = 0  # bumped when every table is replaced at once

    @property
    def is_new(self) -> bool:
        """True when nothing has ever been stored (a fresh data folder)."""
        with self.lock:
            return not self._storage.read()

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
