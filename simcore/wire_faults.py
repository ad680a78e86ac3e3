"""How a fired fault rule reaches the wire: before the app answers (latency, an error status, an
HTML page, a dropped connection) or after (its JSON cut short, its body trickled).

Dropping a connection is the server's business, not WSGI's: an app can only hand back a
response. So the server offers it in the WSGI environ under ``DROP_KEY`` (lab.server does,
on waitress): a callable ``drop(reset)`` after which the server sends nothing of the
response and closes the socket, with an RST for a reset (SO_LINGER 0) or a plain FIN for an
empty reply. A server without it (Flask's test client) gets a 500 saying so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from http import HTTPStatus

from flask import Flask, Response, g, request

from simcore.control import LabHooks
from simcore.faults import Fault

DROP_KEY = "simcore.drop_connection"
CANNOT_DROP = "this server cannot drop a connection; serve the app with lab.server to inject drop faults\n"
# What a proxy in front of the app answers instead of it: HTML, whatever the client asked for.
PROXY_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n"
    "<body><h1>{title}</h1><p>The proxy server could not handle the request.</p></body></html>\n"
)


def install_fault_hook(app: Flask, hooks: LabHooks) -> None:
    """Apply fired faults to every request outside ``/_lab/``."""

    @app.before_request
    def inject_fault() -> Response | None:
        if request.path.startswith("/_lab/"):
            return None
        fault = hooks.faults.take(request.method, request.path)
        if fault is None:
            return None
        if fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        if fault.drop:
            return drop_connection(reset=fault.drop == "reset")
        g.lab_fault = fault
        if fault.body == "html":
            return proxy_page(fault.status or HTTPStatus.OK)
        if fault.status is None:
            return None
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return hooks.fault_response(fault.status, request.path, headers)

    @app.after_request
    def shape_body(response: Response) -> Response:
        fault: Fault | None = g.pop("lab_fault", None)
        if fault is not None:
            response.direct_passthrough = False  # a file's answer too is read whole to be cut or trickled
            if fault.body == "truncated_json":
                body = response.get_data()
                response.set_data(body[: len(body) // 2])
            if fault.slow_body_ms:
                trickle(response, fault.slow_body_ms, fault.chunks or 2)
        return response


def drop_connection(*, reset: bool) -> Response:
    drop = request.environ.get(DROP_KEY)
    if drop is None:
        return Response(CANNOT_DROP, status=500, content_type="text/plain")
    drop(reset)
    return Response(b"", status=500)  # never sent: the server drops the connection instead


def proxy_page(status: int) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    title = "Proxy Error" if status < 400 else f"{status} {phrase}"
    return Response(PROXY_PAGE.format(title=title), status=status, content_type="text/html; charset=utf-8")


def trickle(response: Response, total_ms: int, chunks: int) -> None:
    """Send the headers and the body's first piece at once, then the other pieces one every
    ``total_ms / (pieces - 1)``: the body ends ``total_ms`` after the headers. A client whose
    read timeout is per read (Okta's, Java's) times out only if one pause is longer than it."""
    body = response.get_data()
    size = -(-len(body) // min(chunks, len(body))) if body else 0
    parts = [body[start : start + size] for start in range(0, len(body), size)] if body else []
    if len(parts) < 2:
        return
    pause = total_ms / 1000 / (len(parts) - 1)

    def pieces() -> Iterator[bytes]:
        for index, part in enumerate(parts):
            if index:
                time.sleep(pause)
            yield part

    response.response = pieces()
    response.headers["Content-Length"] = str(len(body))
