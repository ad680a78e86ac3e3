"""Training runs on one shared lab: isolation, ordered and lasting ticks, Reset exercise,
the completion summary, the web pages and `lab train`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from lab.drivers.client import ActionError
from lab.replay.sandbox import Sandbox
from lab.scenario.loader import load_file
from lab.training import exercises
from lab.training.exercises import NotAnExercise
from lab.training.runs import Run, RunStore, Trainer, TrainingError, allocate
from lab.training.web import create_app

pytestmark = pytest.mark.integration

EXERCISES = exercises.load_all()
ALICE = "alice.smith@example.com"
KINTONE = {"kintone": "Enable"}


class FakeClock:
    """Wall-clock seconds the test moves by hand (the summary's time taken)."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def lab() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def trainer(lab: Sandbox, clock: FakeClock) -> Iterator[Trainer]:
    trainer = Trainer(lab, EXERCISES, clock=clock)
    yield trainer
    trainer.close()


def done(trainer: Trainer, run: Run) -> list[int]:
    return [item.number for item in trainer.progress(run.id).items if item.done]


def test_runs_get_their_own_environment_and_do_not_see_each_other(trainer: Trainer) -> None:
    first = trainer.start("exercise-setup-from-scratch", "Ann")
    second = trainer.start("exercise-setup-from-scratch", "Ben")
    assert first.subdomain != second.subdomain
    assert {first.subdomain, second.subdomain} <= {
        t["subdomain"] for t in trainer.client(first).call("cybozu", "GET", "/_lab/tenants")
    }
    a, b = trainer.driver(first), trainer.driver(second)
    a.do("lab.connect")
    a.do("okta.assign_people", user=ALICE, services=KINTONE)
    assert [u["login"] for u in a.client.cybozu_users()] == ["Administrator", ALICE]
    # Ben's environment and checklist show none of Ann's work, and he has no app yet.
    assert [u["login"] for u in b.client.cybozu_users()] == ["Administrator"]
    assert done(trainer, second) == []
    assert trainer.progress(second.id).app_found is False
    with pytest.raises(ActionError, match=f'Domain Name "{second.subdomain}"'):
        b.client.app(None)
    assert b.client.tasks("ALL") == [] and b.client.syslog() == []
    # Ann's app is the one whose Domain Name is her subdomain.
    assert a.client.okta_app()["settings"]["domainName"] == first.subdomain
    assert done(trainer, first) == [1, 2, 3, 4, 5, 6, 7]  # Alice got kintone only: not the last item


def test_each_run_has_its_own_okta_org_and_passwords(trainer: Trainer, lab: Sandbox) -> None:
    """Issue 16: Ben saw Ann's app in the one shared org, and signed in to her cybozu.com with
    the one shared Administrator password."""
    ann, ben = (trainer.start("exercise-setup-from-scratch", name) for name in ("Ann", "Ben"))
    assert (ann.org, ben.org) == (ann.subdomain, ben.subdomain)
    passwords = {ann.okta_password, ben.okta_password, ann.cybozu_password, ben.cybozu_password}
    assert len(passwords) == 4 and all(len(p) >= 12 for p in passwords)
    a = trainer.driver(ann)
    a.do("lab.connect")
    a.do("okta.assign_people", user=ALICE, services=KINTONE)
    # Ann's app, tasks and log are in her org only: Ben's org has no app at all.
    ben_org = trainer.client(ben)
    assert ben_org.okta_pages("/apps", limit=200) == []
    assert a.client.okta_pages("/apps", limit=200)[0]["settings"]["app"]["domainName"] == ann.subdomain
    consoles = ann.urls(lab.urls)
    assert consoles["okta"] == f"{lab.urls['okta']}/orgs/{ann.org}"
    for console, login_page, form in (
        ("okta", f"{lab.urls['okta']}/orgs/{ann.org}/login", {"username": "admin@example.com"}),
        ("cybozu", f"{lab.urls['cybozu']}/{ann.subdomain}/login", {"login": "Administrator"}),
    ):
        with httpx2.Client() as browser:
            page = browser.get(login_page).text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            field = "password"
            wrong = browser.post(login_page, data={**form, field: getattr(ben, f"{console}_password"), "csrf_token": token})
            assert wrong.status_code == 200, f"Ben's {console} password opened Ann's {console}"
            right = browser.post(login_page, data={**form, field: getattr(ann, f"{console}_password"), "csrf_token": token})
            assert right.status_code in (302, 303), f"Ann's own {console} password is refused"


def test_items_tick_in_order_and_stay_ticked(trainer: Trainer) -> None:
    run = trainer.start("exercise-recover-deleted-user")
    driver = trainer.driver(run)
    driver.do("lab.connect")
    # "reactivate Propagate Provisioning" (item 5) matches already, but items tick in order.
    assert done(trainer, run) == [1]
    driver.do("okta.assign_people", user=ALICE, services=KINTONE)
    assert done(trainer, run) == [1, 2]  # the page or the watcher judges while the trainee works
    driver.do("cybozu.delete_user", login=ALICE)
    assert done(trainer, run) == [1, 2, 3]
    # Adding her back by hand undoes the state of item 3; it stays ticked.
    driver.do("cybozu.add_user", login=ALICE, display="Alice Smith")
    progress = trainer.progress(run.id)
    assert [i.number for i in progress.items if i.done] == [1, 2, 3]
    waiting = [i for i in progress.items if not i.done]
    assert waiting[0].detail and not waiting[0].waiting  # the next item says what the lab sees
    assert all(i.waiting for i in waiting[1:])


def test_reset_puts_the_run_back_to_its_start(trainer: Trainer, clock: FakeClock) -> None:
    run = trainer.start("exercise-setup-from-scratch")
    driver = trainer.driver(run)
    driver.do("lab.connect")
    driver.do("cybozu.set_propagate_provisioning", enabled=False)
    driver.do("okta.assign_people", user=ALICE, services=KINTONE)
    progress = trainer.progress(run.id)
    assert progress.hints and progress.run.hints_shown == [0]
    clock.now += 60
    reset = trainer.reset(run.id)
    assert reset.id == run.id and reset.resets == 1 and reset.started == clock.now
    progress = trainer.progress(run.id)
    assert done(trainer, run) == [] and progress.hints == [] and progress.run.hints_shown == []
    assert progress.app_found is False
    driver = trainer.driver(reset)  # the org was reset: its API tokens with it
    state = driver.client.tenant_state()
    assert state["tokens"] == [] and state["propagate_provisioning"] is False and state["users"] == 1
    # The run's org is as new: no app, no tasks, no log of the first try; the setup's people again.
    assert driver.client.okta_pages("/apps", limit=200) == []
    assert driver.client.tasks("ALL") == []
    assert driver.client.user_id(ALICE)


def test_completion_summary_has_the_time_taken_and_the_hints_shown(
    trainer: Trainer, clock: FakeClock
) -> None:
    run = trainer.start("exercise-group-username-format")
    driver = trainer.driver(run)
    driver.do("lab.connect")
    driver.do("okta.set_username_format", format="none")
    driver.do("okta.assign_group", group="cybozu users", services=KINTONE)
    clock.now += 30
    assert len(trainer.progress(run.id).hints) == 1
    # Fix it as the hint says: enter each member's User Name (saving retries the push).
    driver.do("okta.set_username_format", format="email_prefix")
    driver.do("okta.update_assignment", user="carol.white@example.com", user_name="carol.white")
    driver.do("okta.update_assignment", user="dave.brown@example.com", user_name="dave.brown")
    clock.now += 95
    progress = trainer.progress(run.id)
    assert progress.complete and progress.run.completed == 125.0
    assert progress.hints == []
    assert progress.shown_hints == [EXERCISES["exercise-group-username-format"].wrong_turns[0]["hint"]]
    summary = progress.to_dict()
    assert summary["complete"] and summary["seconds"] == 125.0 and len(summary["hints_shown"]) == 1


def test_bad_requests_are_refused_clearly(trainer: Trainer) -> None:
    with pytest.raises(TrainingError, match="no exercise named 'nope'; exercises: exercise-") as error:
        trainer.start("nope")
    assert error.value.status == 404
    with pytest.raises(TrainingError, match="at most 60 characters") as error:
        trainer.start("exercise-ip-restriction", "x" * 61)
    assert error.value.status == 400
    with pytest.raises(TrainingError, match="no exercise run 'zzz'") as error:
        trainer.progress("zzz")
    assert error.value.status == 404


def test_subdomains_follow_cybozus_rules() -> None:
    assert allocate("example", set()) == "example-t1"
    assert allocate("example", {"example-t1", "example-t2"}) == "example-t3"
    long = allocate("a" * 32, set())
    assert long == "a" * 29 + "-t1" and len(long) == 32


def test_runs_survive_a_restart_of_the_lab(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "training.json")
    store.save(
        Run(
            "example-t1",
            "exercise-ip-restriction",
            "example-t1",
            {"example": "example-t1"},
            "Ann",
            5.0,
            {0: 1.5},
        )
    )
    again = RunStore(tmp_path / "training.json").get("example-t1")
    assert again is not None and again.ticked == {0: 1.5} and again.trainee == "Ann"


def test_a_scenario_that_changes_the_shared_lab_cannot_be_an_exercise(tmp_path: Path) -> None:
    source = Path("scenarios/exercise-ip-restriction.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(source + "  - lab.fault: {kind: server_error}\n")
    assert load_file(path).exercise is not None
    with pytest.raises(NotAnExercise, match="lab.fault would change the lab for every trainee"):
        exercises.load_exercise(path)
    # Among other files, it is left out with its reason; the good ones still load.
    (tmp_path / "good.yaml").write_text(source)
    (tmp_path / "plain.yaml").write_text(Path("scenarios/deactivating-a-user.yaml").read_text())
    refused: list[str] = []
    assert list(exercises.load_all(tmp_path, refused)) == ["good"]
    assert len(refused) == 1 and "bad.yaml" in refused[0]


# -- the web pages ---------------------------------------------------------------


@pytest.fixture
def client(trainer: Trainer) -> Any:
    return create_app(trainer).test_client()


def test_the_exercises_page_lists_every_exercise(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    for exercise in EXERCISES.values():
        assert f'<h2 id="ex-{exercise.id}">{exercise.title}</h2>' in page
        assert f"lab train {exercise.id}" in page
    assert page.count('<label for="trainee-') == len(EXERCISES)


def test_starting_from_the_form_redirects_to_the_run_page(client: Any) -> None:
    answer = client.post("/runs", data={"exercise": "exercise-ip-restriction", "trainee": "Ann"})
    assert answer.status_code == 303
    run_id = answer.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "<h1>Diagnose the IP restriction error</h1>" in page
    assert page.count('data-state="todo"') == 5 and "Reset exercise" in page
    assert f"/{run_id}/" in page and "Administrator" in page and "admin@example.com" in page
    progress = client.get(f"/runs/{run_id}/progress.json").get_json()
    assert progress["run"] == run_id and len(progress["items"]) == 5 and progress["complete"] is False
    assert client.post(f"/runs/{run_id}/reset").status_code == 303
    assert "Ann" in client.get("/").get_data(as_text=True)


def test_the_json_api_starts_runs_and_refuses_bad_input(client: Any, lab: Sandbox) -> None:
    answer = client.post("/runs", json={"exercise": "exercise-change-login-name"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["cybozu_url"] == f"{lab.urls['cybozu']}/{body['subdomain']}/"
    assert body["run_url"].endswith(f"/runs/{body['id']}")
    refused = client.post("/runs", json={"exercise": "nope"})
    assert refused.status_code == 404 and "no exercise named 'nope'" in refused.get_json()["error"]
    assert client.post("/runs", json=["exercise"]).status_code == 400
    assert client.post("/runs", json={"exercise": "exercise-ip-restriction", "trainee": 5}).status_code == 400
    missing = client.get("/runs/nope")
    assert missing.status_code == 404 and 'role="alert"' in missing.get_data(as_text=True)
    assert client.get("/runs/nope/progress.json").get_json()["status"] == 404
    assert client.get("/no/such/page").status_code == 404


# -- lab up and lab train ------------------------------------------------------------


def test_lab_up_serves_the_exercises_and_lab_train_starts_a_run(tmp_path: Path) -> None:
    data = tmp_path / "lab"
    process = subprocess.Popen(
        [sys.executable, "-m", "lab.cli", "up", "--data-dir", str(data), "--okta-port", "0",
         "--cybozu-port", "0", "--lab-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not (data / "lab.json").exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        runtime = json.loads((data / "lab.json").read_text())
        assert "Exercises" in httpx2.get(runtime["lab_url"] + "/").text

        def train(*args: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "lab.cli", "train", *args, "--data-dir", str(data)]
            return subprocess.run(command, capture_output=True, text=True, timeout=120)

        listed = train()
        assert listed.returncode == 0 and "exercise-setup-from-scratch" in listed.stdout
        started = train("exercise-setup-from-scratch", "--trainee", "Ann")
        assert started.returncode == 0, started.stderr
        assert f"{runtime['lab_url']}/runs/example-t1" in started.stdout
        assert f"{runtime['cybozu_url']}/example-t1/" in started.stdout
        assert "Administrator / cybozu-lab-admin" in started.stdout
        assert "admin@example.com / okta-lab-admin" in started.stdout
        # The demo people already exist in the lab's Okta org: the run reuses them.
        assert "Not yet" in httpx2.get(f"{runtime['lab_url']}/runs/example-t1").text
        wrong = train("exercise-nope")
        assert wrong.returncode == 2 and "no exercise named 'exercise-nope'" in wrong.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
    assert "exercises" in out and (data / "training.json").exists()


def test_lab_train_without_a_running_lab_says_so(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "lab.cli", "train", "x", "--data-dir", str(tmp_path)]
    answer = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 2 and "no running lab found" in answer.stderr


def test_a_lab_that_is_gone_is_a_502() -> None:
    from lab.training.client import LabEndpoints

    nowhere = LabEndpoints({"okta": "http://127.0.0.1:9", "cybozu": "http://127.0.0.1:9"}, "key")
    with pytest.raises(TrainingError, match="cannot reach the lab") as error:
        Trainer(nowhere, EXERCISES).start("exercise-ip-restriction")
    assert error.value.status == 502
