"""A lab for a class on a LAN (issue 16): every printed and linked address is the one trainees
type, the lab's own calls stay on the loopback, and a bind that would break them is refused."""

from __future__ import annotations

import pytest

from lab import lan
from lab.server import ServerThread


def test_a_loopback_lab_prints_its_own_addresses() -> None:
    assert lan.check("127.0.0.1", None) is None
    assert lan.public("http://127.0.0.1:8001", None) == "http://127.0.0.1:8001"


def test_a_lan_lab_links_the_public_address_with_each_apps_port() -> None:
    base = lan.check("0.0.0.0", "http://192.168.1.10/")
    assert base == "http://192.168.1.10"
    assert lan.public("http://127.0.0.1:8003", base) == "http://192.168.1.10:8003"


@pytest.mark.parametrize(
    ("host", "public_url", "message"),
    [
        ("0.0.0.0", None, "needs --public-url"),
        ("192.168.1.10", None, "use --host 0.0.0.0 with --public-url http://192.168.1.10"),
        ("127.0.0.1", "http://192.168.1.10", "--public-url needs --host 0.0.0.0"),
        ("0.0.0.0", "192.168.1.10", "give scheme and host only"),
        ("0.0.0.0", "http://192.168.1.10:8001", "give scheme and host only"),
        ("0.0.0.0", "http://192.168.1.10/lab", "give scheme and host only"),
    ],
)
def test_a_bind_or_public_url_the_lab_cannot_serve_is_refused_saying_what_to_do(
    host: str, public_url: str | None, message: str
) -> None:
    with pytest.raises(lan.LanError, match=message):
        lan.check(host, public_url)


def test_a_wildcard_bind_is_reached_on_the_loopback_by_the_lab_itself() -> None:
    server = ServerThread(lambda environ, start: [], "0.0.0.0", 0)
    try:
        assert server.url == f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def test_lab_up_refuses_a_lan_bind_without_a_public_url(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from lab.cli import main

    assert main(["up", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "lab")]) == 2
    assert "needs --public-url" in capsys.readouterr().err
    assert not (tmp_path / "lab").exists()  # nothing started, nothing written
