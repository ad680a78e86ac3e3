"""IP address restriction cannot be talked round with headers: X-Forwarded-For counts only
when the TCP peer is a configured trusted proxy, and then only its untrusted rightmost entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from flask import Flask

import cybozu_sim.app
from cybozu_sim.ip_restriction import client_address, parse_trusted_proxies
from lab.server import ServerThread
from simcore.control import LAB_KEY_HEADER
from tests.security.conftest import cybozu_admin, lab_call

ALLOWED = "192.0.2.10"
BLOCKED = "198.51.100.7"
PROXY = "10.0.0.1"
SPOOFS = [
    {"X-Forwarded-For": ALLOWED},
    {"X-Forwarded-For": f"{ALLOWED}, {ALLOWED}"},
    {"X-Real-IP": ALLOWED},
    {"Forwarded": f"for={ALLOWED}"},
    {"Forwarded": f'for="{ALLOWED}";proto=https'},
    {"True-Client-IP": ALLOWED},
    {"X-Client-IP": ALLOWED},
    {"CF-Connecting-IP": ALLOWED},
    {"X-Cluster-Client-IP": ALLOWED},
    {"X-Forwarded-Host": ALLOWED, "X-Original-Forwarded-For": ALLOWED},
]


def restricted_app(clock: Any, proxies: list[str] | None = None) -> Flask:
    """cybozu_sim whose environment ``example`` allows only ALLOWED and 127.0.0.1."""
    config: dict[str, Any] = {"TESTING": True, "SEED_DEMO": True, "CLOCK": clock}
    if proxies is not None:
        config["TRUSTED_PROXIES"] = proxies
    app = cybozu_sim.app.create_app(config)
    answer = lab_call(
        app, "PUT", "/tenants/example/ip-restriction", {"mode": "allow_specific", "entries": [ALLOWED, "127.0.0.1"]}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return app


def get(app: Flask, peer: str, headers: dict[str, str] | None = None, path: str = "/example/login") -> Any:
    return app.test_client().get(path, headers=headers or {}, environ_base={"REMOTE_ADDR": peer})


def blocked(answer: Any) -> bool:
    return answer.status_code == 403 and answer.headers["Content-Type"].startswith("text/html")


# -- the rule -------------------------------------------------------------------


NETS = parse_trusted_proxies(["10.0.0.0/30", "203.0.113.5"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        (BLOCKED, [ALLOWED], BLOCKED),  # an untrusted peer's header is ignored
        (PROXY, [], PROXY),  # a proxy without the header is the client
        (PROXY, [ALLOWED], ALLOWED),
        (PROXY, [f"{ALLOWED}, {BLOCKED}"], BLOCKED),  # the rightmost entry is the proxy's
        (PROXY, [f"{BLOCKED}, {ALLOWED}"], ALLOWED),  # the leftmost is the client's claim: ignored
        (PROXY, [f"{ALLOWED}, 203.0.113.5"], ALLOWED),  # trusted hops are skipped
        (PROXY, [ALLOWED, "10.0.0.2"], ALLOWED),  # several headers are one list, in order
        (PROXY, ["10.0.0.2, 10.0.0.3"], "10.0.0.2"),  # all trusted: the leftmost
        (PROXY, [f"{ALLOWED}, junk"], "junk"),  # an entry that is no address ends the walk
        (f"::ffff:{PROXY}", [ALLOWED], ALLOWED),  # an IPv4-mapped peer is the IPv4 proxy
    ],
)
def test_the_client_address_rule(peer: str, forwarded: list[str], client: str) -> None:
    assert client_address(peer, forwarded, NETS) == client


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address(BLOCKED, [ALLOWED], ()) == BLOCKED
    assert client_address(PROXY, [ALLOWED], ()) == PROXY


def test_a_malformed_trusted_proxy_stops_the_app_from_starting() -> None:
    with pytest.raises(ValueError, match="'proxy.example' is not an IP address"):
        cybozu_sim.app.create_app({"TRUSTED_PROXIES": ["proxy.example"]})


# -- over HTTP, no trusted proxy (the default) --------------------------------------


@pytest.mark.parametrize("headers", SPOOFS, ids=lambda h: ",".join(h))
def test_spoofed_headers_from_a_blocked_address_stay_blocked(clock: Any, headers: dict[str, str]) -> None:
    app = restricted_app(clock)
    assert blocked(get(app, BLOCKED, headers))
    assert blocked(get(app, BLOCKED, headers, path="/example/scim/v2/Users"))


@pytest.mark.parametrize(
    "headers", [{"X-Forwarded-For": BLOCKED}, {"X-Real-IP": BLOCKED}, {"Forwarded": f"for={BLOCKED}"}]
)
def test_headers_from_an_allowed_address_change_nothing(clock: Any, headers: dict[str, str]) -> None:
    app = restricted_app(clock)
    assert get(app, ALLOWED, headers).status_code == 200
    assert get(app, ALLOWED, headers, path="/example/scim/v2/Users").status_code == 401  # token, not IP


def test_a_configured_proxy_of_another_address_does_not_trust_this_peer(clock: Any) -> None:
    app = restricted_app(clock, [PROXY])
    assert blocked(get(app, BLOCKED, {"X-Forwarded-For": ALLOWED}))  # forged, peer not a proxy
    assert blocked(get(app, "10.0.0.2", {"X-Forwarded-For": ALLOWED}))


def test_behind_a_trusted_proxy_the_forwarded_address_is_checked(clock: Any) -> None:
    app = restricted_app(clock, [PROXY])
    assert get(app, PROXY, {"X-Forwarded-For": ALLOWED}).status_code == 200
    assert blocked(get(app, PROXY, {"X-Forwarded-For": BLOCKED}))
    assert blocked(get(app, PROXY))  # the proxy itself is not allowed
    # a client behind the proxy forging the header: the proxy appends the real address
    assert blocked(get(app, PROXY, {"X-Forwarded-For": f"{ALLOWED}, {BLOCKED}"}))
    # the other headers are never read, even from a trusted proxy
    assert blocked(get(app, PROXY, {"X-Real-IP": ALLOWED, "Forwarded": f"for={ALLOWED}"}))
    page = get(app, PROXY, {"X-Forwarded-For": BLOCKED}).get_data(as_text=True)
    assert BLOCKED in page  # the access-denied page names the address that was checked


def test_access_control_shows_the_address_the_restriction_checks(clock: Any) -> None:
    app = restricted_app(clock, [PROXY])
    browser = cybozu_admin(app)  # from 127.0.0.1, which is allowed
    behind_proxy = {"headers": {"X-Forwarded-For": ALLOWED}, "environ_base": {"REMOTE_ADDR": PROXY}}
    page = browser.get("/example/admin/access-control", **behind_proxy).get_data(as_text=True)
    assert f"Your current IP address: <strong>{ALLOWED}</strong>" in page


def test_the_lab_control_api_ignores_forwarded_headers(clock: Any) -> None:
    app = restricted_app(clock, [PROXY])
    key = {LAB_KEY_HEADER: app.config["LAB_KEY"]}
    for peer in (BLOCKED, PROXY):
        answer = app.test_client().get(
            "/_lab/tenants",
            headers={**key, "X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1"},
            environ_base={"REMOTE_ADDR": peer},
        )
        assert answer.status_code == 403


# -- over a real socket, from distinct loopback addresses ------------------------------


def loopback_client(server: ServerThread, source: str) -> httpx2.Client:
    transport = httpx2.HTTPTransport(local_address=source)
    return httpx2.Client(base_url=server.url, transport=transport, timeout=10)


@pytest.fixture
def live_proxied(clock: Any) -> Iterator[ServerThread]:
    """Allows only 127.0.0.1; 127.0.0.3 is a trusted proxy."""
    app = restricted_app(clock, ["127.0.0.3"])
    with ServerThread(app) as server:
        yield server


def test_over_a_socket_spoofed_headers_do_not_unblock_a_source_address(live_proxied: ServerThread) -> None:
    spoof = {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1", "Forwarded": "for=127.0.0.1"}
    with loopback_client(live_proxied, "127.0.0.2") as stranger:
        assert stranger.get("/example/login", headers=spoof).status_code == 403
        assert stranger.get("/example/scim/v2/Users", headers=spoof).status_code == 403
    with loopback_client(live_proxied, "127.0.0.1") as allowed:
        assert allowed.get("/example/login", headers={"X-Forwarded-For": "127.0.0.2"}).status_code == 200


def test_over_a_socket_a_trusted_proxy_forwards_its_client_address(live_proxied: ServerThread) -> None:
    """Needs the server to pass X-Forwarded-For through to the app (waitress strips it by default)."""
    with loopback_client(live_proxied, "127.0.0.3") as proxy:
        assert proxy.get("/example/login", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
        assert proxy.get("/example/login", headers={"X-Forwarded-For": "127.0.0.2"}).status_code == 403
        forged = {"X-Forwarded-For": "127.0.0.1, 127.0.0.2"}
        assert proxy.get("/example/login", headers=forged).status_code == 403
