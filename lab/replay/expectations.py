"""Compare an ``expect:`` block with the lab's state: each difference says what was
expected and what was found."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any, Protocol


class State(Protocol):
    """What the expectations read; a driver's client provides it over HTTP."""

    def cybozu_users(self, tenant: str | None = None) -> list[dict[str, Any]]: ...
    def app_users(self, app: str | None = None) -> list[dict[str, Any]]: ...
    def tasks(self, status: str = "OPEN") -> list[dict[str, Any]]: ...
    def syslog(self) -> list[dict[str, Any]]: ...
    def user_id(self, login: str) -> str: ...
    def tenant_state(self, tenant: str | None = None) -> dict[str, Any]: ...
    def okta_app(self, app: str | None = None) -> dict[str, Any]: ...


def subset(expected: Any, actual: Any) -> bool:
    """Every key of ``expected`` is in ``actual`` with a matching value (lists: item by item)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and subset(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(subset(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


def differences(wanted: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [
        f"{key}: expected {value!r}, got {actual.get(key)!r}"
        for key, value in wanted.items()
        if actual.get(key) != value
    ]


def check(
    expect: dict[str, Any], state: State, message: str | None, exchanges: list[dict[str, Any]]
) -> list[str]:
    """Every way the lab differs from ``expect``; empty when it matches."""
    found: list[str] = []
    tenant, app = expect.get("tenant"), expect.get("app")
    if "message" in expect and message != expect["message"]:
        found.append(f"message: expected {expect['message']!r}, got {message!r}")
    if "message_contains" in expect and expect["message_contains"] not in (message or ""):
        found.append(f"message: expected it to contain {expect['message_contains']!r}, got {message!r}")
    if {"cybozu_users", "cybozu_absent", "cybozu_user_count"} & set(expect):
        found += check_cybozu(expect, {u["login"]: u for u in state.cybozu_users(tenant)})
    if {"okta_app_users", "okta_unassigned", "okta_app_user_count"} & set(expect):
        found += check_app_users(expect, state, state.app_users(app))
    if "tasks" in expect or "open_tasks" in expect:
        found += check_tasks(expect, state)
    if "exchanges" in expect:
        found += check_exchanges(expect["exchanges"], exchanges)
    if "exchange_count" in expect and len(exchanges) != expect["exchange_count"]:
        found.append(f"SCIM requests: expected {expect['exchange_count']}, the step sent {len(exchanges)}")
    if "syslog" in expect:
        found += check_syslog(expect["syslog"], state.syslog())
    if set(TENANT_EXPECTATIONS) & set(expect):
        found += check_tenant(expect, state.tenant_state(tenant))
    if "okta_app" in expect:
        found += check_app(expect["okta_app"], state.okta_app(app))
    return found


# What the tenant's state says for each expectation about the tenant itself.
TENANT_EXPECTATIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "api_tokens": lambda tenant: sum(t["status"] == "Enabled" for t in tenant["tokens"]),
    "propagate_provisioning": lambda tenant: tenant["propagate_provisioning"],
    "ip_restriction": lambda tenant: tenant["ip_restriction"]["restricts"],
    "ip_addresses": lambda tenant: tenant["ip_restriction"]["addresses"],
    "basic_auth": lambda tenant: tenant["basic_auth"]["enabled"],
    "license_warnings": lambda tenant: [u["warning"] for u in tenant["licenses"] if u["warning"]],
}


def check_tenant(expect: dict[str, Any], tenant: dict[str, Any]) -> list[str]:
    actual = {key: read(tenant) for key, read in TENANT_EXPECTATIONS.items() if key in expect}
    wanted = {k: expect[k] for k in actual}
    return [f"cybozu.com {tenant['subdomain']}: {d}" for d in differences(wanted, actual)]


def check_app(wanted: dict[str, Any], app: dict[str, Any]) -> list[str]:
    provisioning = app["provisioning"]
    actual = {
        "domain_name": app["settings"]["domainName"],
        "api_integration": provisioning["enabled"],
        "to_app": {k: v for k, v in provisioning["toApp"].items() if k in wanted.get("to_app", {})},
        "attributes": app["attributes"],
        "attributes_missing": [a for a in wanted.get("attributes_missing", []) if a not in app["attributes"]],
        "username_format": app["signOn"]["usernameFormat"],
    }
    return [f"Okta app {app['label']}: {d}" for d in differences(wanted, actual)]


def check_cybozu(expect: dict[str, Any], users: dict[str, dict[str, Any]]) -> list[str]:
    found = []
    for wanted in expect.get("cybozu_users", []):
        user = users.get(wanted["login"])
        if user is None:
            found.append(
                f"cybozu.com user {wanted['login']!r}: expected to exist, not found (users: {', '.join(sorted(users))})"
            )
            continue
        actual = {**user, "services": sorted(code for code, on in user["services"].items() if on)}
        wanted = {**wanted, **({"services": sorted(wanted["services"])} if "services" in wanted else {})}
        found += [f"cybozu.com user {wanted['login']!r}: {d}" for d in differences(wanted, actual)]
    for login in expect.get("cybozu_absent", []):
        if login in users:
            found.append(f"cybozu.com user {login!r}: expected to be absent, found {users[login]['status']}")
    if "cybozu_user_count" in expect and len(users) != expect["cybozu_user_count"]:
        found.append(f"cybozu.com users: expected {expect['cybozu_user_count']}, found {len(users)}")
    return found


def check_app_users(expect: dict[str, Any], state: State, app_users: list[dict[str, Any]]) -> list[str]:
    """An assignment is what Okta's API answers for: one whose removal waits on a failed
    deactivation is gone already (GET /api/v1/apps/{app}/users/{user} is 404, the person is off
    the Assignments tab; only the open task remains), so it counts as unassigned here too."""
    by_id = {u["user_id"]: u for u in app_users if not u.get("pendingRemoval")}
    pending = {u["user_id"] for u in app_users if u.get("pendingRemoval")}
    found = []
    for wanted in expect.get("okta_app_users", []):
        user_id = state.user_id(wanted["user"])
        app_user = by_id.get(user_id)
        if app_user is None:
            why = " (it was unassigned; its deactivation in the app waits in an open task)" if user_id in pending else ""
            found.append(f"Okta app user {wanted['user']!r}: expected an assignment, found none{why}")
            continue
        actual = {
            "status": app_user["status"],
            "sync_state": app_user["syncState"],
            "user_name": app_user["userName"],
            "scope": "USER" if app_user["individual"] else "GROUP",
        }
        if "services" in wanted:
            held = app_user.get("profile") or {}
            actual["services"] = {name: held.get(name) for name in wanted["services"]}
        found += [
            f"Okta app user {wanted['user']!r}: {d}"
            for d in differences({k: v for k, v in wanted.items() if k != "user"}, actual)
        ]
    for login in expect.get("okta_unassigned", []):
        if state.user_id(login) in by_id:
            found.append(f"Okta app user {login!r}: expected no assignment, found one")
    if "okta_app_user_count" in expect and len(by_id) != expect["okta_app_user_count"]:
        found.append(f"Okta app users: expected {expect['okta_app_user_count']}, found {len(by_id)}")
    return found


def check_tasks(expect: dict[str, Any], state: State) -> list[str]:
    found = []
    every = state.tasks("ALL")
    for wanted in expect.get("tasks", []):
        user_id = state.user_id(wanted["user"])
        mine = [t for t in every if t["user_id"] == user_id and t["status"] == wanted["status"]]
        if not mine:
            found.append(f"task for {wanted['user']!r}: expected a {wanted['status']} task, found none")
            continue
        task = mine[-1]
        if "error" in wanted and task["message"] != wanted["error"]:
            found.append(
                f"task for {wanted['user']!r}: error: expected {wanted['error']!r}, got {task['message']!r}"
            )
        if "error_contains" in wanted and wanted["error_contains"] not in task["message"]:
            found.append(
                f"task for {wanted['user']!r}: error: expected to contain {wanted['error_contains']!r}, got {task['message']!r}"
            )
        if "operation" in wanted and task.get("operation") != wanted["operation"]:
            found.append(
                f"task for {wanted['user']!r}: operation: expected {wanted['operation']!r}, got {task.get('operation')!r}"
            )
    if "open_tasks" in expect:
        count = sum(t["status"] == "OPEN" for t in every)
        if count != expect["open_tasks"]:
            found.append(f"open tasks: expected {expect['open_tasks']}, found {count}")
    return found


def exchange_matches(wanted: dict[str, Any], exchange: dict[str, Any]) -> bool:
    if "method" in wanted and exchange["method"] != wanted["method"]:
        return False
    if "path" in wanted and not fnmatch.fnmatchcase(exchange["path"], wanted["path"]):
        return False
    if "status" in wanted and exchange["status"] != wanted["status"]:
        return False
    if "source" in wanted and exchange.get("source") != wanted["source"]:
        return False
    return all(key not in wanted or subset(wanted[key], exchange.get(key)) for key in ("request", "response"))


def check_exchanges(wanted: list[dict[str, Any]], exchanges: list[dict[str, Any]]) -> list[str]:
    """The wanted requests appear in this order; others may come between them."""
    position = 0
    for number, item in enumerate(wanted, 1):
        while position < len(exchanges) and not exchange_matches(item, exchanges[position]):
            position += 1
        if position == len(exchanges):
            sent = "; ".join(f"{e['method']} {e['path']} -> {e['status']}" for e in exchanges[-10:]) or "none"
            return [f"SCIM request {number} {item!r}: not sent (in order); the step sent: {sent}"]
        position += 1
    return []


def event_matches(item: dict[str, Any], event: dict[str, Any]) -> bool:
    return (
        event["eventType"] == item["event_type"]
        and ("outcome" not in item or event["outcome"]["result"] == item["outcome"])
        and ("message" not in item or event["displayMessage"] == item["message"])
        and ("message_contains" not in item or item["message_contains"] in event["displayMessage"])
        and ("reason" not in item or event["outcome"].get("reason") == item["reason"])
        and ("reason_contains" not in item or item["reason_contains"] in (event["outcome"].get("reason") or ""))
        and ("user" not in item or any(t.get("alternateId") == item["user"] for t in event.get("target", [])))
    )


def check_syslog(wanted: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[str]:
    found = []
    for item in wanted:
        if not any(event_matches(item, e) for e in events):
            same = [
                " / ".join(filter(None, (e["displayMessage"], e["outcome"].get("reason"))))
                for e in events
                if e["eventType"] == item["event_type"]
            ]
            found.append(f"System Log: expected {item!r}; events of that type: {same[-3:] or 'none'}")
    return found
