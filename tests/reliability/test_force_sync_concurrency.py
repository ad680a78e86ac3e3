"""Force Sync pressed while assignments change, okta_sim pushing into a live cybozu_sim.

Both apps run on real sockets with file-backed stores. Workers assign and
unassign people and groups through /api/v1 while another presses Force Sync
(POST /_lab/apps/<id>/force-sync). Conflicting requests may be refused (4xx),
never fail (5xx). After one last Force Sync, cybozu.com holds exactly Okta's
picture: every assigned person active, everyone unassigned since deactivated,
nobody twice.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from flask import Flask

from cybozu_sim.backend import get_backend as cybozu_backend
from lab.server import ServerThread
from lab.wiring import AppPair
from okta_sim import api_tokens, apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import integration, records
from simcore.clock import LabClock
from simcore.control import LAB_KEY_HEADER
from simcore.store import Store
from tests.conftest import NOW, Lab
from tests.reliability.conftest import Failures, run_workers

pytestmark = pytest.mark.integration

PEOPLE = 10
GROUPS = 3
STEPS = 20  # requests per worker


@dataclass
class Lab2:
    okta_app: Flask
    okta: OktaBackend
    okta_server: ServerThread
    cybozu_app: Flask
    cybozu: Lab
    app_id: str
    api_token: str
    people: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    files: tuple[Path, Path]


@pytest.fixture
def lab2(tmp_path: Path, failures: Failures) -> Iterator[Lab2]:
    clock = LabClock(frozen_at=NOW)
    pair = AppPair(
        cybozu={"CLOCK": clock, "DATA_FILE": tmp_path / "cybozu.json"},
        okta={
            "CLOCK": clock,
            "DATA_FILE": tmp_path / "okta.json",
            "SCIM_TIMEOUT": 10.0,
            "OKTA_RATE_LIMIT": 100_000,
        },
    )
    cybozu_app, okta_app, okta_server = pair.cybozu.app, pair.okta.app, pair.okta
    failures.watch(cybozu_app)
    failures.watch(okta_app)
    with pair:
        cybozu = Lab(cybozu_app)
        cybozu.tenant("example", licenses={"kintone": 100})
        token = cybozu.token("example", notes="Okta")
        okta = okta_backend(okta_app)
        app = apps.add_app(okta, "cybozu", domain_name="example")
        integration.configure_api_integration(okta, app["id"], enabled=True, token=token)
        integration.set_provisioning_to_app(okta, app["id"], create=True, update=True, deactivate=True)
        people = [
            directory_writes.create_user(
                okta,
                {
                    "login": f"p{n}@example.com",
                    "email": f"p{n}@example.com",
                    "firstName": "P",
                    "lastName": str(n),
                },
            )
            for n in range(PEOPLE)
        ]
        groups = [directory_writes.create_group(okta, f"G{n}") for n in range(GROUPS)]
        for n, person in enumerate(people):  # each in one group, every third in two
            directory_writes.set_membership(okta, groups[n % GROUPS]["id"], person["id"], True)
            if n % 3 == 0:
                directory_writes.set_membership(okta, groups[(n + 1) % GROUPS]["id"], person["id"], True)
        _, api_token = api_tokens.create_token(okta, "reliability")
        yield Lab2(
            okta_app,
            okta,
            okta_server,
            cybozu_app,
            cybozu,
            app["id"],
            api_token,
            people,
            groups,
            (tmp_path / "okta.json", tmp_path / "cybozu.json"),
        )


def test_force_sync_during_assignment_changes(lab2: Lab2, failures: Failures) -> None:
    statuses: Counter[int] = Counter()
    counting = threading.Lock()

    def count(response: httpx2.Response) -> None:
        with counting:
            statuses[response.status_code] += 1

    base = lab2.okta_server.url
    app_path = f"/api/v1/apps/{lab2.app_id}"
    services = {"kintone": "Enable"}

    def api() -> httpx2.Client:
        return httpx2.Client(base_url=base, headers={"Authorization": f"SSWS {lab2.api_token}"}, timeout=60)

    def people_worker(worker: int) -> None:
        chance = random.Random(worker)
        with api() as client:
            for _ in range(STEPS):
                person = chance.choice(lab2.people)
                if chance.random() < 0.6:
                    response = client.post(
                        f"{app_path}/users", json={"id": person["id"], "profile": services}
                    )
                else:
                    response = client.delete(f"{app_path}/users/{person['id']}")
                count(response)

    def groups_worker(worker: int) -> None:
        chance = random.Random(worker)
        with api() as client:
            for _ in range(STEPS):
                group = chance.choice(lab2.groups)
                if chance.random() < 0.5:
                    response = client.put(f"{app_path}/groups/{group['id']}", json={"profile": services})
                else:
                    response = client.delete(f"{app_path}/groups/{group['id']}")
                count(response)

    def force_sync(client: httpx2.Client) -> httpx2.Response:
        return client.post(
            f"/_lab/apps/{lab2.app_id}/force-sync", headers={LAB_KEY_HEADER: lab2.okta_app.config["LAB_KEY"]}
        )

    def sync_worker() -> None:
        with httpx2.Client(base_url=base, timeout=60) as client:
            for _ in range(STEPS // 2):
                count(force_sync(client))

    def work(worker: int) -> None:
        [people_worker, people_worker, groups_worker, lambda _: sync_worker()][worker](worker)

    run_workers(4, work)

    assert all(status < 500 for status in statuses), statuses
    assert statuses[200] and statuses[204], statuses  # assignments were made and removed
    with httpx2.Client(base_url=base, timeout=120) as client:
        final = force_sync(client)
        assert final.status_code == 200, final.text
        # Okta pushes in the background: wait until the queue has run every job.
        settled = client.post(
            "/_lab/settle", json={"timeout": 120}, headers={LAB_KEY_HEADER: lab2.okta_app.config["LAB_KEY"]}
        )
    assert settled.json() == {"idle": True, "pending": 0}, settled.text
    assert not failures.errors, failures.errors

    assigned = {au["user_id"]: au for au in records.app_users_of_app(lab2.okta, lab2.app_id)}
    remote = lab2.cybozu.users("example")
    logins = Counter(u["login"] for u in remote)
    assert all(count == 1 for count in logins.values()), logins
    by_login = {u["login"]: u for u in remote}
    for person in lab2.people:
        login = person["profile"]["login"]
        app_user = assigned.get(person["id"])
        if app_user is not None:
            assert app_user["syncState"] == "SYNCHRONIZED", app_user
            user = by_login[app_user["userName"]]
            assert user["status"] == "Active" and user["id"] == app_user["externalId"]
        elif login in by_login:
            assert by_login[login]["status"] == "Inactive", by_login[login]
    assert not records.app_users_of_app(lab2.okta, lab2.app_id, include_pending=True)[len(assigned) :]
    okta_file, cybozu_file = lab2.files
    assert Store(okta_file).snapshot() == lab2.okta.store.snapshot()
    assert Store(cybozu_file).snapshot() == cybozu_backend(lab2.cybozu_app).store.snapshot()
