"""The `lab` command: start the sandbox and act on a running one.

    lab up [--data-dir DIR] [--okta-port P] [--cybozu-port P] [--host ADDR] [--trusted-proxy ADDR]...
    lab cybozu token --subdomain S [--notes N] [--expires YYYY-MM-DD] [--data-dir DIR]
    lab okta token [--name N] [--data-dir DIR]
    lab reset [--data-dir DIR]
    lab check PATH...
    lab run PATH... [--driver api] [--junit FILE] [--report DIR [--har]] [-k EXPR] [--shard I/N]
            [--scim-url URL (--scim-token-env VAR | --scim-token-file FILE)]
    lab train [NAME] [--trainee T] [--data-dir DIR]

`lab up` writes ``lab.json`` (URLs, lab key) into the data folder; the other
commands read it to reach the running lab's control API.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from lab import class_command, lan, target
from lab.scenario import shards
from simcore.control import LAB_KEY_HEADER
from simcore.journal import StoreCorrupt, replace_durably

DEFAULT_DATA_DIR = "data"
RUNTIME_FILE = "lab.json"
DEFAULT_LAB_PORT = 8003
DEFAULT_HOST = "127.0.0.1"


class CliError(Exception):
    """A problem the user can fix; printed without a traceback, exit code 2."""


def trusted_proxy(text: str) -> str:
    """``--trusted-proxy``: refused at once when malformed, not when cybozu_sim starts."""
    from cybozu_sim.public import parse_trusted_proxies

    try:
        parse_trusted_proxies([text])
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lab", description="Okta + cybozu.com provisioning lab")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start okta_sim and cybozu_sim on 127.0.0.1")
    up.add_argument(
        "--data-dir", default=DEFAULT_DATA_DIR, help="folder of the sandbox's data (default: data)"
    )
    up.add_argument(
        "--okta-port", type=int, default=8001, help="port of okta_sim (default 8001, 0 = any free port)"
    )
    up.add_argument(
        "--cybozu-port", type=int, default=8002, help="port of cybozu_sim (default 8002, 0 = any free port)"
    )
    up.add_argument(
        "--lab-port",
        type=int,
        default=None,
        help=f"port of the lab's Exercises pages (default {DEFAULT_LAB_PORT}, or any free port when "
        "that one is busy; 0 = any free port)",
    )
    up.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to bind (default {DEFAULT_HOST}: only this machine can reach the lab)",
    )
    up.add_argument(
        "--public-url",
        metavar="URL",
        help="with --host 0.0.0.0: the address trainees reach this machine by (e.g. http://192.168.1.10), "
        "used for every printed and linked address (each app keeps its port)",
    )
    up.add_argument(
        "--inline-pushes",
        action="store_true",
        help="push to cybozu.com inside the admin's request, as the lab once did (default: queued, "
        "as Okta provisions in the background)",
    )
    up.add_argument(
        "--trusted-proxy",
        dest="trusted_proxies",
        action="append",
        default=[],
        type=trusted_proxy,
        metavar="ADDR",
        help="address or CIDR range of a reverse proxy in front of cybozu_sim whose X-Forwarded-For "
        "IP address restriction believes (repeatable; default: none, only the TCP peer counts)",
    )

    cybozu = commands.add_parser("cybozu", help="act on the running cybozu_sim")
    cybozu_commands = cybozu.add_subparsers(dest="cybozu_command", required=True)
    token = cybozu_commands.add_parser("token", help="mint a provisioning API token; prints JSON")
    token.add_argument("--subdomain", required=True)
    token.add_argument("--notes", default="")
    token.add_argument("--expires", help="YYYY-MM-DD (default: one year from today)")
    token.add_argument("--data-dir", default=DEFAULT_DATA_DIR)

    okta = commands.add_parser("okta", help="act on the running okta_sim")
    okta_commands = okta.add_subparsers(dest="okta_command", required=True)
    okta_token = okta_commands.add_parser(
        "token", help="mint an Okta API token (SSWS) for /api/v1; prints JSON"
    )
    okta_token.add_argument("--name", default="lab")
    okta_token.add_argument("--data-dir", default=DEFAULT_DATA_DIR)

    reset = commands.add_parser(
        "reset", help="put the running lab back to the demo data of a fresh `make run`"
    )
    reset.add_argument("--data-dir", default=DEFAULT_DATA_DIR)

    train = commands.add_parser(
        "train", help="start an exercise run on the running lab (no NAME: list the exercises)"
    )
    train.add_argument(
        "name", nargs="?", metavar="NAME", help="the exercise, e.g. exercise-setup-from-scratch"
    )
    train.add_argument("--trainee", default="", help="your name, shown on the Exercises page")
    train.add_argument("--data-dir", default=DEFAULT_DATA_DIR)

    class_command.add_parser(commands, DEFAULT_DATA_DIR)

    check = commands.add_parser("check", help="validate scenario files without running them")
    check.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")

    run = commands.add_parser("run", help="replay scenarios, each against its own fresh lab")
    run.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders of them")
    run.add_argument(
        "--driver",
        choices=["api", "ui"],
        default="api",
        help="api: the apps' HTTP interfaces; ui: click through the consoles in Chromium (default api)",
    )
    run.add_argument(
        "--junit",
        metavar="FILE",
        help="write JUnit XML, one testcase per scenario (with --shard, one file per shard: its suite "
        "is named 'lab scenarios (shard I/N)')",
    )
    run.add_argument("--report", metavar="DIR", help="write an HTML report with each step's SCIM wire log")
    run.add_argument(
        "--har",
        action="store_true",
        help="with --report: also each scenario's SCIM exchanges as HAR 1.2, secrets masked "
        "(DIR/artifacts/SCENARIO/exchanges.har, linked from the report)",
    )
    run.add_argument(
        "-k", dest="keyword", metavar="EXPR", help="only scenarios matching, e.g. 'limitation and not bulk'"
    )
    run.add_argument(
        "--shard",
        type=shards.parse,
        metavar="I/N",
        help="run only the I-th of N shards of the selected scenarios (CI jobs side by side; docs/ci.md)",
    )
    target.add_options(run.add_argument)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "up":
            return up(args)
        if args.command == "cybozu" and args.cybozu_command == "token":
            return cybozu_token(args)
        if args.command == "okta" and args.okta_command == "token":
            return okta_token(args)
        if args.command == "reset":
            return reset(args)
        if args.command == "train":
            return train(args)
        if args.command == "class":
            return class_command.run(args, training_runtime(args.data_dir), training_call, CliError)
        if args.command in ("check", "run"):
            from lab.replay import command

            return command.check(args) if args.command == "check" else command.run(args)
    except CliError as error:
        print(f"lab: {error}", file=sys.stderr)
        return 2
    except StoreCorrupt as error:
        print(
            f"lab: {error}\nThe data folder was damaged outside the lab (its files are written so that a "
            "crash cannot do this). Restore it from a copy, or start over with an empty --data-dir.",
            file=sys.stderr,
        )
        return 2
    return 2


def up(args: argparse.Namespace) -> int:
    from cybozu_sim import public as seed
    from lab.wiring import AppPair
    from okta_sim import public as okta_seed

    try:
        public_base = lan.check(args.host, args.public_url)
    except lan.LanError as error:
        raise CliError(str(error)) from None
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lab_key = secrets.token_urlsafe(24)
    secret_file = data_dir / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
        secret_file.chmod(0o600)
    secret = secret_file.read_text().strip()
    try:
        pair = AppPair(
            lab_key=lab_key,
            cybozu={
                "DATA_FILE": data_dir / "cybozu.json",
                "SEED_DEMO": True,
                "SECRET_KEY": secret,
                "TRUSTED_PROXIES": args.trusted_proxies,
            },
            okta={
                "DATA_FILE": data_dir / "okta.json",
                "ORGS_DIR": data_dir / "okta-orgs",  # a trainee's own org each (okta_sim.orgs)
                "SEED_DEMO": True,
                "SECRET_KEY": secret,
                "PUSH_MODE": "inline" if args.inline_pushes else "queued",
            },
            host=args.host,
            cybozu_port=args.cybozu_port,
            okta_port=args.okta_port,
        )
        cybozu_server, okta_server = pair.cybozu, pair.okta
        training_server, trainer = start_training(
            {"okta_url": okta_server.url, "cybozu_url": cybozu_server.url, "lab_key": lab_key},
            data_dir,
            args.host,
            args.lab_port,
            secret,
            public_base,
        )
    except OSError as error:
        raise CliError(
            f"cannot listen: {error}. Is another lab running? Try --okta-port 0 --cybozu-port 0 --lab-port 0."
        ) from None
    runtime = {
        "okta_url": okta_server.url,
        "cybozu_url": cybozu_server.url,
        "lab_url": training_server.url,
        "lab_key": lab_key,
        "pid": os.getpid(),
    }
    # Catch Ctrl+C / SIGTERM before lab.json announces the lab: whoever reads it may stop us at once.
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    runtime_file = data_dir / RUNTIME_FILE
    # Whole or not at all (a reader polling for the file must never see it half written), and
    # readable by its owner only (mkstemp's 0600): it holds the lab key.
    replace_durably(runtime_file, json.dumps(runtime, indent=2).encode())
    cybozu_server.start()
    okta_server.start()
    training_server.start()
    watcher_stop = threading.Event()
    threading.Thread(target=trainer.watch, args=(watcher_stop,), daemon=True).start()
    okta_url, cybozu_url, lab_url = (lan.public(s.url, public_base) for s in (okta_server, cybozu_server, training_server))
    if public_base:
        print(lan.WARNING.format(base=public_base), file=sys.stderr, flush=True)
    print(
        "\n".join(
            [
                "Okta + cybozu.com provisioning lab is running.",
                f"  okta_sim    {okta_url}/",
                f"    administrator: {okta_seed.ADMIN_LOGIN} / {okta_seed.DEFAULT_ADMIN_PASSWORD}",
                f"  cybozu_sim  {cybozu_url}/",
                f"  cybozu.com environment 'example': {cybozu_url}/{seed.DEMO_SUBDOMAIN}/",
                f"    administrator: {seed.ADMIN_LOGIN} / {seed.DEFAULT_ADMIN_PASSWORD}"
                "  (Users & System Administrators)",
                f"    user:          {seed.DEMO_USER_LOGIN} / {seed.DEFAULT_USER_PASSWORD}",
                f"  exercises   {lab_url}/   (or `lab train NAME`)",
                f"  trainer     {lab_url}/trainer   password: in {data_dir / class_command.TRAINER_PASSWORD_FILE}"
                "  (or `lab class --trainees N`)",
                f"  data folder: {data_dir.resolve()}",
                "Press Ctrl+C to stop.",
            ]
        ),
        flush=True,
    )
    stop.wait()
    watcher_stop.set()
    training_server.stop()
    trainer.close()
    okta_server.stop()
    cybozu_server.stop()
    runtime_file.unlink(missing_ok=True)
    return 0


def start_training(
    runtime: dict[str, Any], data_dir: Path, host: str, port: int | None, secret: str, public_base: str | None
) -> tuple[Any, Any]:
    """The lab's own web app (Exercises, run checklists) on ``port``, not yet started; it reaches
    the two apps only through their HTTP interfaces, like a trainee's browser would."""
    from lab.server import ServerThread
    from lab.training import exercises
    from lab.training.client import LabEndpoints
    from lab.training.runs import RunStore, Trainer
    from lab.training.web import create_app

    refused: list[str] = []
    trainer = Trainer(
        LabEndpoints.from_runtime(runtime),
        exercises.load_all(refused=refused),
        RunStore(data_dir / "training.json"),
    )
    for reason in refused:
        print(f"lab: not an exercise: {reason}", file=sys.stderr)
    app = create_app(
        trainer,
        secret_key=secret,
        trainer_password=class_command.trainer_password(data_dir),
        public_urls={name: lan.public(url, public_base) for name, url in trainer.endpoints.urls.items()},
        lan=public_base is not None,
    )
    if port is not None:
        return ServerThread(app, host, port), trainer
    # The Exercises pages are an extra: a busy default port must not stop the two apps. Werkzeug
    # exits the process on a busy port, so probe it first (as Werkzeug binds: SO_REUSEADDR).
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, DEFAULT_LAB_PORT))
        free = True
    except OSError:
        free = False
    finally:
        probe.close()
    return ServerThread(app, host, DEFAULT_LAB_PORT if free else 0), trainer


def train(args: argparse.Namespace) -> int:
    """Start an exercise run through the running lab's training app; print where to work."""
    runtime = training_runtime(args.data_dir)
    if not args.name:
        from lab.training import exercises

        for exercise in exercises.load_all().values():
            print(f"{exercise.id:36} {exercise.title}")
        return 0
    answer = training_call(runtime, "POST", "/runs", {"exercise": args.name, "trainee": args.trainee})
    print(
        "\n".join(
            [
                f"Exercise {args.name!r} started in the cybozu.com environment {answer['subdomain']!r}.",
                f"  checklist:  {answer['run_url']}",
                f"  cybozu.com: {answer['cybozu_url']}",
                f"    administrator: {' / '.join(answer['cybozu_admin'])}",
                f"  Okta:       {answer['okta_url']}  (your own org)",
                f"    administrator: {' / '.join(answer['okta_admin'])}",
                f"  In Okta, add Cybozu (cybozu.com) with the Domain Name {answer['subdomain']!r}.",
            ]
        )
    )
    return 0


def training_runtime(data_dir: str) -> dict[str, Any]:
    """The running lab, which must serve the training app."""
    runtime = running_lab(data_dir)
    if "lab_url" not in runtime:
        raise CliError("the running lab has no Exercises pages: restart it with this version's `lab up`")
    return runtime


def training_call(
    runtime: dict[str, Any], method: str, path: str, body: Any, headers: dict[str, str] | None = None
) -> Any:
    """A JSON request to the running lab's training app; its refusal becomes a CliError."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(runtime["lab_url"] + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error")
        except ValueError:
            message = error.reason
        raise CliError(str(message)) from None
    except urllib.error.URLError as error:
        raise CliError(f"cannot reach the lab at {runtime['lab_url']}: {error.reason}") from None


def running_lab(data_dir: str) -> dict[str, Any]:
    path = Path(data_dir) / RUNTIME_FILE
    try:
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        raise CliError(
            f"no running lab found ({path} is missing). Start one with `lab up --data-dir {data_dir}`."
        ) from None


def control(runtime: dict[str, Any], app: str, method: str, path: str, body: Any = None) -> Any:
    """Call a running app's lab control API; return the decoded JSON answer."""
    url = runtime[f"{app}_url"] + path
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header(LAB_KEY_HEADER, runtime["lab_key"])
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error")
        except ValueError:
            message = error.reason
        raise CliError(f"{app}_sim refused: {message}") from None
    except urllib.error.URLError as error:
        raise CliError(
            f"cannot reach {app}_sim at {url}: {error.reason}. Is `lab up` still running?"
        ) from None


def cybozu_token(args: argparse.Namespace) -> int:
    runtime = running_lab(args.data_dir)
    body = {"notes": args.notes}
    if args.expires:
        body["expires"] = args.expires
    answer = control(runtime, "cybozu", "POST", f"/_lab/tenants/{args.subdomain}/tokens", body)
    print(json.dumps({"token": answer["token"], "scim_endpoint": answer["scim_endpoint"]}))
    return 0


def reset(args: argparse.Namespace) -> int:
    """Start the sandbox over without restarting it: the demo data of a fresh `make run`."""
    runtime = running_lab(args.data_dir)
    for app in ("okta", "cybozu"):
        control(runtime, app, "POST", "/_lab/reset", {"demo": True})
    print("Both apps are back to the demo data of a fresh `make run`.")
    return 0


def okta_token(args: argparse.Namespace) -> int:
    runtime = running_lab(args.data_dir)
    answer = control(runtime, "okta", "POST", "/_lab/api-tokens", {"name": args.name})
    print(json.dumps({"token": answer["token"], "org_url": answer["org_url"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
