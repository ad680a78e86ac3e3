"""Background fsync of the store's journal: an acknowledged write survives the process being
killed (kill -9) because it is written to the kernel before the answer, and reaches the disk
a moment later, every write since the last sync in one fsync (group commit).

Waiting for fsync before every answer cost a durable store 0.7-1.3 ms a write on this machine
(bench/README.md, W1 "lab up"), as much as the rest of a SCIM request. What a power cut or a
kernel crash (not a process crash) may lose is the last few milliseconds of writes, as with
PostgreSQL's ``synchronous_commit = off`` or Redis's ``appendfsync everysec``; docs/lab.md
("Storage") says so.
"""

from __future__ import annotations

import os
import threading


class Syncer:
    """fsyncs a file descriptor in a thread of its own whenever it was written to since its last
    sync. The owner calls :meth:`written` after each write and :meth:`sync` (synchronous) before
    it closes or replaces the file."""

    def __init__(self, name: str) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._fd: int | None = None
        self._pending = False
        self._closed = False
        self.syncs = 0  # fsyncs done: one may cover many writes
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"fsync-{name}")
        self._thread.start()

    def written(self, fd: int) -> None:
        """``fd`` has new data to make durable."""
        with self._lock:
            self._fd, self._pending = fd, True
            self._wake.notify()

    def sync(self) -> None:
        """Make everything written so far durable before returning; the descriptor is forgotten
        (the owner may close it now) until the next :meth:`written`."""
        with self._lock:
            fd, self._fd, self._pending = self._fd, None, False
            if fd is not None:
                os.fsync(fd)
                self.syncs += 1

    def close(self) -> None:
        """A last sync, then the thread ends; the owner closes its descriptor afterwards."""
        self.sync()
        with self._lock:
            self._closed, self._fd = True, None
            self._wake.notify()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._pending and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                # A duplicate, so that the owner may close or replace its own while this one syncs
                # outside the lock (writes go on meanwhile: they are the next sync's).
                fd, self._pending = os.dup(self._fd), False  # type: ignore[arg-type]
            try:
                os.fsync(fd)
            except OSError:
                pass  # the next sync() of the owner (close, compaction) reports a failing disk
            finally:
                os.close(fd)
            with self._lock:
                self.syncs += 1
