"""Keep-alive end to end: the lab's servers keep connections open and Okta's pushes reuse them."""

from __future__ import annotations

import gzip
import http.client
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from lab.server import ServerThread
from okta_sim.connections import ConnectionPool, Endpoint
from okta_sim.provisioning.scim_client import OktaScimClient, ScimFailure


def peer_app(environ: dict, start_response: object) -> list[bytes]:
    """Answers with the client's own port: one port across requests means one connection."""
    body = json.dumps({"port": environ["REMOTE_PORT"], "addr": environ["REMOTE_ADDR"]}).encode()
    start_response("200 OK", [("Content-Type", "application/scim+json"), ("Content-Length", str(len(body)))])  # type: ignore[operator]
    return [body]


@pytest.fixture
def peer() -> Iterator[ServerThread]:
    with ServerThread(peer_app) as server:
        yield server


def test_the_lab_server_keeps_connections_alive(peer: ServerThread) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=5)
    ports = []
    for _ in range(3):
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.getheader("Connection", "").lower() != "close"
        ports.append(json.loads(response.read())["port"])
    connection.close()
    assert len(set(ports)) == 1


def test_pushes_of_one_org_share_a_connection_per_egress_address(peer: ServerThread) -> None:
    pool = ConnectionPool()
    try:
        seen = []
        for source in ["127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.1"]:
            with OktaScimClient(peer.url + "/scim/v2", "t", source_address=source, pool=pool) as scim:
                seen.append((scim.get("x")["addr"], scim.get("y")["port"]))
        by_source: dict[str, set[str]] = {}
        for addr, port in seen:
            by_source.setdefault(addr, set()).add(port)
        # IP restriction still sees each push's own egress address, and each address kept one connection.
        assert {addr: len(ports) for addr, ports in by_source.items()} == {"127.0.0.1": 1, "127.0.0.2": 1}
    finally:
        pool.close()


class OneShotServer:
    """Answers one request per connection with keep-alive headers, then hangs up without saying so:
    what a server does when it drops an idle keep-alive connection."""

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.hung_up = threading.Event()  # set once a connection was answered and closed
        self.response = (
            b"HTTP/1.1 200 OK\r\n"
            + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                conn.sendall(self.response)
            self.hung_up.set()

    def close(self) -> None:
        self.listener.close()


def test_a_connection_the_server_dropped_while_idle_is_replaced_transparently() -> None:
    """Checked before reuse, not retried after a failure: a POST is never sent twice by the pool."""
    server = OneShotServer(b'{"ok": true}', {"Content-Type": "application/json"})
    pool = ConnectionPool()
    try:
        endpoint = Endpoint.of(f"http://127.0.0.1:{server.port}", None, 5.0)
        first = pool.send(endpoint, "GET", "/Users", None, {})
        assert server.hung_up.wait(5)
        second = pool.send(endpoint, "POST", "/Users", b"{}", {})
        assert (first.status, second.status) == (200, 200)
        assert json.loads(second.text) == {"ok": True}
        assert server.connections == 2
    finally:
        pool.close()
        server.close()


def test_okta_reads_the_gzip_it_asks_for() -> None:
    body = gzip.compress(json.dumps({"Resources": [], "totalResults": 0}).encode())
    server = OneShotServer(body, {"Content-Type": "application/scim+json", "Content-Encoding": "gzip"})
    try:
        with OktaScimClient(f"http://127.0.0.1:{server.port}/scim/v2", "t") as scim:
            assert scim.find("nobody@example.com") is None
    finally:
        server.close()


def test_a_token_http_cannot_carry_is_a_failed_push_not_a_crash(peer: ServerThread) -> None:
    with OktaScimClient(peer.url + "/scim/v2", "tok\u0100en") as scim, pytest.raises(ScimFailure) as failure:
        scim.get("x")
    assert failure.value.reason == "Connection failed"
