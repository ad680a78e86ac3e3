"""Serve a WSGI app on 127.0.0.1 in a background thread (for `lab up` and integration tests).

Werkzeug's threaded server puts the TCP peer's address in REMOTE_ADDR, which is
what IP address restriction checks; no proxy header is ever trusted.
"""

from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    """Keep-alive capable request handler that does not log every request."""

    protocol_version = "HTTP/1.1"

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class ServerThread:
    """A started WSGI server on ``host:port`` (port 0 picks a free ephemeral port)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=QuietHandler
        )
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_port
        # A short poll makes stop() quick (a scenario starts and stops two servers).
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
