"""Profile the hot paths with pyinstrument: ``python -m bench.profile okta|cybozu [-n N] [--html FILE]``.

- ``cybozu``: cybozu_sim serving W1's four phases (create, ``userName eq``
  lookup, PUT, PATCH) in process through Flask's test client, so the profile
  holds cybozu_sim's own work and nothing of a socket or a client.
- ``okta``: okta_sim pushing a group of ``n`` people (lookup + create each)
  to a cybozu_sim running in another process, so the profile holds only
  okta_sim's side: mappings, the SCIM client, the store, the System Log.

Needs the bench extra (``pip install -e '.[bench]'``; `make bench` installs it).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench.processes import AppProcess
from bench.w1_scim import PATCH_OP, user_body
from bench.w1_targets import cybozu_memory
from okta_sim.provisioning import assignments, integration
from simcore.control import LAB_KEY_HEADER


def cybozu_workload(n: int) -> Callable[[], None]:
    app, base, headers = cybozu_memory()
    client = app.test_client()
    patch = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}

    def run() -> None:
        ids = [
            client.post(f"{base}/Users", json=user_body(i), headers=headers).get_json()["id"]
            for i in range(n)
        ]
        for i in range(n):
            query = {"filter": f'userName eq "user{i:06d}@example.com"', "startIndex": 1, "count": 100}
            client.get(f"{base}/Users", query_string=query, headers=headers)
        for i, user_id in enumerate(ids):
            client.put(f"{base}/Users/{user_id}", json=user_body(i, "Renamed"), headers=headers)
        for user_id in ids:
            client.patch(f"{base}/Users/{user_id}", json=patch, headers=headers)

    return run


def okta_workload(n: int, cybozu: AppProcess, lab_key: str) -> Callable[[], None]:
    import httpx2

    import okta_sim.app
    from lab.wiring import okta_config
    from okta_sim import apps, directory_writes
    from okta_sim.backend import get_backend as okta_backend

    lab = httpx2.Client(base_url=cybozu.url, headers={LAB_KEY_HEADER: lab_key})
    tenant = {"subdomain": "example", "licenses": {"kintone": n}, "propagate_provisioning": True}
    lab.post("/_lab/tenants", json=tenant).raise_for_status()
    token = lab.post("/_lab/tenants/example/tokens", json={}).json()["token"]
    # Inline: the pushes run in this thread, where the profiler sees them.
    okta: Any = okta_backend(
        okta_sim.app.create_app(okta_config(lab_key, cybozu.url, {"PUSH_MODE": "inline"}))
    )
    app = apps.add_app(okta, "cybozu", domain_name="example")
    integration.configure_api_integration(okta, app["id"], enabled=True, token=token)
    integration.set_provisioning_to_app(okta, app["id"], create=True, update=True, deactivate=True)
    group = directory_writes.create_group(okta, "All staff")
    with okta.store.transaction():
        people = [
            directory_writes.create_user(
                okta,
                {
                    "login": f"u{i:06d}@example.com",
                    "email": f"u{i:06d}@example.com",
                    "firstName": "User",
                    "lastName": str(i),
                },
            )["id"]
            for i in range(n)
        ]
        directory_writes.change_members(okta, group["id"], people, True)

    def run() -> None:
        assignments.assign_group(okta, app["id"], group["id"], profile={"kintone": "Enable"})

    return run


def main(argv: list[str] | None = None) -> int:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("side", choices=["okta", "cybozu"])
    parser.add_argument("-n", type=int, default=500, help="users (default 500)")
    parser.add_argument("--html", help="write pyinstrument's HTML report to this file")
    args = parser.parse_args(argv)
    cybozu = AppProcess("cybozu", {"LAB_KEY": "bench"}) if args.side == "okta" else None
    try:
        workload = okta_workload(args.n, cybozu, "bench") if cybozu else cybozu_workload(args.n)
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        started, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        workload()
        profiler.stop()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        if cybozu:
            cybozu.stop()
    print(f"{args.side}: n={args.n}, wall {wall:.2f} s, this process's CPU {cpu:.2f} s (profiler included)")
    if args.html:
        with open(args.html, "w", encoding="utf-8") as handle:
            handle.write(profiler.output_html())
        print(f"profile written to {args.html}")
    else:
        print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
