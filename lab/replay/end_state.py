"""What a scenario leaves behind, in a form two runs can be compared by: the API and the
UI driver must end every scenario in the same state.

Ids, timestamps, secrets and the lab's ephemeral ports (in Okta's "127.0.0.1:<port> failed
to respond") differ between runs by nature; everything else a
person could see in either console is kept: users and their fields, tasks and
their texts, app settings, tenant settings.
"""

from __future__ import annotations

import re
from typing import Any

from lab.drivers.client import LabClient

RANDOM = re.compile(r"\b(?:[0-9a-f]{32}|00[ugta][A-Za-z0-9]{15,20})\b")
PORT = re.compile(r"\b127\.0\.0\.1:\d+\b")


def plain(text: Any) -> Any:
    return PORT.sub("127.0.0.1:<port>", RANDOM.sub("<id>", text)) if isinstance(text, str) else text


def capture(client: LabClient) -> dict[str, Any]:
    """Read both apps through the client's lab-API readers (the same ones expectations use);
    against an external target, Okta's side only (the lab cannot read the server)."""
    logins = {u["id"]: u["profile"]["login"] for u in client.okta_people()}
    tenants = {}
    for subdomain in [] if client.external else client.tenants:
        tenant = client.tenant_state(subdomain)
        tenants[subdomain] = {
            "propagate_provisioning": tenant["propagate_provisioning"],
            "ip_restriction": tenant["ip_restriction"],
            "basic_auth": tenant["basic_auth"],
            "tokens": sorted((t["notes"], t["expires"], t["status"]) for t in tenant["tokens"]),
            "tombstones": len(tenant["tombstones"]),
            "users": sorted(
                (
                    u["login"],
                    u["display"],
                    u["surname"],
                    u["given"],
                    u["email"],
                    u["status"],
                    tuple(sorted(c for c, on in u["services"].items() if on)),
                    u["linked"],
                    u["held"],
                )
                for u in client.cybozu_users(subdomain)
            ),
        }
    apps = []
    for app_id in client.apps:
        app = client.okta_app(app_id)
        apps.append(
            {
                "label": app["label"],
                "domain": app["settings"]["domainName"],
                "provisioning": {k: v for k, v in app["provisioning"].items()},
                "attributes": app["attributes"],
                "sign_on": app["signOn"],
                "app_users": sorted(
                    (
                        logins.get(u["user_id"], u["user_id"]),
                        u["status"],
                        u["syncState"],
                        u["userName"],
                        u["individual"],
                        tuple(sorted((u.get("profile") or {}).items())),
                        plain(u.get("lastError")),
                    )
                    for u in app["appUsers"]
                ),
            }
        )
    tasks = sorted(
        (logins.get(t["user_id"], t["user_id"]), t["status"], t["operation"], plain(t["message"]))
        for t in client.tasks("ALL")
    )
    people = sorted(
        (
            u["profile"]["login"],
            u["status"],
            u["profile"].get("firstName"),
            u["profile"].get("lastName"),
            u["profile"].get("email"),
            u["profile"].get("displayName"),
        )
        for u in client.okta_people()
    )
    return {"cybozu": tenants, "okta": {"apps": apps, "tasks": tasks, "people": people}}


def differences(left: Any, right: Any, path: str = "") -> list[str]:
    """Where two captured states differ, as readable paths."""
    if isinstance(left, dict) and isinstance(right, dict):
        return [
            d
            for key in sorted(set(left) | set(right))
            for d in differences(left.get(key), right.get(key), f"{path}.{key}" if path else str(key))
        ]
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [
            d
            for i, (a, b) in enumerate(zip(left, right, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]
