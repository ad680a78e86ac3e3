"""The org's job queue (okta_sim.jobs): stored, merged per key, oldest first, resumed, ordered."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from okta_sim.jobs import SPAN, JobQueue
from simcore.store import Store


def merge(waiting: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {**new, "n": waiting["n"] + new["n"]}


def started(queue: JobQueue) -> list[dict[str, Any]]:
    """Give the queue a runner that records each job, and return the record."""
    ran: list[dict[str, Any]] = []
    queue.runner = ran.append
    queue.reload()
    return ran


def test_jobs_run_oldest_first_and_a_waiting_job_merges() -> None:
    queue = JobQueue(Store(), workers=1)
    queue.workers = 0  # hold the workers back until every job is in
    ran = started(queue)
    for key in ("a", "b", "a", "c"):
        queue.enqueue(key, {"n": 1}, merge)
    assert queue.pending_keys() == {"a", "b", "c"} and len(queue.jobs) == 3
    queue.workers = 1
    queue.reload()
    assert queue.wait_idle(10)
    assert [(job["key"], job["n"]) for job in ran] == [("a", 2), ("b", 1), ("c", 1)]
    assert len(queue.jobs) == 0 and not queue.pending("a")


def test_a_job_asked_for_while_it_runs_runs_once_more() -> None:
    queue = JobQueue(Store(), workers=2)
    entered, release = threading.Event(), threading.Event()
    ran: list[int] = []

    def runner(job: dict[str, Any]) -> None:
        ran.append(job["n"])
        if len(ran) == 1:
            entered.set()
            release.wait(10)

    queue.runner = runner
    queue.enqueue("a", {"n": 1}, merge)
    assert entered.wait(10)
    queue.enqueue("a", {"n": 5}, merge)  # while the first run is on the wire
    assert not queue.wait_idle(0.05)
    release.set()
    assert queue.wait_idle(10)
    # Never two runs of one key at once, and the later ask is not lost (merged with the one that ran).
    assert ran == [1, 6]


def test_a_failing_job_does_not_stop_the_worker() -> None:
    queue = JobQueue(Store(), workers=1)
    ran: list[str] = []

    def runner(job: dict[str, Any]) -> None:
        ran.append(job["key"])
        if job["key"] == "bad":
            raise RuntimeError("boom")

    queue.runner = runner
    queue.enqueue("bad", {"n": 1}, merge)
    queue.enqueue("good", {"n": 1}, merge)
    assert queue.wait_idle(10) and ran == ["bad", "good"] and len(queue.jobs) == 0


def test_jobs_queued_when_the_process_stopped_run_when_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "okta.json"
    first = JobQueue(Store(path), workers=1)
    first.workers = 0
    started(first)
    first.enqueue("a", {"n": 1}, merge)
    first.enqueue("b", {"n": 1}, merge)
    # The process stops here: the jobs are in the journal, nobody ran them.
    again = JobQueue(Store(path), workers=1)
    assert again.pending_keys() == {"a", "b"}
    ran = started(again)
    assert again.wait_idle(10) and [job["key"] for job in ran] == ["a", "b"]


def test_stamps_order_a_jobs_records_by_the_job_not_by_the_worker() -> None:
    queue = JobQueue(Store(), workers=2)
    stamps: dict[str, list[int]] = {}
    go = threading.Barrier(2)

    def runner(job: dict[str, Any]) -> None:
        go.wait(10)  # both jobs run at once
        stamps[job["key"]] = [queue.stamp(), queue.stamp()]

    queue.runner = runner
    before = queue.stamp()
    queue.enqueue("first", {"n": 1}, merge)
    queue.enqueue("second", {"n": 1}, merge)
    assert queue.wait_idle(10)
    after = queue.stamp()
    first, second = stamps["first"], stamps["second"]
    assert before < first[0] < first[1] < second[0] < second[1] < after
    assert second[0] - first[0] == SPAN  # one order apart, whatever the threads' timing


def test_a_memory_stores_stamps_are_the_same_on_every_run(tmp_path: Path) -> None:
    """A scenario's wire log carries the stamps: a lab in memory starts them at the same number;
    a file store's start from the wall clock, to keep growing across restarts."""
    first = JobQueue(Store()).stamp()
    assert JobQueue(Store()).stamp() == first < 10 * SPAN
    assert JobQueue(Store(tmp_path / "okta.json")).stamp() > 10**12 * SPAN
