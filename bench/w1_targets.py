"""W1's targets, each served in a process of its own by the HTTP server under comparison.

``python -m bench.w1_targets`` serves ``W1_TARGET`` with waitress (``lab.server``, what the lab
uses); granian and gunicorn import :func:`app_from_env` as a factory in their worker. Every
target writes where its SCIM endpoint is and how to authenticate to the file ``W1_INFO``, so
the client finds it whatever server started it. A process per target keeps the client's
interpreter (and its GIL) out of every server's way, alike for all.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request

from simcore.control import LAB_KEY_HEADER

TOKEN = "bench-token"
SUBDOMAIN = "bench"
TENANT = {"subdomain": SUBDOMAIN, "licenses": {"kintone": 100000}, "propagate_provisioning": True}
Target = tuple[Any, str, dict[str, str]]  # (WSGI app, SCIM base path, request headers)


def cybozu_memory() -> Target:
    """cybozu_sim's full path on a memory store: tenant, IP restriction, token check, SCIM rules."""
    import cybozu_sim.app

    app = cybozu_sim.app.create_app()
    lab = app.test_client()
    token = tenant_token(
        lambda path, body, headers: lab.post(path, json=body, headers=headers).get_json(),
        app.config["LAB_KEY"],
    )
    return app, f"/{SUBDOMAIN}/scim/v2", {"Authorization": f"Bearer {token}"}


Post = Callable[[str, dict[str, Any], dict[str, str]], Any]  # (path, JSON body, headers) -> JSON answer


def tenant_token(post: Post, lab_key: str) -> str:
    """Create the bench tenant through cybozu_sim's lab API (in process, or over HTTP for lab up);
    return its API token."""
    key = {LAB_KEY_HEADER: lab_key}
    post("/_lab/tenants", TENANT, key)
    return str(post(f"/_lab/tenants/{SUBDOMAIN}/tokens", {}, key)["token"])


def scim2_server() -> Target:
    """python-scim's reference server: BearerTokenApplication over InMemoryStorage."""
    from scim2_server.memory import InMemoryStorage
    from scim2_server.testserver.application import BearerTokenApplication
    from scim2_server.utils import load_default_provider

    app = BearerTokenApplication(InMemoryStorage(), load_default_provider(), bearer_tokens=[TOKEN])
    return app, "/v2", {"Authorization": f"Bearer {TOKEN}"}


def flask_ceiling() -> Target:
    """The same routes answering a constant JSON: the cost of the server, the client and Flask."""
    app = Flask("ceiling")
    answer = {"id": "x", "userName": "x"}

    @app.route("/v2/Users", methods=["GET", "POST"])
    def users() -> Any:
        request.get_data()
        if request.method == "POST":
            return jsonify(answer), 201
        return jsonify({"totalResults": 1, "Resources": [answer], "startIndex": 1, "itemsPerPage": 1})

    @app.route("/v2/Users/<user_id>", methods=["PUT", "PATCH"])
    def user(user_id: str) -> Any:
        request.get_data()
        return jsonify(answer)

    return app, "/v2", {}


APPS: dict[str, Callable[[], Target]] = {
    "cybozu_sim": cybozu_memory,
    "scim2-server": scim2_server,
    "flask": flask_ceiling,
}


def app_from_env() -> Any:
    """The WSGI app named by ``W1_TARGET``; its base path and headers go to ``W1_INFO``."""
    app, base, headers = APPS[os.environ["W1_TARGET"]]()
    Path(os.environ["W1_INFO"]).write_text(json.dumps({"base": base, "headers": headers}))
    return app


def main() -> int:
    """Serve the target with waitress on ``W1_PORT`` until SIGTERM."""
    from lab.server import ServerThread

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ServerThread(app_from_env(), port=int(os.environ["W1_PORT"])):
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
