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

Reports the wall time and requests of both Force Syncs, the ratio between
the largest and the smallest size, and (W4) each process's peak RSS.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from typing import Any

from bench.processes import ProcessSandbox
from bench.progress import progress
from lab.drivers.api import ApiDriver
from lab.drivers.client import LabClient, generated_people

GROUP = "All staff"
SEED = 20260105
# /_lab/people takes a JSON body under the servers' 1 MiB limit: about 2,000 people a request.
SEED_CHUNK = 2000


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


def run(n: int) -> dict[str, Any]:
    with ProcessSandbox(scim_timeout=60.0) as sandbox:
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
            started = time.perf_counter()
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
                "okta_rss_mb": sandbox.okta.peak_rss_mb(),
                "cybozu_rss_mb": sandbox.cybozu.peak_rss_mb(),
            }
        finally:
            driver.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.w2_group_sync", description=__doc__)
    parser.add_argument(
        "-n", type=int, nargs="+", default=[1000, 10000], help="group sizes (default 1000 10000)"
    )
    args = parser.parse_args(argv)
    print(
        f"W2 group assignment + Force Sync, okta_sim -> cybozu_sim over HTTP, each in its own process; "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
    print(
        f"{'n':>7} {'Force Sync s':>13} {'requests':>9} {'req/s':>7} {'ms/person':>10} "
        f"{'no-change s':>12} {'requests':>9} {'okta RSS MB':>12} {'cybozu RSS MB':>14}"
    )
    rows = []
    for n in args.n:
        row = run(n)
        rows.append(row)
        if row["cybozu_users"] < n:
            print(f"  only {row['cybozu_users']} users reached cybozu.com: {row['first']}", file=sys.stderr)
        print(
            f"{n:>7} {row['sync_s']:>13.2f} {row['sync_requests']:>9} "
            f"{row['sync_requests'] / row['sync_s']:>7.0f} {row['sync_s'] / n * 1000:>10.2f} "
            f"{row['nochange_s']:>12.2f} {row['nochange_requests']:>9} "
            f"{row['okta_rss_mb']:>12.1f} {row['cybozu_rss_mb']:>14.1f}",
            flush=True,
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(
            f"{large['n']}/{small['n']} Force Sync time ratio: {large['sync_s'] / small['sync_s']:.2f} "
            f"(linear: {large['n'] / small['n']:.0f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
