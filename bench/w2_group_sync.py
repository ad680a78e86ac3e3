"""W2 (and W4): a group of Faker people assigned to Cybozu (cybozu.com), then Force Sync, end to end over HTTP.

okta_sim and cybozu_sim each run in a process of their own (bench.processes),
memory storage, driven through their HTTP APIs by the scenario engine's API
driver, as `lab run` would. For each size ``n``:

1. ``n`` Faker people (fixed seed) are seeded into the group "All staff";
2. the group is assigned to the app while its API integration is still off,
   so nobody is pushed ("assigned before provisioning");
3. API integration and Create/Update/Deactivate Users are turned on;
4. **Force Sync** pushes every member: Okta's lookup
   (``GET /Users?filter=userName eq ...``) then ``POST /Users`` per person;
5. a second Force Sync finds everyone in sync and sends nothing.

Reports the wall time and requests of both Force Syncs (until the queue is
idle: okta_sim pushes in the background, ``--push-mode``), the ratio between
the largest and the smallest size, (W4) each process's peak RSS, and the median
latency of the admin console (its dashboard, signed in) and of /api/v1
(``GET /apps/{id}/users?limit=20``) while the first Force Sync runs.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import threading
import time
from typing import Any

import httpx2

from bench.processes import ProcessSandbox
from bench.progress import progress
from bench.verdicts import Verdict, report
from lab.drivers.api import ApiDriver
from lab.drivers.client import LabClient, generated_people
from okta_sim.public import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD

GROUP = "All staff"
SEED = 20260105
# /_lab/people takes a JSON body under the servers' 1 MiB limit: about 2,000 people a request.
SEED_CHUNK = 2000
PROBE_INTERVAL = 0.5


def seed_people(driver: ApiDriver, n: int) -> None:
    people = [
        {"login": p["login"], "email": p["login"], "firstName": p["first_name"], "lastName": p["last_name"]}
        for p in generated_people({"count": n, "seed": SEED, "email_domain": "example.com"})
    ]
    for start in range(0, n, SEED_CHUNK):
        chunk = people[start : start + SEED_CHUNK]
        driver.client.call("okta", "POST", "/_lab/people", {"people": chunk, "group": GROUP})
        progress(f"seed {n} people", start + len(chunk), n)


def sent(driver: ApiDriver) -> int:
    return int(driver.client.call("okta", "GET", "/_lab/exchanges/total")["total"])


class LatencyProbe:
    """While pushes run: the console's dashboard and a page of /api/v1, each timed in turn, twice a
    second (an administrator clicking around and a script polling, not a load test)."""

    def __init__(self, okta_url: str, api_token: str, app_id: str) -> None:
        self.console = httpx2.Client(base_url=okta_url, timeout=30)
        login = self.console.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login)
        form = {
            "username": ADMIN_LOGIN,
            "password": DEFAULT_ADMIN_PASSWORD,
            "csrf_token": csrf.group(1) if csrf else "",
        }
        self.console.post("/login", data=form)
        self.api = httpx2.Client(
            base_url=okta_url, timeout=30, headers={"Authorization": f"SSWS {api_token}"}
        )
        self.paths = {"console": "/admin/", "api": f"/api/v1/apps/{app_id}/users?limit=20"}
        self.times: dict[str, list[float]] = {"console": [], "api": []}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.probe, daemon=True)

    def probe(self) -> None:
        while not self.stop.is_set():
            for name, client in (("console", self.console), ("api", self.api)):
                started = time.perf_counter()
                answer = client.get(self.paths[name])
                if answer.status_code != 200:
                    raise RuntimeError(f"{self.paths[name]} answered {answer.status_code}")
                self.times[name].append(time.perf_counter() - started)
            self.stop.wait(PROBE_INTERVAL)

    def __enter__(self) -> LatencyProbe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.console.close()
        self.api.close()

    def median_ms(self, name: str) -> float:
        return statistics.median(self.times[name]) * 1000 if self.times[name] else float("nan")


def run(n: int, push_mode: str) -> dict[str, Any]:
    with ProcessSandbox(scim_timeout=60.0, okta={"PUSH_MODE": push_mode}) as sandbox:
        driver = ApiDriver(LabClient(sandbox))  # type: ignore[arg-type]  # duck-typed: urls and lab_key
        try:
            tenant = {"licenses": {"kintone": n}, "propagate_provisioning": True, "users": []}
            driver.setup({"cybozu": {"tenants": [{"subdomain": "example", **tenant}]}})
            seed_people(driver, n)
            token = driver.do("cybozu.create_api_token", tenant="example", notes="Okta").values["token"]
            app_id = driver.do("okta.add_catalog_app", domain_name="example").values["id"]
            driver.delete_unlicensed_attributes("example", app_id)
            driver.do("okta.assign_group", group=GROUP, services={"kintone": "Enable"}, app=app_id)
            driver.do("okta.configure_api_integration", token=token, app=app_id)
            driver.do("okta.set_provisioning_to_app", app=app_id)

            before = sent(driver)
            api_token = driver.client.call("okta", "POST", "/_lab/api-tokens", {"name": "probe"})["token"]
            with LatencyProbe(sandbox.okta.url, api_token, app_id) as probe:
                started = time.perf_counter()
                # The step returns once the queue is idle: every push has been sent and recorded.
                first = driver.do("okta.force_sync", app=app_id).message
                pushed = time.perf_counter()
            middle = sent(driver)
            second = driver.do("okta.force_sync", app=app_id).message
            checked = time.perf_counter()
            users = driver.client.call("cybozu", "GET", "/_lab/tenants/example")["users"]
            return {
                "n": n,
                "sync_s": pushed - started,
                "sync_requests": middle - before,
                "first": first,
                "nochange_s": checked - pushed,
                "nochange_requests": sent(driver) - middle,
                "second": second,
                "cybozu_users": users,
                "console_ms": probe.median_ms("console"),
                "api_ms": probe.median_ms("api"),
                "probes": len(probe.times["api"]),
                "okta_rss_mb": sandbox.okta.peak_rss_mb(),
                "cybozu_rss_mb": sandbox.cybozu.peak_rss_mb(),
            }
        finally:
            driver.close()


# Issue 12's targets (W2) and the per-process memory bound that issue 18 keeps (W4).
SYNC_SECONDS, LINEAR_SLACK, PROBE_MS, RSS_MB = 10.0, 1.05, 200.0, 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.w2_group_sync", description=__doc__)
    parser.add_argument(
        "-n", type=int, nargs="+", default=[1000, 10000], help="group sizes (default 1000 10000)"
    )
    parser.add_argument(
        "--push-mode",
        choices=["queued", "inline"],
        default="queued",
        help="okta_sim's PUSH_MODE (default queued)",
    )
    args = parser.parse_args(argv)
    report(measure(args.n, args.push_mode))
    return 0


def measure(sizes: list[int], push_mode: str = "queued") -> list[Verdict]:
    """Run W2 at each size, print its table, return the verdicts of the largest (and W4's)."""
    print(
        f"W2 group assignment + Force Sync, okta_sim -> cybozu_sim over HTTP, each in its own process, "
        f"{push_mode} pushes; Python {platform.python_version()}, {platform.machine()}"
    )
    print(
        f"{'n':>7} {'Force Sync s':>13} {'requests':>9} {'req/s':>7} {'ms/person':>10} "
        f"{'no-change s':>12} {'requests':>9} {'console ms':>11} {'api ms':>7} "
        f"{'okta RSS MB':>12} {'cybozu RSS MB':>14}"
    )
    rows = []
    for n in sizes:
        row = run(n, push_mode)
        rows.append(row)
        if row["cybozu_users"] < n:
            print(f"  only {row['cybozu_users']} users reached cybozu.com: {row['first']}", file=sys.stderr)
        print(
            f"{n:>7} {row['sync_s']:>13.2f} {row['sync_requests']:>9} "
            f"{row['sync_requests'] / row['sync_s']:>7.0f} {row['sync_s'] / n * 1000:>10.2f} "
            f"{row['nochange_s']:>12.2f} {row['nochange_requests']:>9} "
            f"{row['console_ms']:>11.1f} {row['api_ms']:>7.1f} "
            f"{row['okta_rss_mb']:>12.1f} {row['cybozu_rss_mb']:>14.1f}",
            flush=True,
        )
    large = rows[-1]
    peak = max(large["okta_rss_mb"], large["cybozu_rss_mb"])
    found = [
        Verdict(
            f"W2 Force Sync of {large['n']:,}",
            f"{large['sync_s']:.1f} s",
            f"< {SYNC_SECONDS:.0f} s",
            large["sync_s"] < SYNC_SECONDS and large["cybozu_users"] >= large["n"],
        ),
        Verdict(
            "W2 console / api median during the sync",
            f"{large['console_ms']:.1f} / {large['api_ms']:.1f} ms",
            f"< {PROBE_MS:.0f} ms",
            max(large["console_ms"], large["api_ms"]) < PROBE_MS,
        ),
        Verdict(
            f"W4 peak RSS at {large['n']:,} (okta / cybozu)",
            f"{large['okta_rss_mb']:.0f} / {large['cybozu_rss_mb']:.0f} MB",
            f"< {RSS_MB:.0f} MB each",
            peak < RSS_MB,
        ),
    ]
    if len(rows) > 1:
        small = rows[0]
        ratio, linear = large["sync_s"] / small["sync_s"], large["n"] / small["n"]
        print(f"{large['n']}/{small['n']} Force Sync time ratio: {ratio:.2f} (linear: {linear:.0f})")
        found.append(
            Verdict(
                f"W2 time {large['n']:,} / {small['n']:,}",
                f"{ratio:.2f}",
                f"<= {linear * LINEAR_SLACK:.1f}",
                ratio <= linear * LINEAR_SLACK,
            )
        )
    return found


if __name__ == "__main__":
    raise SystemExit(main())
