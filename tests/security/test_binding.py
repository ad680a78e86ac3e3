"""The servers listen on 127.0.0.1 unless told otherwise: `lab up`'s defaults, ServerThread's
default, the scenario sandboxes, and an explicit ``--host`` (and ``--trusted-proxy``) honoured."""

from __future__ import annotations

import inspect
import socket
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import lab.server
import lab.wiring
from cybozu_sim import access_gate
from lab import cli
from lab.replay.sandbox import Sandbox
from lab.server import ServerThread


class Started(Exception):
    """Raised by FakeServer.start: `lab up` got as far as starting its servers."""


class FakeServer:
    """Records where `lab up` would listen, without listening."""

    made: list[FakeServer] = []

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, **_: Any) -> None:
        self.app, self.host, self.port = app, host, port or 40000 + len(FakeServer.made)
        FakeServer.made.append(self)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeServer:
        raise Started


@pytest.fixture
def lab_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Run `lab up ARGS` until it starts its servers; return the servers it made."""
    monkeypatch.setattr(FakeServer, "made", [])
    monkeypatch.setattr(lab.server, "ServerThread", FakeServer)
    monkeypatch.setattr(lab.wiring, "ServerThread", FakeServer)
    monkeypatch.setattr(cli.signal, "signal", lambda *_: None)

    def run(*args: str) -> list[FakeServer]:
        with pytest.raises(Started):
            cli.main(["up", "--data-dir", str(tmp_path / "data"), "--lab-port", "0", *args])
        return FakeServer.made

    return run


def test_lab_up_binds_127_0_0_1_by_default() -> None:
    args = cli.build_parser().parse_args(["up"])
    assert args.host == "127.0.0.1"
    assert args.trusted_proxies == []


def test_lab_up_starts_all_three_servers_on_127_0_0_1(lab_up: Any) -> None:
    servers = lab_up()
    assert len(servers) == 3  # okta_sim, cybozu_sim, the Exercises pages
    assert {s.host for s in servers} == {"127.0.0.1"}
    cybozu = next(s.app for s in servers if s.app.name == "cybozu_sim")
    assert cybozu.config["TRUSTED_PROXIES"] == [] and cybozu.extensions[access_gate.TRUSTED_PROXIES] == ()


def test_lab_up_honours_an_explicit_host(lab_up: Any) -> None:
    servers = lab_up("--host", "127.0.0.2")
    assert {s.host for s in servers} == {"127.0.0.2"}


def test_lab_up_passes_trusted_proxies_to_cybozu_sim(lab_up: Any) -> None:
    servers = lab_up("--trusted-proxy", "10.0.0.1", "--trusted-proxy", "192.0.2.0/24")
    cybozu = next(s.app for s in servers if s.app.name == "cybozu_sim")
    assert cybozu.config["TRUSTED_PROXIES"] == ["10.0.0.1", "192.0.2.0/24"]
    assert [str(n) for n in cybozu.extensions[access_gate.TRUSTED_PROXIES]] == ["10.0.0.1/32", "192.0.2.0/24"]


def test_lab_up_refuses_a_malformed_trusted_proxy(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.build_parser().parse_args(["up", "--trusted-proxy", "proxy.example"])
    assert exited.value.code == 2
    assert "'proxy.example' is not an IP address" in capsys.readouterr().err


def test_server_thread_listens_on_loopback_only_by_default() -> None:
    assert inspect.signature(ServerThread).parameters["host"].default == "127.0.0.1"
    with ServerThread(Flask(__name__)) as server:
        assert server.url.startswith("http://127.0.0.1:")
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()
        with pytest.raises(OSError):  # another loopback address of this machine: nobody listens
            socket.create_connection(("127.0.0.2", server.port), timeout=5).close()


def test_server_thread_honours_an_explicit_host() -> None:
    with ServerThread(Flask(__name__), "127.0.0.2") as server:
        assert server.url.startswith("http://127.0.0.2:")
        socket.create_connection(("127.0.0.2", server.port), timeout=5).close()


def test_scenario_sandboxes_listen_on_127_0_0_1() -> None:
    sandbox = Sandbox()
    try:
        assert all(url.startswith("http://127.0.0.1:") for url in sandbox.urls.values())
    finally:
        sandbox.okta.stop()
        sandbox.cybozu.stop()
