"""The org's job queue: provisioning work that Okta runs in the background, not in the request.

Okta queues provisioning: an assignment returns at once, and its push happens
a moment later (Okta's SCIM CRUD test waits 20-40 s between steps for it,
okta/okta-developer-docs ``Okta-SCIM-20-CRUD-Test.json``). The queue is part of
the store (collection ``push_jobs``), so jobs queued when the process stops are
run when it starts again; one job per key (an app user): asking again while a
job waits merges into it, asking while it runs makes it run once more after.

A bounded pool of worker threads (``workers``) takes jobs oldest first. Each
job has an ``order`` from one counter, and everything a job records (System Log
events, wire log entries, tasks) carries a :meth:`JobQueue.stamp` made of that
order, so readers can list what concurrent workers did in the order the jobs
were asked for: replays stay comparable whatever the threads' timing. Workers
start on demand and stop after being idle for ``idle_exit`` seconds.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from simcore.store import Collection, Store

TABLE = "push_jobs"
# Stamps order a job's records within the job: (order * SPAN + n) fits an int and sorts as a pair.
SPAN = 100_000

log = logging.getLogger(__name__)

Runner = Callable[[dict[str, Any]], None]


def _first_order(store: Store) -> int:
    """A file store's orders start at the wall clock's milliseconds, so they keep growing across
    restarts: a record made after a restart sorts after those made before (tasks keep their
    stamp). A memory store has no restart: its orders start at 1, the same on every run."""
    return int(time.time() * 1000) if store.path is not None else 1


class JobQueue:
    def __init__(self, store: Store, *, workers: int = 4, idle_exit: float = 2.0) -> None:
        self.store = store
        self.jobs: Collection = store.collection(TABLE, key="key")
        self.workers = max(1, workers)
        self.idle_exit = idle_exit
        self.runner: Runner | None = None
        self._cond = threading.Condition()
        self._heap: list[tuple[int, str]] = []
        self._pending: dict[str, int] = {}  # key -> order of its stored job
        self._running: set[str] = set()
        self._threads = 0
        self._orders = itertools.count(_first_order(store))
        self._local = threading.local()
        self.reload()

    # -- what callers do ------------------------------------------------------------------

    def enqueue(self, key: str, job: dict[str, Any], merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> None:
        """Store a job for ``key`` (``merge(old, new)`` combines it with one that waits) and wake a worker.

        May be called inside the caller's store transaction: the job is stored with the
        caller's changes, and a worker that finds it gone (rolled back) skips it."""
        with self.store.transaction():
            existing = self.jobs.get(key)
            if existing is None:
                stored = {**job, "key": key, "order": next(self._orders), "version": 1}
            else:
                stored = {**merge(existing, job), "key": key, "order": existing["order"]}
                stored["version"] = existing["version"] + 1
            self.jobs.put(stored)
        with self._cond:
            if self._pending.get(key) != stored["order"]:
                self._pending[key] = stored["order"]
                heapq.heappush(self._heap, (stored["order"], key))
            self._start_workers()
            self._cond.notify()

    def pending(self, key: str) -> bool:
        """Whether a job for ``key`` waits or runs (the console shows such app users as pending)."""
        with self._cond:
            return key in self._pending or key in self._running

    def pending_keys(self) -> set[str]:
        with self._cond:
            return set(self._pending) | self._running

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job waits or runs (the lab's settle); False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._running, timeout)

    def stamp(self) -> int:
        """An ordering key for a record made now: inside a job, after the job's earlier records
        and before any later job's; outside, after every job asked for so far."""
        order = getattr(self._local, "order", None)
        if order is None:
            return next(self._orders) * SPAN
        self._local.seq += 1
        return int(order * SPAN + min(self._local.seq, SPAN - 1))

    def reload(self) -> None:
        """Rebuild the in-memory view from the store (at start, and after a reset or restore)."""
        with self.store.transaction():
            stored = {job["key"]: job["order"] for job in self.jobs.all()}
        with self._cond:
            self._pending = stored
            self._heap = [(order, key) for key, order in stored.items()]
            heapq.heapify(self._heap)
            self._orders = itertools.count(max([*stored.values(), next(self._orders)]) + 1)
            if stored:
                self._start_workers()
                self._cond.notify_all()

    # -- the workers ---------------------------------------------------------------------

    def _start_workers(self) -> None:
        """Called holding the condition: enough workers for the waiting jobs, at most ``workers``."""
        if self.runner is None:
            return
        while self._threads < min(self.workers, len(self._pending)):
            self._threads += 1
            threading.Thread(target=self._work, name="okta-push", daemon=True).start()

    def _take(self) -> tuple[int, str] | None:
        """Called holding the condition: the oldest waiting job not already running."""
        deferred = []
        taken = None
        while self._heap:
            order, key = heapq.heappop(self._heap)
            if self._pending.get(key) != order:
                continue  # stale: done, or re-queued under another order
            if key in self._running:
                deferred.append((order, key))
                continue
            taken = (order, key)
            break
        for item in deferred:
            heapq.heappush(self._heap, item)
        return taken

    def _work(self) -> None:
        while True:
            with self._cond:
                taken = self._take()
                while taken is None:
                    if not self._cond.wait(self.idle_exit) and not self._pending:
                        self._threads -= 1
                        return
                    taken = self._take()
                order, key = taken
                self._running.add(key)
            self._run(order, key)

    def _run(self, order: int, key: str) -> None:
        with self.store.transaction():
            job = self.jobs.get(key)
        self._local.order, self._local.seq = order, 0
        try:
            if job is not None and self.runner is not None:
                self.runner(job)
        except Exception:  # a job's failure is the job's: the worker goes on with the next
            log.exception("push job %s failed", key)
        finally:
            self._local.order = None
            with self.store.transaction():
                current = self.jobs.get(key)
                finished = current is None or job is None or current["version"] == job["version"]
                if finished and current is not None:
                    self.jobs.delete(key)
            with self._cond:
                self._running.discard(key)
                if finished:
                    if self._pending.get(key) == order:
                        del self._pending[key]
                elif current is not None:
                    heapq.heappush(self._heap, (current["order"], key))
                self._cond.notify_all()
