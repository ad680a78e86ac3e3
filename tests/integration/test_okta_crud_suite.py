"""Okta's own SCIM 2.0 CRUD test (tests/vendor/okta), replayed unchanged against the lab: its
/api/v1 requests go to okta_sim, its SCIM requests to cybozu_sim, both on real sockets.

Each of its 19 steps must pass as against a real Okta org and a SCIM server that works with it:
create a random user, assign the app, see the user in cybozu.com, change the first name, deactivate,
activate and assign again, unassign."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from lab import runscope
from lab.wiring import AppPair
from okta_sim import api_tokens, apps
from okta_sim.backend import get_backend as okta_backend
from okta_sim.provisioning import integration
from tests.conftest import Lab

pytestmark = pytest.mark.integration

SUITE = Path(__file__).parents[1] / "vendor" / "okta" / "Okta-SCIM-20-CRUD-Test.json"


def initial_variables(rng: random.Random) -> dict[str, str]:
    """What Okta's Initial Script (Initial_Script_CRUD.txt) sets, computed the same way."""
    first = "Runscope" + "".join(rng.choice(string.digits) for _ in range(3))
    last = (
        rng.choice(string.ascii_uppercase)
        + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))
        + "".join(rng.choice(string.digits) for _ in range(3))
    )
    return {
        "okta_user_firstname": first,
        "okta_user_lastname": last,
        "okta_user_fullname": f"{first} {last}",
        "okta_user_firstname_update": first + "update",
        "okta_user_fullname_update": f"{first}update {last}",
        "okta_user_email": f"{first}{last}@atko.com",
        "okta_user_title": "Engineer",
        "okta_user_primaryphone": "415.123.4567",
    }


@pytest.fixture
def lab_pair() -> Iterator[tuple[AppPair, dict[str, str]]]:
    """A queued-push okta_sim (as Okta provisions in the background) with the Cybozu app set up as
    the article's STEP2 leaves it, and the Runscope environment the guide asks for."""
    with AppPair(cybozu={}, okta={}) as pair:
        cybozu = Lab(pair.cybozu.app)
        cybozu.tenant("example", licenses={"kintone": 10, "garoon": 10})
        scim_token = cybozu.token("example", notes="Okta")
        backend = okta_backend(pair.okta.app)
        app = apps.add_app(backend, "cybozu", domain_name="example")
        integration.configure_api_integration(backend, app["id"], enabled=True, token=scim_token)
        integration.set_provisioning_to_app(backend, app["id"], create=True, update=True, deactivate=True)
        _, okta_token = api_tokens.create_token(backend, "Runscope")
        environment = {
            "oktaOrgUrl": pair.okta.url,
            "oktaToken": okta_token,
            "oktaAppId": app["id"],
            "SCIMUrl": f"{pair.cybozu.url}/example/scim/v2",
            "SCIMAuth": f"Bearer {scim_token}",
        }
        yield pair, environment


def test_oktas_scim_crud_test_passes_every_step(lab_pair: tuple[AppPair, dict[str, str]]) -> None:
    pair, environment = lab_pair
    suite = json.loads(SUITE.read_text())
    lab_key = {"X-Lab-Key": pair.lab_key}

    with httpx2.Client(timeout=30.0) as client:

        def pause(seconds: float) -> None:
            """Okta's test waits for the background provisioning; the lab waits for its queue."""
            settled = client.post(f"{pair.okta.url}/_lab/settle", json={"timeout": seconds}, headers=lab_key)
            assert settled.json()["idle"], settled.text

        outcomes = runscope.run(suite, {**environment, **initial_variables(random.Random(7))}, client, pause)

    assert len(outcomes) == 19
    failed = [outcome.describe() for outcome in outcomes if not outcome.passed]
    assert failed == []
    requests = [o for o in outcomes if o.method]
    assert [o.status for o in requests] == [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 204, 200]
