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


@dataclass
class FakeStore:
    def all(self) -> list[Any]:
        return []


@dataclass
class FakeTrainer:
    """Records what the pages asked for; a refused post must not reach it."""

    calls: list[tuple[str, ...]] = field(default_factory=list)
    store: FakeStore = field(default_factory=FakeStore)
    exercises: dict[str, Any] = field(default_factory=dict)

    def start(self, exercise: str, trainee: str) -> FakeRun:
        self.calls.append(("start", exercise, trainee))
        return FakeRun()

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
    assert client.post("/runs/r1/reset", headers=own).status_code == 303
    assert trainer.calls == [("start", *START.values()), ("reset", "r1")]


def test_requests_from_no_browser_are_accepted(client: FlaskClient, trainer: FakeTrainer) -> None:
    """`lab train` and curl send no Origin: no other site's page can be behind them."""
    assert client.post("/runs", data=START).status_code == 303
    assert client.post("/runs/r1/reset", headers={"Sec-Fetch-Site": "none"}).status_code == 303
    assert len(trainer.calls) == 2


def test_a_json_post_from_another_site_is_refused_too(client: FlaskClient, trainer: FakeTrainer) -> None:
    answer = client.post("/runs", json=START, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403 and answer.get_json()["status"] == 403
    assert trainer.calls == []
