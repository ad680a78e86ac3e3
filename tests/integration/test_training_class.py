"""A class of thirty at once (issue 16): every run judged on each pass, a step seen on the
next pass, and the checks spending none of any org's /api/v1 rate limit."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from lab.replay.sandbox import Sandbox
from lab.training import classroom, exercises
from lab.training.runs import Trainer

CLASS = 30
PASSES = 5


@pytest.fixture
def trainer() -> Iterator[Trainer]:
    with Sandbox() as lab:
        trainer = Trainer(lab, exercises.load_all())
        yield trainer
        trainer.close()


def test_thirty_trainees_are_judged_every_pass_without_spending_their_rate_limit(trainer: Trainer) -> None:
    runs = classroom.create_class(trainer, "exercise-setup-from-scratch", CLASS)
    assert len({run.org for run in runs}) == CLASS
    busy = runs[17]
    driver = trainer.driver(busy)
    for number in range(PASSES):
        if number == 2:  # one trainee works while the class is judged
            driver.do("lab.connect")
        for run in runs:
            trainer.progress(run.id)
        done = {run.id: trainer.latest[run.id].done_count for run in runs}
        if number >= 2:  # seen on the very next pass: no lag
            assert done[busy.id] >= 3, done[busy.id]
        assert all(count == 0 for run_id, count in done.items() if run_id != busy.id)
    # A trainee's own API token still has the org's whole budget: the checks spent none of it.
    okta = busy.urls(trainer.endpoints.urls)["okta"]
    token = trainer.client(busy).call("okta", "POST", "/_lab/api-tokens", {"name": "trainee"})["token"]
    answer = httpx2.get(f"{okta}/api/v1/apps", headers={"Authorization": f"SSWS {token}"})
    assert answer.status_code == 200
    assert int(answer.headers["X-Rate-Limit-Remaining"]) == int(answer.headers["X-Rate-Limit-Limit"]) - 1
    state = [classroom.run_row(trainer, run, trainer.clock()) for run in runs]
    assert [row["done"] for row in state].count(0) == CLASS - 1
