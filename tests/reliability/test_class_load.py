"""Twenty trainees working at once (issue 16): each in their own org and environment, through
their console (sign-in, pages, adding people) and the API driver's verbs (assignments, Force
Sync), with the trainer's watcher judging every run meanwhile.

Bounded: no answer is a 5xx, no single request of a trainee waits longer than LAG_BOUND
(the queue of two cores must not starve anyone), and nothing is lost: every person each
trainee assigned is in their own cybozu.com environment with the services asked for, and in
nobody else's.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest

from lab.replay.sandbox import Sandbox
from lab.training import classroom, exercises
from lab.training.runs import Run, Trainer

TRAINEES = 20
PEOPLE = 4  # each trainee adds and assigns this many people
LAG_BOUND = 30.0  # seconds: the slowest single request a trainee may meet (stated in docs/training.md)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def class_lab() -> Iterator[tuple[Sandbox, Trainer]]:
    with Sandbox() as sandbox:
        trainer = Trainer(sandbox, exercises.load_all())
        yield sandbox, trainer
        trainer.close()


class Browser:
    """A trainee's browser on their org's console, recording every status and the slowest wait."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.client = httpx2.Client(timeout=LAG_BOUND * 2)
        self.statuses: list[int] = []
        self.slowest = 0.0

    def open(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        started = time.monotonic()
        answer = self.client.request(method, self.base + path, **kwargs)
        self.slowest = max(self.slowest, time.monotonic() - started)
        self.statuses.append(answer.status_code)
        return answer

    def post_form(self, path: str, form_page: str, data: dict[str, str]) -> httpx2.Response:
        token = CSRF.search(self.open("GET", form_page).text)
        return self.open("POST", path, data={**data, "csrf_token": token.group(1) if token else ""})


def work(trainer: Trainer, sandbox: Sandbox, run: Run, number: int) -> tuple[Browser, list[str]]:
    """One trainee's session: console sign-in and pages, people added there, assigned by the API
    driver, a Force Sync; the logins they assigned."""
    browser = Browser(run.urls(sandbox.urls)["okta"])
    signed = browser.post_form("/login", "/login", {"username": "admin@example.com", "password": run.okta_password})
    assert signed.status_code == 302
    driver = trainer.driver(run)
    driver.do("lab.connect")
    logins = []
    for person in range(PEOPLE):
        login = f"p{number}-{person}@example.com"
        answer = browser.post_form(
            "/admin/people", "/admin/people",
            {"login": login, "email": login, "firstName": f"P{person}", "lastName": f"T{number}"},
        )  # fmt: skip
        assert answer.status_code in (200, 302), answer.status_code
        browser.open("GET", "/admin/people")
        driver.do("okta.assign_people", user=login, services={"kintone": "Enable"})
        logins.append(login)
        browser.open("GET", "/admin/tasks")
    driver.do("okta.force_sync")
    browser.open("GET", "/admin/reports/system-log")
    return browser, logins


def test_twenty_trainees_at_once_get_no_5xx_no_starvation_and_lose_nothing(
    class_lab: tuple[Sandbox, Trainer],
) -> None:
    sandbox, trainer = class_lab
    runs = classroom.create_class(trainer, "exercise-setup-from-scratch", TRAINEES)
    stop = threading.Event()
    watcher = threading.Thread(target=trainer.watch, args=(stop, 0.5), daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=TRAINEES) as pool:
            results = list(pool.map(lambda pair: work(trainer, sandbox, *pair), [(r, n) for n, r in enumerate(runs)]))
    finally:
        stop.set()
        watcher.join(timeout=10)
    statuses = [status for browser, _ in results for status in browser.statuses]
    assert statuses and all(status < 500 for status in statuses)
    slowest = max(browser.slowest for browser, _ in results)
    assert slowest < LAG_BOUND, f"a trainee waited {slowest:.1f} s for one page"
    for run, (_, logins) in zip(runs, results, strict=True):
        client = trainer.client(run)
        client.call("okta", "POST", "/_lab/settle", {"timeout": 60})
        users = {u["login"]: u for u in client.cybozu_users()}
        for login in logins:
            assert users[login]["status"] == "Active" and users[login]["services"] == {"kintone": True}
        others = {login for _, theirs in results for login in theirs} - set(logins)
        assert not others & set(users)  # nobody else's people in this environment
