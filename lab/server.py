"""Serve a WSGI app on 127.0.0.1 in a background thread (for `lab up`, the sandboxes and tests).

The server is waitress, not Werkzeug's development server: Werkzeug's server
sends ``Connection: close`` on every response (Python's http.server cannot
drain an unread body before the next request), so every SCIM request Okta's
client sends would pay for a new TCP connection and a new thread. waitress
keeps HTTP/1.1 connections alive and serves them from a fixed pool of worker
threads; on a bare endpoint it measured 1.41 ms per request against
Werkzeug's 2.39 ms (bench/README.md).

waitress puts the TCP peer's address in REMOTE_ADDR, which is what IP
address restriction checks; it is told to trust no proxy and to pass proxy
headers through unchanged: cybozu_sim believes X-Forwarded-For only when the
peer is a proxy it was configured to trust (docs/security.md).

The lab's fault injection needs one thing WSGI has no word for: ending a
connection without an answer. Each request's environ carries
``simcore.wire_faults.DROP_KEY``, a ``drop(reset)`` the app calls instead of
answering; the server then writes nothing of the response and closes the
socket, with SO_LINGER 0 for a reset (the kernel sends an RST) or plainly for
an empty reply (a FIN after zero bytes), as a crashed backend or a proxy would.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import WSGITask

from simcore.wire_faults import DROP_KEY

# Worker threads per server: enough for a scenario's slow faults (a request sleeping past
# Okta's timeout) and a browser's parallel requests to be served while others wait.
THREADS = 16
# How often the serving loop looks at its stop flag: the longest stop() waits.
POLL_SECONDS = 0.05

# A busy pool is normal in the load tests; waitress would warn on each queued request.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class DroppableTask(WSGITask):
    """A request whose app may ask, through the environ, for its connection to be dropped."""

    dropping: str | None = None  # "reset" or "close" once the app asked

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[DROP_KEY] = self.drop
        return environ

    def drop(self, reset: bool) -> None:
        self.dropping = "reset" if reset else "close"

    def write(self, data: bytes) -> None:
        if self.dropping is None:
            super().write(data)

    def finish(self) -> None:
        if self.dropping is None:
            super().finish()
            return
        # Nothing was written; the channel closes the socket once this task ends.
        self.close_on_finish = True
        if self.dropping == "reset":
            self.channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class LabChannel(HTTPChannel):
    task_class = DroppableTask


class LabServer(TcpWSGIServer):
    channel_class = LabChannel


class ServerThread:
    """A started WSGI server on ``host:port`` (port 0 picks a free ephemeral port)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, *, threads: int = THREADS) -> None:
        # clear_untrusted_proxy_headers=False: waitress would otherwise drop X-Forwarded-For, and
        # cybozu_sim's own rule (believe it only from a configured trusted proxy) needs to see it.
        self.server = LabServer(
            app, host=host, port=port, threads=threads, ident="", clear_untrusted_proxy_headers=False
        )
        self.app = app
        self.host = host
        self.port: int = self.server.effective_port  # type: ignore[assignment]
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True, name=f"server-{self.port}")

    @property
    def url(self) -> str:
        """Where this machine reaches the server: a wildcard bind is reached on the loopback."""
        host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(self.host, self.host)
        return f"http://{host}:{self.port}"

    def _serve(self) -> None:
        map_ = self.server._map
        while not self._stopping.is_set() and map_:
            wasyncore.loop(timeout=POLL_SECONDS, map=map_, use_poll=True, count=1)
        # Let the requests being served finish first (a worker ends by pulling the trigger, which
        # must still be open), then close every channel and the listening socket from this thread.
        self.server.task_dispatcher.shutdown(timeout=1)
        for channel in list(map_.values()):
            channel.close()

    def start(self) -> ServerThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        # No wake-up through waitress's trigger: the serving thread may be closing it this very
        # moment (a write to a closed, or reused, descriptor); it notices the flag within a poll.
        self._stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        else:  # never started: release the socket
            self.server.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
