"""What a scenario's step says when it is given the wrong thing (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lab.drivers.api import ApiDriver
from lab.drivers.client import ActionError, LabClient
from lab.replay.sandbox import Sandbox


@pytest.fixture
def driver() -> Iterator[ApiDriver]:
    with Sandbox() as lab:
        client = LabClient(lab)
        client.call("cybozu", "POST", "/_lab/tenants", {"subdomain": "example", "licenses": {"kintone": 1}})
        client.tenants.append("example")
        driver = ApiDriver(client)
        yield driver
        driver.close()


@pytest.mark.parametrize("verb", ["cybozu.delete_api_token", "cybozu.disable_api_token", "cybozu.enable_api_token"])
def test_a_tokens_value_given_as_its_id_is_named_as_such(driver: ApiDriver, verb: str) -> None:
    made = driver.do("cybozu.create_api_token", notes="Okta", validity="1 year").values
    with pytest.raises(ActionError) as refused:
        driver.do(verb, id=made["token"])
    message = str(refused.value)
    assert f"no API token with the id {made['token']!r} in example; that looks like a token's value" in message
    assert "cybozu.create_api_token gives as `id`" in message and made["id"] in message
    tokens = driver.client.tenant_state()["tokens"]
    assert [(t["id"], t["status"]) for t in tokens] == [(made["id"], "Enabled")]  # nothing happened to it
