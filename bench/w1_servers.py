"""Start W1's targets: a bench.w1_targets app under waitress, granian or gunicorn, or a real
``lab up`` (the durable file store, as a user starts the lab), each a process of its own.

Every server gets what a lab server needs: HTTP/1.1 keep-alive, a bounded pool of worker
threads (16, lab.server.THREADS), one worker process (the lab is one process; its clocks and
lab key are shared in memory), and a clean stop on SIGTERM.
"""

from __future__ import annotations

import compileall
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.w1_targets import Post, tenant_token
from lab.server import THREADS

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ("waitress", "granian", "gunicorn")
READY_TIMEOUT = 60.0
# The lab's packages, as pyproject.toml installs them.
PACKAGES = [
    name.rstrip("*")
    for name in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"][
        "find"
    ]["include"]
]


@dataclass
class Served:
    """A target answering on ``port``: its SCIM base path, headers and process."""

    name: str
    port: int
    base: str
    headers: dict[str, str]
    process: subprocess.Popen[bytes]
    ready_seconds: float = 0.0  # from the command's start to its endpoints answering
    folder: tempfile.TemporaryDirectory[str] = field(default_factory=tempfile.TemporaryDirectory)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.folder.cleanup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def command(server: str, port: int) -> list[str]:
    """How each server is started on one worker process with ``THREADS`` threads."""
    if server == "waitress":
        return [sys.executable, "-m", "bench.w1_targets"]
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--blocking-threads", str(THREADS),
            "--no-ws", "--log-level", "warning", "bench.w1_targets:app_from_env",
        ]  # fmt: skip
    if server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread",
            "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "bench.w1_targets:app_from_env()",
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}: one of {', '.join(SERVERS)}")


def start(target: str, server: str) -> Served:
    """``target`` (a bench.w1_targets name) served by ``server``, once it answers."""
    port, folder = free_port(), tempfile.TemporaryDirectory()
    info = Path(folder.name) / "info.json"
    env = {**os.environ, "W1_TARGET": target, "W1_INFO": str(info), "W1_PORT": str(port)}
    started = time.perf_counter()
    process = subprocess.Popen(command(server, port), cwd=ROOT, env=env)
    deadline = started + READY_TIMEOUT
    while not (info.exists() and answers(port)):
        if process.poll() is not None or time.perf_counter() > deadline:
            process.kill()
            raise RuntimeError(f"W1: {target} on {server} did not start (exit status {process.poll()})")
        time.sleep(0.01)
    described = json.loads(info.read_text())
    served = Served(f"{target} ({server})", port, described["base"], described["headers"], process)
    served.folder, served.ready_seconds = folder, time.perf_counter() - started
    return served


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def lab_up() -> Served:
    """``lab up`` as a user starts it (file stores, demo data, the training server) on free ports;
    ready when lab.json is written and both consoles answer. cybozu_sim's bench tenant and token
    are made through its lab API. The lab's modules are compiled first, as ``make install`` and
    any earlier run leave them."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    folder = tempfile.TemporaryDirectory()
    data = Path(folder.name)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "lab.cli", "up", "--data-dir", str(data)]
        + ["--okta-port", "0", "--cybozu-port", "0", "--lab-port", "0"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    runtime = data / "lab.json"
    deadline = started + READY_TIMEOUT
    while not (runtime.exists() and all(page_answers(u) for u in consoles(runtime))):
        if process.poll() is not None or time.perf_counter() > deadline:
            process.kill()
            raise RuntimeError(f"W1: lab up did not start (exit status {process.poll()})")
        time.sleep(0.01)
    ready = time.perf_counter() - started
    lab = json.loads(runtime.read_text())
    token = tenant_token(posting_to(lab["cybozu_url"]), lab["lab_key"])
    port = int(lab["cybozu_url"].rsplit(":", 1)[1])
    served = Served(
        "cybozu_sim (lab up)", port, "/bench/scim/v2", {"Authorization": f"Bearer {token}"}, process
    )
    served.folder, served.ready_seconds = folder, ready
    return served


def consoles(runtime: Path) -> list[str]:
    try:
        lab = json.loads(runtime.read_text())
    except ValueError:  # written atomically, but read while being replaced on a slow disk
        return []
    return [lab["okta_url"] + "/", lab["cybozu_url"] + "/"] if "okta_url" in lab else []


def page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def posting_to(base: str) -> Post:
    def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        call = urllib.request.Request(
            base + path,
            json.dumps(body).encode(),
            {**headers, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(call, timeout=30) as response:
            return json.loads(response.read())

    return post
