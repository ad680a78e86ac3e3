"""lab.target: what an external SCIM target is made of, and how its token is kept out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.target import ExternalTarget, TargetError, from_options, read_target


def test_a_cybozu_com_endpoint_gives_the_domain_name_okta_needs() -> None:
    target = ExternalTarget("https://example-test.cybozu.com/scim/v2", "t")
    assert target.domain == "example-test"
    assert ExternalTarget("https://scim.example.org/v2", "t").domain is None
    assert ExternalTarget("https://example.cybozu.com.evil.test/scim/v2", "t").domain is None


def test_only_a_loopback_server_lets_okta_sim_leave_from_its_loopback_addresses() -> None:
    assert ExternalTarget("http://127.0.0.1:8080/v2", "t").loopback
    assert ExternalTarget("http://localhost:8080/v2", "t").loopback
    assert ExternalTarget("http://[::1]:8080/v2", "t").loopback
    assert not ExternalTarget("https://example.cybozu.com/scim/v2", "t").loopback
    assert not ExternalTarget("http://192.0.2.8/v2", "t").loopback


def test_the_url_template_leads_every_domain_name_to_the_url() -> None:
    target = ExternalTarget("http://127.0.0.1/{odd}/v2", "t")
    assert target.scim_url_template.format(domain="anything") == "http://127.0.0.1/{odd}/v2"


def test_the_token_is_never_in_repr() -> None:
    target = ExternalTarget("https://example.cybozu.com/scim/v2", "s3cretT0ken")
    assert "s3cretT0ken" not in repr(target) and "s3cretT0ken" not in target.describe()


def test_the_token_comes_from_a_variable_or_a_file(tmp_path: Path) -> None:
    url = "https://example.cybozu.com/scim/v2/"
    assert read_target(url, token_env="T", environ={"T": " abc123\n"}) == ExternalTarget(
        url.rstrip("/"), "abc123"
    )
    (tmp_path / "token").write_text("fromfile\n")
    assert read_target(url, token_file=str(tmp_path / "token")).token == "fromfile"
    with pytest.raises(TargetError, match="cannot read the token file"):
        read_target(url, token_file=str(tmp_path / "missing"))
    with pytest.raises(TargetError, match="is empty"):
        (tmp_path / "empty").write_text("\n")
        read_target(url, token_file=str(tmp_path / "empty"))
    with pytest.raises(TargetError, match="exactly one of"):
        read_target(url, token_env="T", token_file="f", environ={"T": "x"})
    with pytest.raises(TargetError, match="printable ASCII"):
        read_target(url, token_env="T", environ={"T": "two words"})


@pytest.mark.parametrize(
    "url",
    ["example.cybozu.com/scim/v2", "ftp://x/v2", "https:///v2", "https://example.cybozu.com/scim/v2?x=1"],
)
def test_a_url_okta_could_not_use_is_refused(url: str) -> None:
    with pytest.raises(TargetError):
        read_target(url, token_env="T", environ={"T": "x"})


def test_without_a_url_there_is_no_target() -> None:
    assert from_options(None, None, None) is None
