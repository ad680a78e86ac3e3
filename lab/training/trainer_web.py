"""The trainer's pages: sign-in, every run of the class live, reset or delete a trainee's run,
create a class, and the class list as CSV; the same as JSON for scripts and `lab class`.

Behind the trainer's password (printed by `lab up`, kept in the data folder): a signed-in
session for the browser, whose forms carry a CSRF token, or the ``X-Trainer-Password``
header for scripts.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from lab.training import classroom
from lab.training.runs import Trainer, TrainingError
from simcore.forms import check_csrf, csrf_token

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
PASSWORD_HEADER = "X-Trainer-Password"
SESSION_TRAINER = "trainer"
REFRESH_SECONDS = 5


def trainer() -> Trainer:
    return current_app.extensions["trainer"]  # type: ignore[no-any-return]


def lab_url() -> str:
    return request.host_url.rstrip("/")


def password_matches(given: object) -> bool:
    expected = str(current_app.config["TRAINER_PASSWORD"])
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def signed_in() -> bool:
    """The trainer's browser session, or a script sending the trainer's password."""
    return bool(session.get(SESSION_TRAINER)) or password_matches(request.headers.get(PASSWORD_HEADER))


def trainer_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse anyone but the trainer; a browser's form post must carry the session's CSRF token."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not signed_in():
            if request.method == "GET" and not request.path.endswith(".json") and not request.is_json:
                return redirect(url_for("trainer.login"))
            return jsonify({"error": "the trainer's password is needed", "status": 401}), 401
        if request.method == "POST" and PASSWORD_HEADER not in request.headers:
            check_csrf()
        return view(*args, **kwargs)

    return wrapper


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "trainer_signed_in": signed_in}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        check_csrf()
        if password_matches(request.form.get("password")):
            session.clear()
            session[SESSION_TRAINER] = True
            return redirect(url_for("trainer.page"), 303)
        error = "That is not the trainer's password (`lab up` printed it; it is in the data folder)."
    return render_template("trainer_login.html", error=error)


@bp.post("/logout")
@trainer_only
def logout() -> Response:
    session.clear()
    return redirect(url_for("trainer.login"), 303)


def class_state() -> dict[str, Any]:
    now = trainer().clock()
    rows = [classroom.run_row(trainer(), run, now) for run in trainer().store.all()]
    return {"runs": rows, "stuck_after_seconds": classroom.STUCK_SECONDS}


@bp.get("")
@trainer_only
def page() -> str:
    return render_template(
        "trainer.html", state=class_state(), exercises=trainer().exercises, refresh=REFRESH_SECONDS
    )


@bp.get("/state.json")
@trainer_only
def page_json() -> Response:
    return jsonify(class_state())


@bp.post("/class")
@trainer_only
def create_class() -> Any:
    data: Any = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(data, "get"):  # a JSON body that is no object
        raise TrainingError('send {"exercise": "NAME", "trainees": N}')
    trainees = data.get("trainees")
    if isinstance(trainees, str) and trainees.isdigit():
        trainees = int(trainees)
    runs = classroom.create_class(trainer(), data.get("exercise"), trainees, data.get("prefix") or "Trainee")
    if request.is_json:
        csv = classroom.class_csv(runs, current_app.config["PUBLIC_URLS"], lab_url())
        return jsonify({"runs": [classroom.run_row(trainer(), r, trainer().clock()) for r in runs], "csv": csv}), 201
    return redirect(url_for("trainer.page"), 303)


@bp.get("/class.csv")
@trainer_only
def class_csv() -> Response:
    body = classroom.class_csv(trainer().store.all(), current_app.config["PUBLIC_URLS"], lab_url())
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="class.csv"'}
    )


ALL = "all"  # no run is called so: a run's id is a subdomain ending in -t<n> (runs.allocate)


@bp.route("/runs/<run_id>/<any(reset, delete):action>", methods=["GET", "POST"])
@trainer_only
def run_action(run_id: str, action: str) -> Any:
    """Reset or delete one trainee's run, or every run (``all``): a GET asks first, the POST does it."""
    runs = trainer().store.all() if run_id == ALL else [trainer().run(run_id)]
    if request.method == "GET":
        return render_template("trainer_confirm.html", runs=runs, action=action, every=run_id == ALL)
    act = trainer().reset if action == "reset" else trainer().delete
    for run in runs:
        act(run.id)
    if request.is_json or PASSWORD_HEADER in request.headers:
        return jsonify({"runs": [run.id for run in runs], "done": action})
    return redirect(url_for("trainer.page"), 303)
