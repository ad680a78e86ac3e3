"""A class: a run per trainee, created at once, and what the trainer sees of every run.

The trainer's page and its JSON read each run's last judged progress (Trainer.latest,
refreshed by the watcher every few seconds), never the two apps again: a class of thirty
costs the lab no more requests than thirty trainees' own pages.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from lab.training.runs import MAX_TRAINEE, Run, Trainer, TrainingError

# A trainee this long on one step is highlighted on the trainer's page (inference: the
# article's longest step, the API integration, takes a new admin about ten minutes).
STUCK_SECONDS = 600
MAX_CLASS = 60  # each trainee has an org (127.1.<n>.x egress) and an environment of their own

CSV_COLUMNS = [
    "trainee", "run", "run link", "okta url", "okta admin", "okta password",
    "cybozu.com url", "cybozu.com admin", "cybozu.com password", "domain name",
]  # fmt: skip


def run_link(run: Run, lab_url: str) -> str:
    """The run's secret link: whoever has it sees the run's page and its passwords."""
    return f"{lab_url}/runs/{run.id}?key={run.key}" if run.key else f"{lab_url}/runs/{run.id}"


def create_class(trainer: Trainer, exercise: Any, trainees: Any, prefix: Any = "Trainee") -> list[Run]:
    """``trainees`` runs of ``exercise``, named "<prefix> 1", "<prefix> 2", ...; all or none (a
    refusal halfway deletes the runs already made)."""
    if isinstance(trainees, bool) or not isinstance(trainees, int) or not 1 <= trainees <= MAX_CLASS:
        raise TrainingError(f"a class has 1 to {MAX_CLASS} trainees, not {trainees!r}")
    if not isinstance(prefix, str) or not prefix.strip() or len(prefix) > MAX_TRAINEE - 3:
        raise TrainingError(f"the trainees' name prefix is text of 1 to {MAX_TRAINEE - 3} characters")
    trainer.exercise(exercise)  # an unknown exercise is refused before anything is made
    made: list[Run] = []
    try:
        for number in range(1, trainees + 1):
            made.append(trainer.start(exercise, f"{prefix.strip()} {number}"))
    except TrainingError:
        for run in made:
            trainer.delete(run.id)
        raise
    return made


def run_row(trainer: Trainer, run: Run, now: float) -> dict[str, Any]:
    """One run as the trainer sees it: where the trainee is, for how long, the hints shown."""
    exercise = trainer.exercises.get(run.exercise)
    checklist = exercise.checklist if exercise else []
    current = next((i for i in range(len(checklist)) if i not in run.ticked), None)
    elapsed = (run.completed if run.completed is not None else now - run.started)
    on_step = None if run.completed is not None else round(elapsed - max(run.ticked.values(), default=0.0), 1)
    progress = trainer.latest.get(run.id)
    return {
        "run": run.id,
        "trainee": run.trainee,
        "exercise": run.exercise,
        "title": exercise.title if exercise else run.exercise,
        "org": run.org,
        "subdomain": run.subdomain,
        "done": len(run.ticked),
        "steps": len(checklist),
        "current_step": checklist[current]["step"] if current is not None and run.completed is None else None,
        "seconds_on_step": on_step,
        "stuck": on_step is not None and on_step > STUCK_SECONDS,
        "hints_now": progress.hints if progress else [],
        "hints_shown": len(run.hints_shown),
        "complete": run.completed is not None,
        "seconds": round(elapsed, 1),
        "resets": run.resets,
    }


def class_csv(runs: list[Run], urls: dict[str, str], lab_url: str) -> str:
    """The class list for the trainer to hand out: each trainee's link and sign-ins."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        consoles, logins = run.urls(urls), run.logins()
        writer.writerow([
            run.trainee, run.id, run_link(run, lab_url),
            consoles["okta"] + "/", *logins["okta_admin"],
            consoles["cybozu"] + "/", *logins["cybozu_admin"], run.subdomain,
        ])  # fmt: skip
    return out.getvalue()
