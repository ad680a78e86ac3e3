"""kill -9 in the middle of bulk SCIM writes: every write answered 201 survives the restart.

An answered write is in the kernel (the journal's write) before the answer; its fsync comes
moments later from a background thread (simcore.syncer), so a killed process loses nothing
it acknowledged. A power cut or a kernel crash could lose the last few milliseconds of writes;
no test here can cut the power (docs/lab.md, "Storage").

cybozu_sim runs in a subprocess (tests/reliability/crash_server.py) on a file
store in tmp_path; clients create users over HTTP and note each 201; the test
kills the process with SIGKILL while requests are in flight, starts a new one
on the same files and reads the users back. Users whose create was never
answered may or may not be there; none may be there that nobody asked for.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest

from simcore.control import LAB_KEY_HEADER
from simcore.store import Store
from tests.reliability.conftest import run_workers, scim_user

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LAB_KEY = "crash-test-lab-key"


class Server:
    """One crash_server process."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_server", str(data_dir), LAB_KEY],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        assert line, f"the server did not start (exit status {self.process.wait()})"
        self.url: str = json.loads(line)["url"]

    def lab(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx2.request(
            method, f"{self.url}/_lab{path}", json=body, headers={LAB_KEY_HEADER: LAB_KEY}, timeout=30
        )
        assert response.status_code < 300, response.text
        return response.json()

    def user_names(self) -> list[str]:
        return [user["login"] for user in self.lab("GET", "/tenants/acme/users")]

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process.stdout.close()  # type: ignore[union-attr]


@contextmanager
def server(data_dir: Path, **env: str) -> Iterator[Server]:
    started = Server(data_dir, **env)
    try:
        yield started
    finally:
        started.kill()


class Writer:
    """Clients creating users as fast as they can; remembers what was asked and what was acknowledged."""

    def __init__(self, url: str, token: str, prefix: str) -> None:
        self.url, self.token, self.prefix = url, token, prefix
        self.asked: set[str] = set()
        self.acknowledged: set[str] = set()
        self.lock = threading.Lock()
        self.enough = threading.Event()

    def run(self, clients: int, stop_after: int | None = None, limit: int = 5000) -> None:
        """Write until the server dies (or ``limit`` writes); set ``enough`` after ``stop_after`` 201s."""

        def work(worker: int) -> None:
            headers = {"Authorization": f"Bearer {self.token}"}
            with httpx2.Client(base_url=f"{self.url}/acme/scim/v2", headers=headers, timeout=30) as client:
                for n in range(limit):
                    name = f"{self.prefix}-{worker}-{n}"
                    with self.lock:
                        self.asked.add(name)
                    try:
                        response = client.post("/Users", json=scim_user(name))
                    except httpx2.TransportError:
                        return  # the server was killed
                    assert response.status_code == 201, response.text
                    with self.lock:
                        self.acknowledged.add(name)
                        if stop_after is not None and len(self.acknowledged) >= stop_after:
                            self.enough.set()

        run_workers(clients, work)


def setup_tenant(running: Server) -> str:
    running.lab(
        "POST",
        "/tenants",
        {"subdomain": "acme", "licenses": {"kintone": 100000}, "propagate_provisioning": True},
    )
    return running.lab("POST", "/tenants/acme/tokens", {"notes": "crash test"})["token"]  # type: ignore[no-any-return]


def write_then_kill(running: Server, token: str, prefix: str, after: int) -> Writer:
    """Three clients write; once ``after`` creates were acknowledged, SIGKILL the server mid-stream."""
    writer = Writer(running.url, token, prefix)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            writer.run(3, after)
        except BaseException as error:  # noqa: BLE001 - handed back to the test thread
            errors.append(error)
            writer.enough.set()

    background = threading.Thread(target=write, daemon=True)
    background.start()
    assert writer.enough.wait(120), "the server stopped acknowledging writes"
    running.kill()
    background.join(60)
    assert not background.is_alive() and not errors, errors
    return writer


def test_acknowledged_creates_survive_kill_9(tmp_path: Path) -> None:
    # Small journals: compactions happen all along the stream, so kills also land near them.
    env = {"CRASH_COMPACT_MIN_BYTES": "20000"}
    writers = []
    with server(tmp_path, **env) as first:
        token = setup_tenant(first)
        writers.append(write_then_kill(first, token, "a", after=150))
    for round_, after in (("b", 250),):
        with server(tmp_path, **env) as again:
            present = set(again.user_names())
            for writer in writers:
                assert writer.acknowledged <= present
            writers.append(write_then_kill(again, token, round_, after))
    with server(tmp_path) as last:
        names = last.user_names()
    present = set(names)
    asked = set().union(*(w.asked for w in writers))
    acknowledged = set().union(*(w.acknowledged for w in writers))
    assert acknowledged <= present
    assert present - {"Administrator"} <= asked and len(names) == len(present)  # nothing invented or doubled
    # The files also load in this process: the same users, straight from the snapshot and journal.
    on_disk = Store(tmp_path / "cybozu.json").snapshot()
    stored = {doc["resource"]["userName"] for doc in on_disk["users"].values()}
    assert stored == present


def test_a_kill_between_a_compactions_two_renames_loses_nothing(tmp_path: Path) -> None:
    """The new snapshot is in place, the journal it replaces is not: the old journal must be ignored."""
    with server(tmp_path, CRASH_COMPACT_MIN_BYTES="10000") as first:
        token = setup_tenant(first)
    with server(tmp_path, CRASH_COMPACT_MIN_BYTES="10000", CRASH_IN_COMPACTION="1") as dying:
        writer = Writer(dying.url, token, "d")
        writer.run(2)  # until the server kills itself in its first compaction
        assert dying.process.wait(timeout=30) == -signal.SIGKILL
    assert writer.acknowledged
    with server(tmp_path) as again:
        present = set(again.user_names())
    assert writer.acknowledged <= present <= writer.acknowledged | writer.asked | {"Administrator"}
