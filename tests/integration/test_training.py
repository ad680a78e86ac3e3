"""Training runs on one shared lab: isolation, ordered and lasting ticks, Reset exercise,
the completion summary, the web pages and `lab train`."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from lab.drivers.client import ActionError
from lab.replay.sandbox import Sandbox
from lab.scenario.loader import load_file
from lab.training import classroom, exercises
from lab.training.client import RunClient
from lab.training.exercises import NotAnExercise
from lab.training.runs import HIDDEN_STEP, Run, RunStore, Trainer, TrainingError, allocate
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
    assert progress.hints and progress.run.hints_shown == [3]  # the fourth wrong turn: a sync ERROR
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


def test_starting_from_the_form_redirects_to_the_run_page(client: Any, trainer: Trainer) -> None:
    answer = client.post("/runs", data={"exercise": "exercise-ip-restriction", "trainee": "Ann"})
    assert answer.status_code == 303
    link = answer.headers["Location"]
    run_id, key = link.split("/runs/", 1)[1].split("?key=")
    run = trainer.run(run_id)
    assert key == run.key and len(key) >= 20
    page = client.get(link).get_data(as_text=True)
    assert "<h1>Diagnose the IP restriction error</h1>" in page
    assert page.count('data-state="todo"') == 5 and "Reset exercise" in page
    assert f"/orgs/{run.org}/" in page and f"/{run_id}/" in page
    assert run.okta_password in page and run.cybozu_password in page  # the trainee's own sign-ins
    progress = client.get(f"/runs/{run_id}/progress.json?key={key}").get_json()
    assert progress["run"] == run_id and len(progress["items"]) == 5 and progress["complete"] is False
    assert client.post(f"/runs/{run_id}/reset", data={"key": key}).status_code == 303
    assert "Ann" not in client.get("/").get_data(as_text=True)  # the Exercises page lists no runs


def test_a_class_gets_an_org_each_and_the_trainer_sees_every_run(
    client: Any, trainer: Trainer, lab: Sandbox, clock: FakeClock
) -> None:
    runs = classroom.create_class(trainer, "exercise-ip-restriction", 3)
    assert [r.trainee for r in runs] == ["Trainee 1", "Trainee 2", "Trainee 3"]
    rows = list(csv.reader(io.StringIO(classroom.class_csv(runs, lab.urls, "http://lab"))))
    assert rows[0] == classroom.CSV_COLUMNS and len(rows) == 4
    assert len({row[5] for row in rows[1:]} | {row[8] for row in rows[1:]}) == 6  # six passwords
    assert rows[1][2] == f"http://lab/runs/{runs[0].id}?key={runs[0].key}"
    trainer_app = client.application
    password = {"X-Trainer-Password": trainer_app.config["TRAINER_PASSWORD"]}
    for run in runs:
        trainer.progress(run.id)
    clock.now += classroom.STUCK_SECONDS + 1
    state = client.get("/trainer/state.json", headers=password).get_json()
    assert [row["trainee"] for row in state["runs"]] == ["Trainee 1", "Trainee 2", "Trainee 3"]
    first = state["runs"][0]
    assert first["current_step"] and first["done"] == 0 and first["stuck"] is True
    page = client.get("/trainer", headers=password).get_data(as_text=True)
    assert page.count('class="stuck"') == 3 and 'http-equiv="refresh"' in page
    # The trainer opens any run without its key; resets and deletes one trainee's run.
    assert client.get(f"/runs/{runs[1].id}", headers=password).status_code == 200
    assert client.post(f"/trainer/runs/{runs[1].id}/reset", headers=password).get_json()["done"] == "reset"
    assert client.post(f"/trainer/runs/{runs[2].id}/delete", headers=password).status_code == 200
    assert [r.id for r in trainer.store.all()] == [runs[0].id, runs[1].id]
    root = RunClient(lab, "probe")
    try:
        orgs = {o["name"] for o in root.call("okta", "GET", "/_lab/orgs")}
        assert {runs[0].org, runs[1].org} <= orgs and runs[2].org not in orgs
        assert runs[2].subdomain not in {t["subdomain"] for t in root.call("cybozu", "GET", "/_lab/tenants")}
    finally:
        root.close()
    asked = client.get("/trainer/runs/all/delete", headers=password).get_data(as_text=True)
    assert "Delete every run (2)?" in asked and runs[0].subdomain in asked and runs[1].subdomain in asked
    everyone = client.post("/trainer/runs/all/reset", headers=password).get_json()
    assert everyone == {"runs": [runs[0].id, runs[1].id], "done": "reset"}
    assert [r.resets for r in trainer.store.all()] == [1, 2]
    refused = client.post("/trainer/class", json={"exercise": "nope", "trainees": 2}, headers=password)
    assert refused.status_code == 404 and len(trainer.store.all()) == 2
    assert client.post("/trainer/class", json={"exercise": "exercise-ip-restriction", "trainees": 0},
                       headers=password).status_code == 400  # fmt: skip


def test_a_run_opens_only_with_its_key(client: Any, trainer: Trainer) -> None:
    """Issue 16: anyone could open and reset anyone's run, also with a plain POST."""
    run = trainer.start("exercise-ip-restriction", "Ann")
    for key in ("", "?key=wrong", f"?key={run.key[:-1]}"):
        page = client.get(f"/runs/{run.id}{key}")
        assert page.status_code == 404 and run.okta_password not in page.get_data(as_text=True)
        assert client.get(f"/runs/{run.id}/progress.json{key}").status_code == 404
    resets = run.resets
    assert client.post(f"/runs/{run.id}/reset").status_code == 404
    assert client.post(f"/runs/{run.id}/reset", json={"key": "wrong"}).status_code == 404
    assert trainer.run(run.id).resets == resets
    assert client.post(f"/runs/{run.id}/reset", json={"key": run.key}).status_code == 200


def test_the_json_api_starts_runs_and_refuses_bad_input(client: Any, lab: Sandbox) -> None:
    answer = client.post("/runs", json={"exercise": "exercise-change-login-name"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["cybozu_url"] == f"{lab.urls['cybozu']}/{body['subdomain']}/"
    assert f"/runs/{body['id']}?key=" in body["run_url"]
    assert body["okta_url"] == f"{lab.urls['okta']}/orgs/{body['id']}/"
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
        assert f"{runtime['lab_url']}/runs/example-t1?key=" in started.stdout
        assert f"{runtime['cybozu_url']}/example-t1/" in started.stdout
        assert f"{runtime['okta_url']}/orgs/example-t1/" in started.stdout
        assert "Administrator / " in started.stdout and "cybozu-lab-admin" not in started.stdout
        assert "admin@example.com / " in started.stdout and "okta-lab-admin" not in started.stdout
        link = next(w for w in started.stdout.split() if "/runs/example-t1?key=" in w)
        assert "Not yet" in httpx2.get(link).text
        assert httpx2.get(f"{runtime['lab_url']}/runs/example-t1").status_code == 404
        wrong = train("exercise-nope")
        assert wrong.returncode == 2 and "no exercise named 'exercise-nope'" in wrong.stderr

        def lab_class(*args: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "lab.cli", "class", *args, "--data-dir", str(data)]
            return subprocess.run(command, capture_output=True, text=True, timeout=120, input="no\n")

        made = lab_class("--trainees", "2")
        assert made.returncode == 0, made.stderr
        rows = (data / "class.csv").read_text().splitlines()
        assert len(rows) == 3 and rows[1].startswith("Trainee 1,example-t2,")
        assert oct((data / "class.csv").stat().st_mode & 0o777) == "0o600"
        assert lab_class("--delete", "all").returncode == 1  # asked, and "no" was the answer
        deleted = lab_class("--delete", "all", "--yes")
        assert deleted.returncode == 0 and deleted.stdout.count("delete done") == 3, deleted.stdout
        orgs = httpx2.get(runtime["okta_url"] + "/_lab/orgs", headers={"X-Lab-Key": runtime["lab_key"]}).json()
        assert orgs == []
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


def test_the_page_reloads_when_what_it_shows_changes_not_only_a_tick(trainer: Trainer) -> None:
    """Issue 16: the change check ignored "The lab sees" and whether the app exists."""
    run = trainer.start("exercise-setup-from-scratch")
    driver = trainer.driver(run)
    before = trainer.progress(run.id)
    assert before.app_found is False
    driver.do("cybozu.create_api_token", notes="Okta", validity="1 year")  # item 1 ticks: the next item's detail is new
    ticked = trainer.progress(run.id)
    assert ticked.signature != before.signature
    driver.do("okta.add_catalog_app", search="cybozu", domain_name="example")  # the app appears
    added = trainer.progress(run.id)
    assert added.app_found is True and added.done_count == ticked.done_count
    assert added.signature != ticked.signature
    assert trainer.progress(run.id).signature == added.signature  # nothing changed: no reload


def test_the_watcher_survives_resets_and_deletes_while_it_judges(trainer: Trainer) -> None:
    """A reset replaces a run's client under the run's lock; the watcher never uses a closed one,
    and one run's failure never stops the others' checks."""
    keep, churn = (trainer.start("exercise-setup-from-scratch", name) for name in ("Ann", "Ben"))
    stop = threading.Event()
    watcher = threading.Thread(target=trainer.watch, args=(stop, 0.01), daemon=True)
    watcher.start()
    try:
        for _ in range(3):
            trainer.reset(churn.id)
        trainer.delete(churn.id)
        trainer.driver(keep).do("cybozu.create_api_token", notes="Okta", validity="1 year")
        deadline = time.monotonic() + 30
        while not (keep.id in trainer.latest and trainer.latest[keep.id].done_count >= 1):
            assert watcher.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        assert watcher.is_alive()
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_an_app_with_another_domain_name_gets_its_hint(trainer: Trainer) -> None:
    run = trainer.start("exercise-setup-from-scratch")
    driver = trainer.driver(run)
    driver.do("okta.add_catalog_app", search="cybozu", domain_name="example-typo")
    progress = trainer.progress(run.id)
    assert progress.app_found is False
    assert any('Domain Name "example-typo"' in hint and f'"{run.subdomain}"' in hint for hint in progress.hints)
    assert progress.shown_hints  # recorded for the completion summary


def test_a_diagnosis_exercise_names_a_step_only_once_it_is_done(trainer: Trainer) -> None:
    exercise = trainer.exercise("exercise-ip-restriction")
    assert exercise.diagnosis
    run = trainer.start(exercise.id)
    progress = trainer.progress(run.id)
    assert all(item.step == HIDDEN_STEP and not item.detail for item in progress.items)
    trainer.driver(run).do("cybozu.create_api_token", notes="Okta", validity="1 year")
    trainer.driver(run).do("cybozu.set_propagate_provisioning", enabled=True)
    shown = trainer.progress(run.id).items
    assert shown[0].done and shown[0].step == exercise.checklist[0]["step"]
    assert shown[1].step == HIDDEN_STEP
