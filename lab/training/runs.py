"""Exercise runs: start, judge the checklist, reset, and the completion summary.

A run's checklist item ticks when its ``done`` block matches the lab's state and
every item before it has ticked: the article's steps are a procedure, and a state
that shows a later step done can only be read as progress once the earlier ones
are. A ticked item stays ticked (the state of an earlier step may be undone by
a later one, as deleting a user and recreating it does), until "Reset exercise".
Runs are kept in ``training.json`` in the data folder so a restart of the lab
keeps them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cybozu_sim import public as cybozu_seed
from lab.drivers.api import ApiDriver
from lab.drivers.client import ActionError
from lab.replay import expectations
from lab.training.client import RunClient, in_org, org_url, run_subdomains
from lab.training.exercises import Exercise
from lab.training.plain import plain
from okta_sim import public as okta_seed
from simcore.journal import replace_durably

MAX_SUBDOMAIN = 32
HIDDEN_STEP = "A step you find yourself: the lab names it once you have done it."
# Every exercise's own wrong turn: the app was added with another Domain Name (it then follows
# no environment). Kept in hints_shown as this index, past the exercise's own.
WRONG_DOMAIN = -1
WRONG_DOMAIN_HINT = (
    'Your Okta app has the Domain Name "{found}", but your cybozu.com environment is "{subdomain}": '
    "Okta would provision into {found}.cybozu.com. Open the app's General tab, [Edit], and set the "
    'Domain Name to "{subdomain}" (the part of your cybozu.com address before .cybozu.com).'
)
MAX_TRAINEE = 60


class TrainingError(Exception):
    """A request the training app refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Run:
    id: str  # the run's cybozu.com subdomain, which is unique in the lab
    exercise: str
    subdomain: str
    renames: dict[str, str]
    trainee: str
    started: float  # wall-clock seconds: the lab clock may be frozen or moved by a trainer
    ticked: dict[int, float] = field(default_factory=dict)  # item -> seconds after the start
    hints_shown: list[int] = field(default_factory=list)  # wrong turns whose hint was shown
    completed: float | None = None  # seconds after the start
    resets: int = 0
    # The run's own Okta org (at /orgs/<org>; "" for a run from before orgs: the lab's own) and
    # the administrators' passwords of its org and environment, its trainee's alone.
    org: str = ""
    okta_password: str = ""
    cybozu_password: str = ""
    # The secret of the run's link (/runs/<id>?key=...): only its trainee (and the trainer) open it.
    key: str = ""

    def opened_by(self, key: object) -> bool:
        """Whether ``key`` opens this run (a run from before keys opens without one)."""
        return not self.key or (isinstance(key, str) and hmac.compare_digest(key, self.key))

    def logins(self) -> dict[str, tuple[str, str]]:
        """Who the trainee signs in as, in each console."""
        return {
            "okta_admin": (okta_seed.ADMIN_LOGIN, self.okta_password or okta_seed.DEFAULT_ADMIN_PASSWORD),
            "cybozu_admin": (cybozu_seed.ADMIN_LOGIN, self.cybozu_password or cybozu_seed.DEFAULT_ADMIN_PASSWORD),
        }

    def urls(self, lab: dict[str, str]) -> dict[str, str]:
        """The run's consoles in the lab whose apps answer at ``lab``."""
        return {"okta": org_url(lab["okta"], self.org), "cybozu": f"{lab['cybozu']}/{self.subdomain}"}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Run:
        doc = dict(doc)
        doc["ticked"] = {int(k): float(v) for k, v in doc.get("ticked", {}).items()}
        return cls(**doc)


@dataclass
class ItemState:
    number: int
    step: str
    done: bool
    seconds: float | None  # when it ticked, after the start
    waiting: bool  # an earlier item has not ticked yet
    detail: str = ""  # what the lab shows instead, for the next item


@dataclass
class Progress:
    run: Run
    exercise: Exercise
    items: list[ItemState]
    hints: list[str]  # wrong turns the lab's state shows now
    app_found: bool

    @property
    def complete(self) -> bool:
        return self.run.completed is not None

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def shown_hints(self) -> list[str]:
        turns = self.exercise.wrong_turns
        shown = []
        for index in self.run.hints_shown:
            if index == WRONG_DOMAIN:
                shown.append(WRONG_DOMAIN_HINT.format(found="…", subdomain=self.run.subdomain))
            elif 0 <= index < len(turns):
                shown.append(turns[index]["hint"])
        return shown

    @property
    def signature(self) -> str:
        """Changes whenever the page would: the polling script reloads on a change."""
        # What the page shows: each item's state and "The lab sees" line, the hints, whether the
        # app exists (issue 16: a page ignoring the last two stayed stale until something ticked).
        items = [[i.done, i.detail] for i in self.items]
        raw = json.dumps([items, self.hints, self.complete, self.run.resets, self.app_found])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run.id,
            "exercise": self.exercise.id,
            "subdomain": self.run.subdomain,
            "signature": self.signature,
            "complete": self.complete,
            "seconds": self.run.completed,
            "app_found": self.app_found,
            "items": [asdict(item) for item in self.items],
            "hints": self.hints,
            "hints_shown": self.shown_hints,
        }


class RunStore:
    """Runs by id, in memory and, with a path, in a JSON file replaced atomically on each change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.runs: dict[str, Run] = {}
        if path is not None and path.exists():
            self.runs = {d["id"]: Run.from_doc(d) for d in json.loads(path.read_text())}

    def save(self, run: Run) -> None:
        with self.lock:
            self.runs[run.id] = run
            self._write()

    def delete(self, run_id: str) -> None:
        with self.lock:
            self.runs.pop(run_id, None)
            self._write()

    def _write(self) -> None:
        if self.path is not None:
            payload = json.dumps([asdict(r) for r in self.runs.values()], indent=2).encode()
            replace_durably(self.path, payload)  # a crash leaves the old file or the new one

    def get(self, run_id: str) -> Run | None:
        with self.lock:
            return self.runs.get(run_id)

    def all(self) -> list[Run]:
        with self.lock:
            return sorted(self.runs.values(), key=lambda r: r.started)


def allocate(base: str, taken: set[str]) -> str:
    """``example`` -> ``example-t1``, ``example-t2``, ...: the first not in use (cybozu's rules:
    3-32 lowercase letters, digits and hyphens)."""
    number = 1
    while True:
        suffix = f"-t{number}"
        candidate = base[: MAX_SUBDOMAIN - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


class Trainer:
    """Exercise runs on one running lab (``endpoints``: URLs and lab key)."""

    def __init__(
        self,
        endpoints: Any,
        exercises: dict[str, Exercise],
        store: RunStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoints = endpoints
        self.exercises = exercises
        self.store = store or RunStore()
        self.clock = clock
        self._clients: dict[str, RunClient] = {}
        self._drivers: dict[str, ApiDriver] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._start_lock = threading.Lock()
        self._probe: RunClient | None = None  # lists the lab's environments when a run starts
        # Each run's last judged progress: the trainer's page reads it without judging again.
        self.latest: dict[str, Progress] = {}

    # -- lookups ------------------------------------------------------------------

    def exercise(self, exercise_id: Any) -> Exercise:
        if not isinstance(exercise_id, str) or exercise_id not in self.exercises:
            known = ", ".join(self.exercises) or "none"
            raise TrainingError(f"no exercise named {exercise_id!r}; exercises: {known}", 404)
        return self.exercises[exercise_id]

    def run(self, run_id: str) -> Run:
        run = self.store.get(run_id)
        if run is None:
            raise TrainingError(f"no exercise run {run_id!r}", 404)
        return run

    def client(self, run: Run) -> RunClient:
        """The run's client, made once (making one mints an Okta API token for /api/v1)."""
        with self._start_lock:
            if run.id not in self._clients:
                self._clients[run.id] = self._connect(run)
                self._drivers[run.id] = ApiDriver(self._clients[run.id])
                self._locks.setdefault(run.id, threading.Lock())
            return self._clients[run.id]

    def driver(self, run: Run) -> ApiDriver:
        """The API driver over the run's client: performs the verbs of its setup (and a solution's)."""
        self.client(run)
        return self._drivers[run.id]

    @contextmanager
    def _hold(self, run: Run) -> Iterator[RunClient]:
        """The run's lock, and its client taken under it: a reset or delete replaces the client
        (closing the old one) under that lock, so no judgement or reset uses a closed one."""
        self.client(run)  # makes the run's lock
        with self._locks[run.id]:
            yield self.client(run)

    def _forget(self, run: Run) -> None:
        """Drop the run's client (its API token dies with the org when the org is reset)."""
        with self._start_lock:
            self._clients.pop(run.id, None)
            driver = self._drivers.pop(run.id, None)
        if driver is not None:
            driver.close()

    def _connect(self, run: Run | None) -> RunClient:
        """A client of ``run`` (None: of the lab itself)."""
        try:
            return connect(self.endpoints, run) if run else RunClient(self.endpoints, "lab")
        except ActionError as error:
            raise TrainingError(f"cannot reach the lab: {error}", 502) from None

    def close(self) -> None:
        for driver in self._drivers.values():
            driver.close()
        if self._probe is not None:
            self._probe.close()

    # -- start and reset ------------------------------------------------------------

    def start(self, exercise_id: Any, trainee: Any = "") -> Run:
        """A new run: its own environment, created with the exercise's setup."""
        exercise = self.exercise(exercise_id)
        if not isinstance(trainee, str) or len(trainee.strip()) > MAX_TRAINEE:
            raise TrainingError(f"the trainee's name is text of at most {MAX_TRAINEE} characters")
        with self._start_lock:
            try:
                taken = {t["subdomain"] for t in self._root().call("cybozu", "GET", "/_lab/tenants")}
            except ActionError as error:
                raise TrainingError(f"cannot reach the lab: {error}", 502) from None
            taken |= {r.subdomain for r in self.store.all()}
            extra = len((exercise.scenario.setup.get("cybozu") or {}).get("tenants", [])) - 1
            while True:
                subdomain = allocate(exercise.base_subdomain, taken)
                renames = run_subdomains(exercise.base_subdomain, exercise.scenario.setup, subdomain)
                if not set(renames.values()) & taken and len(subdomain) + 2 * bool(extra) <= MAX_SUBDOMAIN:
                    break
                taken.add(subdomain)
            run = Run(subdomain, exercise.id, subdomain, renames, trainee.strip(), self.clock())
            run.org, run.okta_password, run.cybozu_password = subdomain, new_password(), new_password()
            run.key = secrets.token_urlsafe(16)
            self._create_org(run)
            self.store.save(run)
        self._set_up(run, exercise)
        return run

    def _root(self) -> RunClient:
        """A client of the lab itself: lists its environments, creates and resets orgs."""
        if self._probe is None:
            self._probe = self._connect(None)
        return self._probe

    def _create_org(self, run: Run, reset: bool = False) -> None:
        """The run's own Okta org, with only its administrator (reset: the same org as new)."""
        path, body = "/_lab/orgs", {"name": run.org, "admin_password": run.okta_password}
        if reset:
            path, body = f"/_lab/orgs/{run.org}/reset", {"admin_password": run.okta_password}
        try:
            self._root().call("okta", "POST", path, body)
        except ActionError as error:
            raise TrainingError(f"the lab refused the run's Okta org: {error}", 502) from None

    def _set_up(self, run: Run, exercise: Exercise) -> None:
        driver = self.driver(run)
        try:
            driver.setup(exercise.scenario.setup)
        except ActionError as error:
            raise TrainingError(f"the lab refused the exercise's setup: {error}", 502) from None

    def delete(self, run_id: str) -> None:
        """Remove a run for good: its environment(s), its Okta org (or, for a run from before
        orgs, its app in the lab's org), and the run itself."""
        run = self.run(run_id)
        with self._hold(run) as client:
            try:
                client.teardown()
                if run.org:
                    self._root().call("okta", "DELETE", f"/_lab/orgs/{run.org}")
            except ActionError as error:
                raise TrainingError(f"the lab refused to delete the run: {error}", 502) from None
            self._forget(run)
            self.latest.pop(run.id, None)
            self.store.delete(run.id)

    def reset(self, run_id: str) -> Run:
        """Reset exercise: delete the run's environment and Okta app, set it up again, start the clock again."""
        run = self.run(run_id)
        with self._hold(run) as client:
            try:
                client.teardown()
            except ActionError as error:
                raise TrainingError(f"the lab refused to reset the run: {error}", 502) from None
            if run.org:  # the org as new: people, groups, tokens, tasks and log gone too
                self._create_org(run, reset=True)
                self._forget(run)
            run.ticked, run.hints_shown, run.completed = {}, [], None
            run.started, run.resets = self.clock(), run.resets + 1
            self.store.save(run)
            self._set_up(run, self.exercise(run.exercise))
        return run

    # -- judging ----------------------------------------------------------------------

    def progress(self, run_id: str) -> Progress:
        """Tick what the lab's state now shows done, in order; note the wrong turns it shows."""
        run = self.run(run_id)
        exercise = self.exercise(run.exercise)
        with self._hold(run) as client, client.pin_app() as app_id:
            before = asdict(run)
            items: list[ItemState] = []
            blocked = False
            for index, item in enumerate(exercise.checklist):
                # A diagnosis exercise names a step, and what the lab sees of it, only once done.
                step = item["step"] if not exercise.diagnosis or index in run.ticked else HIDDEN_STEP
                if index in run.ticked:
                    items.append(ItemState(index + 1, item["step"], True, run.ticked[index], False))
                    continue
                if blocked or run.completed is not None:
                    items.append(ItemState(index + 1, step, False, None, True))
                    continue
                found = self.differences(client, item["done"])
                if not found:
                    run.ticked[index] = round(self.clock() - run.started, 1)
                    items.append(ItemState(index + 1, item["step"], True, run.ticked[index], False))
                elif exercise.diagnosis:
                    blocked = True
                    items.append(ItemState(index + 1, step, False, None, False))
                else:
                    blocked = True
                    items.append(ItemState(index + 1, item["step"], False, None, False, plain(found[0])))
            hints = []
            if run.completed is None and app_id is None:
                strays = client.stray_domains()
                if strays:
                    hints.append(WRONG_DOMAIN_HINT.format(found=strays[-1], subdomain=run.subdomain))
                    if WRONG_DOMAIN not in run.hints_shown:
                        run.hints_shown.append(WRONG_DOMAIN)
            if run.completed is None:
                for index, turn in enumerate(exercise.wrong_turns):
                    if not self.differences(client, turn["when"]):
                        hints.append(turn["hint"])
                        if index not in run.hints_shown:
                            run.hints_shown.append(index)
                if len(run.ticked) == len(exercise.checklist):
                    run.completed = round(self.clock() - run.started, 1)
            if asdict(run) != before:  # polled every few seconds: write the file only on a change
                self.store.save(run)
        progress = Progress(run, exercise, items, hints, app_id is not None)
        self.latest[run.id] = progress
        return progress

    @staticmethod
    def differences(client: RunClient, expect: dict[str, Any]) -> list[str]:
        """How the run's state differs from an expect block; a state that cannot be read yet
        (no app added, say) is a difference, so the item is simply not done."""
        try:
            return expectations.check(client.localize(expect), client, None, [])
        except ActionError as error:
            return [str(error)]
        except KeyError as error:  # the app or tenant was deleted while the check ran
            return [f"the lab's state changed while it was read ({error})"]

    def watch(self, stop: threading.Event, interval: float = 2.0) -> None:
        """Judge every unfinished run every ``interval`` seconds, so a step the trainee undoes
        quickly (a toggle off and on) is still seen while no run page is open."""
        while not stop.wait(interval):
            for run in self.store.all():
                if run.completed is None and not stop.is_set():
                    try:
                        self.progress(run.id)
                    except Exception:  # noqa: BLE001 - one run's failure must not stop the others' checks
                        continue  # the lab is stopping, or the run was deleted or reset meanwhile


def connect(endpoints: Any, run: Run) -> RunClient:
    """A client of the run in the lab at ``endpoints``: its org, environment and passwords (the
    trainer judges with one; a trainee's browser in the tests drives with another)."""
    if not run.org:  # a run from before orgs: the lab's own org and the default passwords
        return RunClient(endpoints, run.subdomain, run.renames)
    passwords = (run.okta_password, run.cybozu_password)
    return RunClient(in_org(endpoints, run.org), run.subdomain, run.renames, passwords)


def new_password() -> str:
    """A trainee's administrator password: short enough to type, too long to guess (72 bits)."""
    return secrets.token_urlsafe(9)


def run_for_cli(run: Run, urls: dict[str, str], link: str) -> dict[str, Any]:
    """What `lab train` prints and the JSON API answers about a new run (``link``: its page)."""
    consoles, logins = run.urls(urls), run.logins()
    return {
        "id": run.id,
        "exercise": run.exercise,
        "subdomain": run.subdomain,
        "run_url": link,
        "cybozu_url": f"{consoles['cybozu']}/",
        "cybozu_admin": list(logins["cybozu_admin"]),
        "okta_url": f"{consoles['okta']}/",
        "okta_admin": list(logins["okta_admin"]),
    }
