"""The lab's connection and body faults on a real socket (cybozu_sim served by lab.server), and
what Okta's SCIM client makes of each: the text of its task, and whether it sends the request
again (a request that is safe to repeat is; a POST, which the server may have processed, is not)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import cybozu_sim.app
from lab.server import ServerThread
from okta_sim.provisioning.scim_client import OktaScimClient, ScimFailure
from tests.conftest import Lab

pytestmark = pytest.mark.integration


@dataclass
class Served:
    server: ServerThread
    lab: Lab
    token: str

    @property
    def scim_url(self) -> str:
        return self.server.url + "/acme/scim/v2"

    def fault(self, **spec: Any) -> None:
        self.lab.call("POST", "/faults", {"path": "/scim/v2/", **spec}, expect=201)

    def fired(self) -> int:
        return int(self.lab.call("GET", "/faults")[0]["fired"])

    def request(self, target: str = "/acme/scim/v2/Users") -> bytes:
        return (
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
            "Accept: application/scim+json\r\n\r\n"
        ).encode()

    def client(self, *, timeout: float = 5.0) -> OktaScimClient:
        return OktaScimClient(self.scim_url, self.token, timeout=timeout, transient_retries=1, sleep=lambda _: None)

    def user(self, login: str) -> dict[str, Any]:
        return {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": login,
            "name": {"givenName": "Test", "familyName": "User"},
            "displayName": "Test User",
            "emails": [{"value": login, "primary": True}],
            "active": True,
        }

    def logins(self) -> list[str]:
        return [user["login"] for user in self.lab.users("acme")]


@pytest.fixture
def served() -> Iterator[Served]:
    app = cybozu_sim.app.create_app({})
    lab = Lab(app)
    lab.tenant("acme")
    token = lab.token("acme", notes="Okta")
    with ServerThread(app) as server:
        yield Served(server, lab, token)


def connect(served: Served) -> socket.socket:
    return socket.create_connection(("127.0.0.1", served.server.port), timeout=5)


def test_a_reset_fault_resets_the_connection_without_a_byte(served: Served) -> None:
    served.fault(drop="reset", times=1)
    with connect(served) as sock:
        sock.sendall(served.request())
        with pytest.raises(ConnectionResetError):
            sock.recv(65536)
    with connect(served) as sock:  # the server itself is fine
        sock.sendall(served.request())
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")


def test_an_empty_reply_closes_the_connection_after_zero_bytes(served: Served) -> None:
    served.fault(drop="close", times=1)
    with connect(served) as sock:
        sock.sendall(served.request())
        assert sock.recv(65536) == b""


def read_headers(sock: socket.socket) -> tuple[bytes, bytes]:
    """The response's head, and whatever of the body came with it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "closed before the headers"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def read_to(sock: socket.socket, body: bytes, size: int) -> bytes:
    while len(body) < size:
        chunk = sock.recv(65536)
        assert chunk, "closed before the end of the body"
        body += chunk
    return body


def test_a_slow_body_sends_the_headers_then_trickles_the_body(served: Served) -> None:
    with connect(served) as sock:
        sock.sendall(served.request())
        head, whole = read_headers(sock)
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        whole = read_to(sock, whole, length)
    served.fault(slow_body_ms=2000, chunks=2, times=1)
    with connect(served) as sock:
        sock.sendall(served.request())
        head, body = read_headers(sock)
        assert head.startswith(b"HTTP/1.1 200 OK") and f"Content-Length: {len(whole)}".encode() in head
        body = read_to(sock, body, len(whole) // 2)  # the first piece comes with the headers
        assert whole.startswith(body) and len(body) < len(whole)
        sock.settimeout(0.3)  # the pause (2 s) outlasts a short read timeout ...
        with pytest.raises(TimeoutError):
            sock.recv(65536)
        sock.settimeout(5)  # ... and the rest of the body follows
        assert read_to(sock, body, len(whole)) == whole


def test_okta_tries_a_reset_get_once_more_then_says_connection_reset(served: Served) -> None:
    served.fault(drop="reset", times=5)
    with served.client() as scim, pytest.raises(ScimFailure) as failed:
        scim.find("alice@example.com")
    assert (failed.value.describe(), served.fired()) == ("Connection reset", 2)


def test_okta_does_not_send_a_post_again_after_a_reset_on_a_kept_connection(served: Served) -> None:
    with served.client() as scim:
        assert scim.find("alice@example.com") is None  # the connection is kept for the next request
        served.fault(drop="reset", method="POST", times=5)
        with pytest.raises(ScimFailure, match="^Connection reset$"):
            scim.create(served.user("alice@example.com"))
    assert served.fired() == 1  # neither the pool nor the client sent it again
    assert "alice@example.com" not in served.logins()


def test_an_empty_reply_is_the_target_server_failing_to_respond(served: Served) -> None:
    served.fault(drop="close", times=5)
    with served.client() as scim, pytest.raises(ScimFailure) as failed:
        scim.find("alice@example.com")
    assert failed.value.describe() == f"127.0.0.1:{served.server.port} failed to respond"
    assert served.fired() == 2


def test_truncated_json_is_jacksons_end_of_input_though_the_user_was_created(served: Served) -> None:
    served.fault(body="truncated_json", method="POST", times=1)
    with served.client() as scim, pytest.raises(ScimFailure) as failed:
        scim.create(served.user("bob@example.com"))
    assert failed.value.status == 201
    assert failed.value.describe().startswith(
        "Created. Errors reported by remote server: Invalid JSON: Unexpected end-of-input"
    )
    assert "bob@example.com" in served.logins()


def test_an_html_page_with_200_is_an_unexpected_character(served: Served) -> None:
    served.fault(body="html", times=1)
    with served.client() as scim, pytest.raises(ScimFailure) as failed:
        scim.find("alice@example.com")
    assert failed.value.describe().startswith(
        "OK. Errors reported by remote server: Invalid JSON: Unexpected character ('<' (code 60))"
    )


def test_a_slow_body_within_the_read_timeout_is_read_whole(served: Served) -> None:
    served.fault(slow_body_ms=600, chunks=4, times=1)  # pauses of 200 ms, each within 2 s
    with served.client(timeout=2.0) as scim:
        assert scim.find("nobody@example.com") is None
    assert served.lab.call("GET", "/faults") == []  # it fired


def test_a_slow_body_past_the_read_timeout_is_read_timed_out_and_a_post_is_not_sent_again(
    served: Served,
) -> None:
    served.fault(slow_body_ms=1500, method="POST", times=5)
    with served.client(timeout=0.3) as scim, pytest.raises(ScimFailure, match="^Read timed out$"):
        scim.create(served.user("carol@example.com"))
    assert served.fired() == 1
    assert "carol@example.com" in served.logins()  # cybozu.com did create her: only the answer was slow


def test_the_wire_log_keeps_what_the_socket_said(served: Served) -> None:
    seen: list[dict[str, Any]] = []
    served.fault(drop="reset", times=1)
    with OktaScimClient(served.scim_url, served.token, on_exchange=seen.append) as scim, pytest.raises(ScimFailure):
        scim.get("x")
    assert (seen[0]["status"], "reset" in json.dumps(seen[0]["response"]).lower()) == (None, True)


def test_a_get_whose_body_stalls_past_the_read_timeout_is_tried_once_more(served: Served) -> None:
    served.fault(slow_body_ms=1500, method="GET", times=5)
    with served.client(timeout=0.3) as scim, pytest.raises(ScimFailure, match="^Read timed out$"):
        scim.find("alice@example.com")
    assert served.fired() == 2
