"""The Exercises pages (lab/training/web.py) have no sign-in and no session by design (bound to
127.0.0.1, nothing secret to show), so their two forms carry no CSRF token; a cross-site form
post is refused by its Origin / Sec-Fetch-Site instead (simcore.forms.check_same_origin)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient

from lab.training.web import create_app


@dataclass
class FakeRun:
    id: str = "r1"
    key: str = "the-runs-key"

    def opened_by(self, key: object) -> bool:
        return key == self.key


@dataclass
class FakeStore:
    def all(self) -> list[Any]:
        return []


@dataclass
class FakeEndpoints:
    urls: dict[str, str] = field(default_factory=lambda: {"okta": "http://127.0.0.1:1", "cybozu": "http://127.0.0.1:2"})


@dataclass
class FakeTrainer:
    """Records what the pages asked for; a refused post must not reach it."""

    calls: list[tuple[str, ...]] = field(default_factory=list)
    store: FakeStore = field(default_factory=FakeStore)
    exercises: dict[str, Any] = field(default_factory=dict)
    endpoints: FakeEndpoints = field(default_factory=FakeEndpoints)

    def start(self, exercise: str, trainee: str) -> FakeRun:
        self.calls.append(("start", exercise, trainee))
        return FakeRun()

    def clock(self) -> float:
        return 0.0

    def run(self, run_id: str) -> FakeRun:
        return FakeRun(run_id)

    def reset(self, run_id: str) -> FakeRun:
        self.calls.append(("reset", run_id))
        return FakeRun(run_id)


@pytest.fixture
def trainer() -> FakeTrainer:
    return FakeTrainer()


@pytest.fixture
def client(trainer: FakeTrainer) -> FlaskClient:
    return create_app(trainer).test_client()  # type: ignore[arg-type]


START = {"exercise": "exercise-ip-restriction", "trainee": "Ann"}
KEY = {"key": "the-runs-key"}
CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "http://127.0.0.1:8001"},  # another lab app on another port is another origin
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost"},
]


@pytest.mark.parametrize("headers", CROSS_SITE, ids=lambda h: "+".join(f"{k}={v}" for k, v in h.items()))
def test_a_cross_site_form_post_is_refused_and_does_nothing(
    client: FlaskClient, trainer: FakeTrainer, headers: dict[str, str]
) -> None:
    for path in ("/runs", "/runs/r1/reset"):
        answer = client.post(path, data=START, headers=headers)
        assert answer.status_code == 403
        assert "can only be sent from the lab" in answer.get_data(as_text=True)
    assert trainer.calls == []


def test_the_pages_own_form_posts_are_accepted(client: FlaskClient, trainer: FakeTrainer) -> None:
    own = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/runs", data=START, headers=own).status_code == 303
    assert client.post("/runs/r1/reset", data=KEY, headers=own).status_code == 303
    assert trainer.calls == [("start", *START.values()), ("reset", "r1")]


def test_requests_from_no_browser_are_accepted(client: FlaskClient, trainer: FakeTrainer) -> None:
    """`lab train` and curl send no Origin: no other site's page can be behind them."""
    assert client.post("/runs", data=START).status_code == 303
    assert client.post("/runs/r1/reset", data=KEY, headers={"Sec-Fetch-Site": "none"}).status_code == 303
    assert len(trainer.calls) == 2


def test_a_reset_without_the_runs_key_is_refused_even_from_no_browser(
    client: FlaskClient, trainer: FakeTrainer
) -> None:
    """Issue 16: a plain POST without an Origin header reset anyone's run."""
    for body in ({}, {"key": "guess"}):
        assert client.post("/runs/r1/reset", data=body).status_code == 404
    assert trainer.calls == []


def test_the_trainers_pages_need_the_trainers_password_and_a_csrf_token(trainer: FakeTrainer) -> None:
    app = create_app(trainer, trainer_password="the-trainers-password")  # type: ignore[arg-type]
    client = app.test_client()
    assert client.get("/trainer").headers["Location"].endswith("/trainer/login")
    assert client.get("/trainer/state.json").status_code == 401
    assert client.post("/trainer/runs/r1/reset", json={}).status_code == 401
    assert client.get("/trainer/state.json", headers={"X-Trainer-Password": "wrong"}).status_code == 401
    assert client.get("/trainer/state.json", headers={"X-Trainer-Password": "the-trainers-password"}).status_code == 200
    page = client.get("/trainer/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    wrong = client.post("/trainer/login", data={"password": "guess", "csrf_token": token})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.get_data(as_text=True)
    assert client.post("/trainer/login", data={"password": "the-trainers-password"}).status_code == 400
    signed = client.post("/trainer/login", data={"password": "the-trainers-password", "csrf_token": token})
    assert signed.status_code == 303
    # Signed in, a form post still needs the session's token; a cross-site one is refused first.
    assert client.post("/trainer/runs/r1/reset", data={}).status_code == 400
    evil = client.post("/trainer/runs/r1/reset", data={}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    assert trainer.calls == []


def test_a_json_post_from_another_site_is_refused_too(client: FlaskClient, trainer: FakeTrainer) -> None:
    answer = client.post("/runs", json=START, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403 and answer.get_json()["status"] == 403
    assert trainer.calls == []


def test_on_a_lan_only_the_trainer_starts_runs(trainer: FakeTrainer) -> None:
    """Issue 16: on a LAN the Exercises page started runs for anyone who could reach it."""
    app = create_app(trainer, trainer_password="the-trainers-password", lan=True)  # type: ignore[arg-type]
    client = app.test_client()
    refused = client.post("/runs", json=START)
    assert refused.status_code == 403 and "your trainer starts your run" in refused.get_json()["error"]
    assert "Start exercise" not in client.get("/").get_data(as_text=True)
    assert trainer.calls == []
    trainer_says = client.post("/runs", data=START, headers={"X-Trainer-Password": "the-trainers-password"})
    assert trainer_says.status_code == 303 and trainer.calls == [("start", *START.values())]
