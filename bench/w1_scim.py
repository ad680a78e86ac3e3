"""W1: SCIM throughput of cybozu_sim as a user starts it (``lab up``, the durable file store)
against python-scim's scim2-server and a bare Flask ceiling, and the HTTP servers compared.

Every target is a process of its own (bench.w1_servers), driven by one light client: stdlib
``http.client`` with keep-alive, one connection per target (a heavy client hides the servers'
cost: the bare-Flask ceiling measured about 1,100 req/s through httpx and 2,600 through
http.client on this machine, issue 18). For each target: N creates, N ``userName eq`` lookups,
N PUT, N PATCH, the targets taking turns in chunks of 50 requests, so load from elsewhere falls
on every target alike. Prints requests per second and the median latency of each phase, then
the ratios the targets are set on, each with its target and met / not met.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlencode

from bench import w1_servers
from bench.progress import progress
from bench.verdicts import Verdict, report

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PHASES = ("create", "lookup", "put", "patch")
# name -> (bench.w1_targets app, server); "lab up" is the real command (bench.w1_servers.lab_up).
TARGETS: dict[str, tuple[str, str]] = {
    "lab up": ("", ""),
    "cybozu_sim memory": ("cybozu_sim", "waitress"),
    "scim2-server": ("scim2-server", "waitress"),
    "flask waitress": ("flask", "waitress"),
    "flask granian": ("flask", "granian"),
    "flask gunicorn": ("flask", "gunicorn"),
    "cybozu_sim granian": ("cybozu_sim", "granian"),
    "cybozu_sim gunicorn": ("cybozu_sim", "gunicorn"),
}
LAB_UP_VS_SCIM2 = 2.5  # issue 18: cybozu_sim as lab up serves it, against scim2-server, every phase
LAB_UP_VS_CEILING = 0.5  # ... and against the bare-Flask ceiling on the same server and client
LAB_UP_READY_SECONDS = 1.0


def user_body(n: int, display: str = "Bench User") -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": f"user{n:06d}@example.com",
        "name": {"givenName": "Bench", "familyName": f"User{n}"},
        "emails": [{"primary": True, "value": f"user{n:06d}@example.com", "type": "work"}],
        "displayName": display,
        "locale": "en-US",
        "externalId": f"00u{n:08d}",
        "groups": [],
        "password": "Random-Password-1",
        "active": True,
    }


class Run:
    """One target being measured: its process, its connection, the ids it created and its timings."""

    def __init__(self, name: str) -> None:
        app, server = TARGETS[name]
        self.served = w1_servers.lab_up() if name == "lab up" else w1_servers.start(app, server)
        self.name = name
        self.connection = http.client.HTTPConnection("127.0.0.1", self.served.port, timeout=60)
        self.headers = {**self.served.headers, "Content-Type": "application/scim+json"}
        self.ids: list[str] = []
        self.elapsed: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.latencies: dict[str, list[float]] = {phase: [] for phase in PHASES}

    def send(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, self.served.base + path, payload, self.headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def request(self, phase: str, i: int) -> tuple[int, bytes]:
        if phase == "create":
            return self.send("POST", "/Users", user_body(i))
        if phase == "lookup":
            query = {"filter": f'userName eq "user{i:06d}@example.com"', "startIndex": 1, "count": 100}
            return self.send("GET", "/Users?" + urlencode(query))
        if phase == "put":
            return self.send("PUT", f"/Users/{self.ids[i]}", user_body(i, "Renamed"))
        patch = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}
        return self.send("PATCH", f"/Users/{self.ids[i]}", patch)

    def chunk(self, phase: str, first: int, last: int) -> None:
        started = time.perf_counter()
        for i in range(first, last):
            t0 = time.perf_counter()
            status, body = self.request(phase, i)
            self.latencies[phase].append(time.perf_counter() - t0)
            if status not in EXPECTED[phase]:
                raise SystemExit(f"{self.name} {phase} #{i}: HTTP {status} {body[:300]!r}")
            if phase == "create":
                self.ids.append(json.loads(body)["id"])
        self.elapsed[phase] += time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()
        self.served.stop()


EXPECTED = {"create": (201,), "lookup": (200,), "put": (200,), "patch": (200, 204)}


def run_targets(
    names: list[str], n: int, chunk: int = 50
) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, float]]:
    """Return ({target: {phase: (requests per second, median latency in ms)}}, {target: seconds
    from its command to its endpoint answering}).

    The targets take turns in chunks of ``chunk`` requests within each phase, so a
    burst of load from elsewhere on the machine hits every target alike instead of
    whichever happened to be running (the machine is shared).
    """
    runs: list[Run] = []
    try:
        for name in names:
            runs.append(Run(name))
        for phase in PHASES:
            for first in range(0, n, chunk):
                for run in runs:
                    run.chunk(phase, first, min(first + chunk, n))
                progress(phase, min(first + chunk, n), n)
    finally:
        for run in runs:
            run.close()
    table = {
        run.name: {
            phase: (n / run.elapsed[phase], statistics.median(run.latencies[phase]) * 1000)
            for phase in PHASES
        }
        for run in runs
    }
    return table, {run.name: run.served.ready_seconds for run in runs}


def verdicts(table: dict[str, dict[str, tuple[float, float]]], ready: dict[str, float]) -> list[Verdict]:
    """The issue's W1 targets, from one run's table."""
    found = []

    def ratios(top: str, bottom: str, floor: float, figure: str) -> None:
        if top in table and bottom in table:
            each = {p: table[top][p][0] / table[bottom][p][0] for p in PHASES}
            value = " ".join(f"{p} {r:.2f}x" for p, r in each.items())
            found.append(Verdict(figure, value, f">= {floor}x each", min(each.values()) >= floor))

    ratios("lab up", "scim2-server", LAB_UP_VS_SCIM2, "W1 lab up / scim2-server")
    ratios("lab up", "flask waitress", LAB_UP_VS_CEILING, "W1 lab up / bare Flask (same server)")
    if "lab up" in ready:
        seconds = ready["lab up"]
        found.append(
            Verdict(
                "lab up ready (both consoles)",
                f"{seconds:.2f} s",
                f"< {LAB_UP_READY_SECONDS} s",
                seconds < LAB_UP_READY_SECONDS,
            )
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.w1_scim", description=__doc__)
    parser.add_argument("-n", type=int, default=2000, help="requests per phase (default 2000)")
    parser.add_argument("--targets", nargs="*", default=list(TARGETS), choices=list(TARGETS))
    args = parser.parse_args(argv)
    report(measure(args.n, args.targets))
    return 0


def measure(n: int = 2000, names: list[str] | None = None) -> list[Verdict]:
    """Run W1, print its table, return its verdicts."""
    print(f"W1 SCIM throughput, n={n} per phase, Python {platform.python_version()}, {platform.machine()}")
    table, ready = run_targets(names or list(TARGETS), n)
    print(
        f"{'target':<22}"
        + "".join(f"{p + ' req/s':>14}{'median ms':>11}" for p in PHASES)
        + f"{'ready s':>9}"
    )
    for name, results in table.items():
        cells = "".join(f"{results[p][0]:>14.0f}{results[p][1]:>11.2f}" for p in PHASES)
        print(f"{name:<22}{cells}{ready[name]:>9.2f}")
    return verdicts(table, ready)


if __name__ == "__main__":
    sys.exit(main())
