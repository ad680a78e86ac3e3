"""The lab's own web app: the Exercises page and each run's checklist page.

Server-rendered and usable without JavaScript (reload the page to re-judge the
checklist); a few lines of script poll the run's progress and reload the page
when it changes. It reads both apps only through their lab control APIs and
Okta's /api/v1 (see client.py).
"""

from __future__ import annotations

import secrets
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
)
from werkzeug.exceptions import HTTPException

from lab.training.classroom import run_link
from lab.training.runs import Run, Trainer, TrainingError, run_for_cli
from lab.training.trainer_web import bp as trainer_bp
from lab.training.trainer_web import signed_in as trainer_signed_in
from simcore.forms import check_same_origin

bp = Blueprint("training", __name__)
# A run's pages are opened by its secret link (?key=, or the trainer's session), not by a
# sign-in; a cross-site form post (a page the trainee visits posting to the lab) is refused by
# its Origin, and a post without the run's key is refused as an unknown run.
bp.before_request(check_same_origin)
trainer_bp.before_request(check_same_origin)


def trainer() -> Trainer:
    return current_app.extensions["trainer"]  # type: ignore[no-any-return]


def wants_json() -> bool:
    """The CLI and scripts send JSON; a browser's form post gets a page or a redirect."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


@bp.app_errorhandler(TrainingError)
def refused(error: TrainingError) -> Any:
    if wants_json() or request.path.endswith(".json"):
        return jsonify({"error": error.message, "status": error.status}), error.status
    return render_template("error.html", message=error.message, status=error.status), error.status


def opened_run(run_id: str) -> Run:
    """The run, for its trainee (the link's key, in the query, the form or the JSON body) or
    the trainer; anyone else is told there is no such run, as for a run that does not exist."""
    run = trainer().run(run_id)
    body = request.get_json(silent=True) if request.is_json else None
    key = request.args.get("key") or request.form.get("key") or (body or {}).get("key")
    if trainer_signed_in() or run.opened_by(key):
        return run
    raise TrainingError(f"no exercise run {run_id!r} (open it with the link you were given)", 404)


def public_urls() -> dict[str, str]:
    """The two apps as the trainee's browser reaches them."""
    return current_app.config["PUBLIC_URLS"]  # type: ignore[no-any-return]


def may_start() -> bool:
    """On a LAN, anyone could start runs: there the trainer does (the trainer's page, `lab class`)."""
    return not current_app.config["LAN"] or trainer_signed_in()


@bp.get("/")
def exercises() -> str:
    return render_template("exercises.html", exercises=list(trainer().exercises.values()), may_start=may_start())


@bp.post("/runs")
def start() -> Any:
    data: Any = request.form
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise TrainingError('send {"exercise": "NAME", "trainee": "your name"}')
    if not may_start():
        raise TrainingError("on this network, your trainer starts your run and gives you its link", 403)
    run = trainer().start(data.get("exercise"), data.get("trainee") or "")
    lab_url = request.host_url.rstrip("/")
    if wants_json():
        return jsonify(run_for_cli(run, public_urls(), run_link(run, lab_url))), 201
    return redirect(run_link(run, ""), 303)


@bp.get("/runs/<run_id>")
def run_page(run_id: str) -> str:
    progress = trainer().progress(opened_run(run_id).id)
    return render_template(
        "run.html", progress=progress, urls=progress.run.urls(public_urls()),
        logins=progress.run.logins(), run=progress.run,
    )


@bp.get("/runs/<run_id>/progress.json")
def run_progress(run_id: str) -> Response:
    return jsonify(trainer().progress(opened_run(run_id).id).to_dict())


@bp.post("/runs/<run_id>/reset")
def run_reset(run_id: str) -> Any:
    run = trainer().reset(opened_run(run_id).id)
    if wants_json():
        return jsonify(trainer().progress(run.id).to_dict())
    return redirect(run_link(run, ""), 303)


def create_app(
    trainer: Trainer,
    *,
    secret_key: str | None = None,
    trainer_password: str | None = None,
    public_urls: dict[str, str] | None = None,
    lan: bool = False,
) -> Flask:
    """The training app over ``trainer`` (one running lab and its exercises). The trainer's
    password is random unless given (`lab up` keeps one in the data folder); ``public_urls``
    are the apps' addresses as trainees reach them (lab/lan.py), and on a LAN (``lan``) only
    the trainer starts runs."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        TRAINER_PASSWORD=trainer_password or secrets.token_urlsafe(12),
        SESSION_COOKIE_NAME="lab_training_session",
        PUBLIC_URLS=public_urls or dict(trainer.endpoints.urls),
        LAN=lan,
    )
    app.extensions["trainer"] = trainer
    app.register_blueprint(bp)
    app.register_blueprint(trainer_bp)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        if wants_json():
            return jsonify({"error": error.description, "status": status}), status
        return render_template("error.html", message=error.description, status=status), status

    return app
