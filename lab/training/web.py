"""The lab's own web app: the Exercises page and each run's checklist page.

Server-rendered and usable without JavaScript (reload the page to re-judge the
checklist); a few lines of script poll the run's progress and reload the page
when it changes. It reads both apps only through their lab control APIs and
Okta's /api/v1 (see client.py).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException

from lab.training.runs import Trainer, TrainingError, run_for_cli
from simcore.forms import check_same_origin

bp = Blueprint("training", __name__)
# No sign-in (the pages are bound to 127.0.0.1 and hold no secret), hence no session to keep a
# CSRF token in; a cross-site form post (a page the trainee visits posting to 127.0.0.1:8003)
# is refused by its Origin instead.
bp.before_request(check_same_origin)


def trainer() -> Trainer:
    return current_app.extensions["trainer"]  # type: ignore[no-any-return]


def wants_json() -> bool:
    """The CLI and scripts send JSON; a browser's form post gets a page or a redirect."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


@bp.errorhandler(TrainingError)
def refused(error: TrainingError) -> Any:
    if wants_json() or request.path.endswith(".json"):
        return jsonify({"error": error.message, "status": error.status}), error.status
    return render_template("error.html", message=error.message, status=error.status), error.status


@bp.get("/")
def exercises() -> str:
    runs = [(run, trainer().exercises.get(run.exercise)) for run in trainer().store.all()]
    return render_template("exercises.html", exercises=list(trainer().exercises.values()), runs=runs)


@bp.post("/runs")
def start() -> Any:
    data: Any = request.form
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise TrainingError('send {"exercise": "NAME", "trainee": "your name"}')
    run = trainer().start(data.get("exercise"), data.get("trainee") or "")
    if wants_json():
        lab_url = request.host_url.rstrip("/")
        return jsonify(run_for_cli(run, trainer().endpoints.urls, lab_url)), 201
    return redirect(url_for("training.run_page", run_id=run.id), 303)


@bp.get("/runs/<run_id>")
def run_page(run_id: str) -> str:
    progress = trainer().progress(run_id)
    return render_template(
        "run.html", progress=progress, urls=progress.run.urls(trainer().endpoints.urls),
        logins=progress.run.logins(), run=progress.run
    )


@bp.get("/runs/<run_id>/progress.json")
def run_progress(run_id: str) -> Response:
    return jsonify(trainer().progress(run_id).to_dict())


@bp.post("/runs/<run_id>/reset")
def run_reset(run_id: str) -> Any:
    run = trainer().reset(run_id)
    if wants_json():
        return jsonify(trainer().progress(run.id).to_dict())
    return redirect(url_for("training.run_page", run_id=run.id), 303)


def create_app(trainer: Trainer) -> Flask:
    """The training app over ``trainer`` (one running lab and its exercises)."""
    app = Flask(__name__)
    app.extensions["trainer"] = trainer
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        if wants_json():
            return jsonify({"error": error.description, "status": status}), status
        return render_template("error.html", message=error.description, status=status), status

    return app
