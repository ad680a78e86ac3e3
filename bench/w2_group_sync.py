"""W2: okta_sim provisioning a group into cybozu_sim over HTTP, then a Force Sync with nothing to push.

Both apps on 127.0.0.1 in Werkzeug threaded servers, memory storage. Reports
wall time and requests sent for: assigning a group of ``n`` people (lookup
then create per person), and a Force Sync that finds no change (no request).
"""

from __future__ import annotations

import argparse
import time

import cybozu_sim
import okta_sim
from lab.control import LAB_KEY_HEADER
from lab.server import ServerThread
from okta_sim import apps, directory
from okta_sim import provisioning as engine


def run(n: int) -> dict[str, float]:
    cybozu = cybozu_sim.create_app()
    lab = cybozu.test_client()
    key = {LAB_KEY_HEADER: cybozu.config["LAB_KEY"]}
    tenant = {"subdomain": "example", "licenses": {"kintone": 1_000_000}, "propagate_provisioning": True}
    lab.post("/_lab/tenants", json=tenant, headers=key)
    token = lab.post("/_lab/tenants/example/tokens", json={}, headers=key).get_json()["token"]
    with ServerThread(cybozu) as server:
        okta = okta_sim.create_app({"SCIM_URL_TEMPLATE": server.url + "/{domain}/scim/v2"}).extensions["okta"]
        app = apps.add_app(okta, "cybozu", domain_name="example")
        apps.configure_api_integration(okta, app["id"], enabled=True, token=token)
        apps.set_provisioning_to_app(okta, app["id"], create=True, update=True, deactivate=True)
        group = directory.create_group(okta, "Everyone")
        with okta.store.transaction():
            for i in range(n):
                login = f"user{i:06d}@example.com"
                user = directory.create_user(
                    okta, {"login": login, "email": login, "firstName": "User", "lastName": str(i)}
                )
                group["members"].append(user["id"])
            okta.groups.put(group)
        started = time.perf_counter()
        engine.assign_group(okta, app["id"], group["id"], profile={"kintone": "Enable"})
        assigned = time.perf_counter()
        sent = len(okta.exchanges)
        engine.force_sync(okta, app["id"])
        synced = time.perf_counter()
        return {
            "assign_s": assigned - started,
            "assign_requests": sent,
            "force_sync_s": synced - assigned,
            "force_sync_requests": len(okta.exchanges) - sent,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.w2_group_sync", description=__doc__)
    parser.add_argument("-n", type=int, default=500, help="people in the group (default 500)")
    args = parser.parse_args(argv)
    result = run(args.n)
    print(
        f"W2 group of {args.n}: assign {result['assign_s']:.2f} s ({result['assign_requests']} requests, "
        f"{result['assign_requests'] / result['assign_s']:.0f} req/s); no-change Force Sync "
        f"{result['force_sync_s']:.2f} s ({result['force_sync_requests']} requests)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
