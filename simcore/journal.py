"""The store's persistence: a snapshot file plus an append-only journal, in memory otherwise.

A file store keeps a snapshot (``data.json``) and a journal beside it
(``data.json.journal``). Each outermost transaction that changed something
appends one line holding the documents it changed or deleted, written to the
kernel before the transaction returns (so a write a server acknowledged
survives the process being killed) and fsynced moments later by a background
thread, one fsync for every write since the last (simcore.syncer); a write
costs what it changed, not the size of the whole store.

When the journal outgrows the snapshot it is compacted: a new snapshot is
written atomically (temporary file, fsync, rename, fsync of the folder) and the
journal starts again. Its first line names the snapshot it follows (a hash), so
a crash between the two renames leaves a journal that loading recognises as
already folded in. Loading reads the snapshot and replays the journal; a torn
last line (a crash mid-append, never acknowledged) is dropped, damage anywhere
else is a :class:`StoreCorrupt` error rather than silently lost data. Without a
path the storage never touches the disk, for tests and scenario runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from tinydb.storages import Storage

from simcore.syncer import Syncer

Data = dict[str, dict[str, Any]]

JOURNAL_SUFFIX = ".journal"
JOURNAL_VERSION = 1
# The journal is compacted once it is larger than both the snapshot and this many bytes: the
# floor keeps a small store from rewriting its snapshot every few writes, the snapshot's size
# keeps the bytes written per change O(1) amortised and the replay at load at most a snapshot's worth.
COMPACT_MIN_BYTES = 1 << 20


class StoreCorrupt(Exception):
    """A data file cannot be read back as it was written; loading it would lose data silently."""


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
        # Counted per table for Store.cached: ``replacements`` when every table was replaced at once.
        self.replacements = 0
        self.table_writes: dict[str, int] = {}
        self._journal_fd: int | None = None  # open for appending while the journal follows the snapshot
        self._syncer: Syncer | None = None
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
        self.replacements += 1
        if not self.deferred:
            self.flush()

    def changed(self, table: str, doc_ids: Iterable[str]) -> None:
        """Note documents of ``table`` that an update touched (the table itself may be new)."""
        self._changes.setdefault(table, set()).update(doc_ids)
        self.table_writes[table] = self.table_writes.get(table, 0) + 1
        if not self.deferred:
            self.flush()

    def close(self) -> None:
        self.flush()
        self._close_journal()
        if self._syncer is not None:
            self._syncer.close()
            self._syncer = None

    def _close_journal(self) -> None:
        """Every append made durable, then the descriptor closed (before the journal is replaced)."""
        if self._journal_fd is not None:
            assert self._syncer is not None
            self._syncer.sync()
            os.close(self._journal_fd)
            self._journal_fd = None

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
        if self._journal_fd is None:
            self._journal_fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND)
            self._syncer = self._syncer or Syncer(self.path.name if self.path else "journal")
        fd = self._journal_fd
        try:
            unwritten = memoryview(line)
            while unwritten:  # a write may be short (a signal, a nearly full disk)
                unwritten = unwritten[os.write(fd, unwritten) :]
        except BaseException:
            os.ftruncate(fd, self._journal_bytes)  # no half record before the next one
            raise
        self._journal_bytes += len(line)
        assert self._syncer is not None
        self._syncer.written(fd)

    def _compact(self) -> None:
        """Write the whole data as the new snapshot, then start a journal that follows it."""
        assert self.path is not None and self.journal is not None
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        self._close_journal()  # the journal being replaced: its appends synced, its descriptor closed
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


def remove_store_files(path: Path) -> None:
    """Delete a file store for good: its snapshot and its journal (a journal left alone would
    refuse to open as a new store of the same name: its snapshot is missing)."""
    path.with_name(path.name + JOURNAL_SUFFIX).unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    _fsync_dir(path.parent)


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


