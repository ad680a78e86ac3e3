"""W1: SCIM throughput of cybozu_sim against python-scim's scim2-server and a bare Flask ceiling.

One client with keep-alive per target; every target runs in the same server
(lab.server.ServerThread, waitress) on 127.0.0.1. For each target: N
creates, N ``userName eq`` lookups, N PUT, N PATCH, the targets taking turns
in chunks of 50 requests. Prints requests per second, the median latency of
each phase, and cybozu_sim's ratio to scim2-server.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import httpx2
from flask import Flask, jsonify, request
from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_provider

import cybozu_sim.app
from bench.progress import progress
from lab.server import ServerThread
from simcore.control import LAB_KEY_HEADER

TOKEN = "bench-token"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PHASES = ("create", "lookup", "put", "patch")


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


def cybozu_target() -> tuple[Any, Callable[[str], str], dict[str, str]]:
    app = cybozu_sim.app.create_app()
    lab = app.test_client()
    key = {LAB_KEY_HEADER: app.config["LAB_KEY"]}
    lab.post(
        "/_lab/tenants",
        json={"subdomain": "bench", "licenses": {"kintone": 100000}, "propagate_provisioning": True},
        headers=key,
    )
    token = lab.post("/_lab/tenants/bench/tokens", json={}, headers=key).get_json()["token"]
    return app, lambda base: f"{base}/bench/scim/v2", {"Authorization": f"Bearer {token}"}


def scim2_server_target() -> tuple[Any, Callable[[str], str], dict[str, str]]:
    app = BearerTokenApplication(InMemoryStorage(), load_default_provider(), bearer_tokens=[TOKEN])
    return app, lambda base: f"{base}/v2", {"Authorization": f"Bearer {TOKEN}"}


def flask_target() -> tuple[Any, Callable[[str], str], dict[str, str]]:
    """The ceiling: the same routes answering a constant JSON without any SCIM work."""
    app = Flask("ceiling")
    answer = {"id": "x", "userName": "x"}

    @app.route("/v2/Users", methods=["GET", "POST"])
    def users() -> Any:
        request.get_data()
        if request.method == "POST":
            return jsonify(answer), 201
        return jsonify({"totalResults": 1, "Resources": [answer], "startIndex": 1, "itemsPerPage": 1})

    @app.route("/v2/Users/<user_id>", methods=["PUT", "PATCH"])
    def user(user_id: str) -> Any:
        request.get_data()
        return jsonify(answer)

    return app, lambda base: f"{base}/v2", {}


TARGETS = {"cybozu_sim": cybozu_target, "scim2-server": scim2_server_target, "flask ceiling": flask_target}


class Run:
    """One target being measured: its server, its client, the ids it created and its timings."""

    def __init__(self, name: str, stack: ExitStack) -> None:
        app, endpoint, headers = TARGETS[name]()
        server = stack.enter_context(ServerThread(app))
        self.name = name
        self.client = stack.enter_context(
            httpx2.Client(base_url=endpoint(server.url), headers=headers, timeout=60)
        )
        self.ids: list[str] = []
        self.elapsed: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.latencies: dict[str, list[float]] = {phase: [] for phase in PHASES}

    def request(self, phase: str, i: int) -> httpx2.Response:
        client = self.client
        if phase == "create":
            return client.post("/Users", json=user_body(i))
        if phase == "lookup":
            query = {"filter": f'userName eq "user{i:06d}@example.com"', "startIndex": 1, "count": 100}
            return client.get("/Users", params=query)
        if phase == "put":
            return client.put(f"/Users/{self.ids[i]}", json=user_body(i, "Renamed"))
        patch = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}
        return client.patch(f"/Users/{self.ids[i]}", json=patch)

    def chunk(self, phase: str, first: int, last: int) -> None:
        started = time.perf_counter()
        for i in range(first, last):
            t0 = time.perf_counter()
            response = self.request(phase, i)
            self.latencies[phase].append(time.perf_counter() - t0)
            if response.status_code not in EXPECTED[phase]:
                raise SystemExit(
                    f"{self.name} {phase} #{i}: HTTP {response.status_code} {response.text[:300]}"
                )
            if phase == "create":
                self.ids.append(response.json()["id"])
        self.elapsed[phase] += time.perf_counter() - started


EXPECTED = {"create": (201,), "lookup": (200,), "put": (200,), "patch": (200, 204)}


def run_targets(names: list[str], n: int, chunk: int = 50) -> dict[str, dict[str, tuple[float, float]]]:
    """Return {target: {phase: (requests per second, median latency in ms)}}.

    The targets take turns in chunks of ``chunk`` requests within each phase, so a
    burst of load from elsewhere on the machine hits every target alike instead of
    whichever happened to be running (the machine is shared).
    """
    with ExitStack() as stack:
        runs = [Run(name, stack) for name in names]
        for phase in PHASES:
            for first in range(0, n, chunk):
                for run in runs:
                    run.chunk(phase, first, min(first + chunk, n))
                progress(phase, min(first + chunk, n), n)
        return {
            run.name: {
                phase: (n / run.elapsed[phase], statistics.median(run.latencies[phase]) * 1000)
                for phase in PHASES
            }
            for run in runs
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("-n", type=int, default=2000, help="requests per phase (default 2000)")
    parser.add_argument("--targets", nargs="*", default=list(TARGETS), choices=list(TARGETS))
    args = parser.parse_args(argv)

    print(
        f"W1 SCIM throughput, n={args.n} per phase, Python {platform.python_version()}, {platform.machine()}"
    )
    table = run_targets(args.targets, args.n)
    header = f"{'target':<16}" + "".join(f"{p + ' req/s':>14}{'median ms':>11}" for p in PHASES)
    print(header)
    for name, results in table.items():
        print(f"{name:<16}" + "".join(f"{results[p][0]:>14.0f}{results[p][1]:>11.2f}" for p in PHASES))
    if "cybozu_sim" in table and "scim2-server" in table:
        ratios = "  ".join(
            f"{p} {table['cybozu_sim'][p][0] / table['scim2-server'][p][0]:.2f}x" for p in PHASES
        )
        print(f"cybozu_sim / scim2-server throughput: {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
