"""`lab class`: a class on the running lab, from the shell (the trainer's page does the same).

It speaks to the running lab's training app as the trainer, with the trainer's password
from the data folder (``trainer_password``, written by `lab up`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

TRAINER_PASSWORD_FILE = "trainer_password"


def add_parser(commands: Any, data_dir: str) -> None:
    parser = commands.add_parser(
        "class", help="create a class (a run per trainee, each with its own Okta org), or reset or delete runs"
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--trainees", type=int, metavar="N", help="create N trainees' runs")
    what.add_argument("--reset", metavar="RUN", help="reset one run (its id), or 'all'")
    what.add_argument("--delete", metavar="RUN", help="delete one run (its id), or 'all'")
    parser.add_argument("--exercise", default="exercise-setup-from-scratch", help="the class's exercise")
    parser.add_argument("--prefix", default="Trainee", help='the trainees\' names: "<prefix> 1", ...')
    parser.add_argument("--csv", metavar="FILE", help="where to write the class list (default: DATA_DIR/class.csv)")
    parser.add_argument("--yes", action="store_true", help="reset or delete without asking")
    parser.add_argument("--data-dir", default=data_dir)


def trainer_password(data_dir: Path) -> str:
    """The trainer's password of the lab in ``data_dir``: made once, readable by its owner only."""
    from lab.training.runs import new_password

    path = data_dir / TRAINER_PASSWORD_FILE
    if not path.exists():
        path.write_text(new_password() + new_password())
        path.chmod(0o600)
    return path.read_text().strip()


def run(args: argparse.Namespace, runtime: dict[str, Any], call: Any, error: type[Exception]) -> int:
    """``call(runtime, method, path, body, headers)`` is the CLI's JSON request to the training app."""
    data_dir = Path(args.data_dir)
    headers = {"X-Trainer-Password": trainer_password(data_dir)}
    if args.trainees is not None:
        body = {"exercise": args.exercise, "trainees": args.trainees, "prefix": args.prefix}
        answer = call(runtime, "POST", "/trainer/class", body, headers)
        target = Path(args.csv) if args.csv else data_dir / "class.csv"
        target.write_text(answer["csv"], encoding="utf-8", newline="")
        target.chmod(0o600)  # it holds every trainee's passwords
        print(f"{len(answer['runs'])} trainees' runs of {args.exercise!r}:")
        for line in answer["csv"].splitlines()[1:]:
            cells = line.split(",")
            print(f"  {cells[0]:14} {cells[2]}")
        print(f"Class list with each trainee's sign-ins: {target}")
        print(f"Trainer's page: {runtime['lab_url']}/trainer")
        return 0
    action, chosen = ("reset", args.reset) if args.reset else ("delete", args.delete)
    state = call(runtime, "GET", "/trainer/state.json", None, headers)
    runs = [row["run"] for row in state["runs"]]
    targets = runs if chosen == "all" else [chosen]
    if chosen != "all" and chosen not in runs:
        raise error(f"no run {chosen!r}; runs: {', '.join(runs) or 'none'}")
    if not args.yes:
        print(f"{action.capitalize()} {len(targets)} run(s): {', '.join(targets) or 'none'}? Type yes: ", end="")
        sys.stdout.flush()
        if sys.stdin.readline().strip() != "yes":
            print("Nothing changed.")
            return 1
    answer = call(runtime, "POST", f"/trainer/runs/{chosen}/{action}", {}, headers)
    for run_id in answer["runs"]:
        print(f"{run_id}: {action} done")
    return 0
