"""Many SCIM clients creating the same users at once, over HTTP, into a file-backed cybozu_sim.

Only the HTTP behaviour is checked (status codes, SCIM JSON, GET /Users), so the
test holds whatever the SCIM layer's internals become.
"""

from __future__ import annotations

import os
import threading
from collections import Counter

import httpx2
import pytest

from cybozu_sim.backend import get_backend as cybozu_backend
from simcore.store import Store
from tests.reliability.conftest import (
    SCIM_ERROR,
    Failures,
    LiveCybozu,
    list_scim_users,
    run_workers,
    scim_client,
    scim_user,
)

pytestmark = pytest.mark.integration

THREADS = 8
# Every thread creates every name, each starting at a different point, so each name is raced by
# eight clients: 8 threads x 500 creates (about 17 s on two cores); RELIABILITY_NAMES=64 for a
# quick local run.
NAMES = int(os.environ.get("RELIABILITY_NAMES", "500"))


def test_racing_creates_make_one_user_per_user_name(live_cybozu: LiveCybozu, failures: Failures) -> None:
    live_cybozu.lab.tenant("acme")
    token = live_cybozu.lab.token("acme", notes="Okta")
    names = [f"user{n:03d}@example.com" for n in range(NAMES)]
    with scim_client(live_cybozu, "acme", token) as client:
        before = list_scim_users(client)  # the tenant's administrator
    outcomes: list[tuple[str, int]] = []
    created_ids: dict[str, list[str]] = {}
    lock = threading.Lock()

    def work(worker: int) -> None:
        with scim_client(live_cybozu, "acme", token) as client:
            for step in range(NAMES):
                name = names[(step + worker * NAMES // THREADS) % NAMES]
                response = client.post("/Users", json=scim_user(name))
                body = response.json()
                with lock:
                    outcomes.append((name, response.status_code))
                if response.status_code == 201:
                    assert body["userName"] == name and body["id"]
                    with lock:
                        created_ids.setdefault(name, []).append(body["id"])
                else:
                    assert response.status_code == 409, response.text
                    assert SCIM_ERROR in body["schemas"] and body["scimType"] == "uniqueness"
                    assert body["status"] == "409"

    run_workers(THREADS, work)

    statuses = Counter(status for _, status in outcomes)
    assert statuses == {201: NAMES, 409: NAMES * (THREADS - 1)}
    assert sorted(created_ids) == names and all(len(ids) == 1 for ids in created_ids.values())
    assert not failures.errors

    with scim_client(live_cybozu, "acme", token) as client:
        listed = list_scim_users(client)
        for name in names[:3]:  # the filter Okta uses finds exactly the one user
            found = client.get("/Users", params={"filter": f'userName eq "{name}"'}).json()
            assert found["totalResults"] == 1 and found["Resources"][0]["id"] == created_ids[name][0]
    assert sorted((u["userName"], u["id"]) for u in listed) == sorted(
        [(u["userName"], u["id"]) for u in before] + [(name, ids[0]) for name, ids in created_ids.items()]
    )

    # What the server acknowledged is on disk: a fresh Store on the same files holds exactly these users.
    on_disk = Store(live_cybozu.data_file).snapshot()
    assert on_disk == cybozu_backend(live_cybozu.app).store.snapshot()
    resources = [doc["resource"] for doc in on_disk["users"].values() if doc["partition"] == "acme"]
    assert sorted((r["userName"], r["id"]) for r in resources) == sorted(
        (u["userName"], u["id"]) for u in listed
    )


def test_no_request_fails_at_the_socket(live_cybozu: LiveCybozu) -> None:
    """Keep-alive connections from many clients at once: every request gets an answer."""
    live_cybozu.lab.tenant("acme")
    token = live_cybozu.lab.token("acme", notes="Okta")

    def work(worker: int) -> None:
        with scim_client(live_cybozu, "acme", token) as client:
            for _ in range(10):
                try:
                    response = client.get("/Users", params={"count": 1})
                except httpx2.TransportError as error:  # pragma: no cover - the failure being tested
                    raise AssertionError(f"connection error: {error!r}") from error
                assert response.status_code == 200

    run_workers(THREADS * 2, work)
