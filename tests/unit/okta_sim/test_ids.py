"""okta_sim.ids: a seeded org hands out the same ids and API tokens on every run."""

from __future__ import annotations

import okta_sim.app
from okta_sim import api_tokens, apps, directory_writes, orgs, syslog
from okta_sim.backend import OktaBackend, get_backend
from simcore.clock import LabClock
from simcore.entropy import Entropy
from tests.conftest import NOW
from tests.unit.okta_sim.conftest import person


def handed_out(seed: int | None, order: list[int]) -> dict[str, object]:
    """What an org hands out when people ``order`` are added (in that order) and the rest is made."""
    backend = OktaBackend(clock=LabClock(NOW), entropy=Entropy(seed, "okta_sim"))
    users = {n: directory_writes.create_user(backend, person(n))["id"] for n in order}
    token, value = api_tokens.create_token(backend, "scenario")
    return {
        "users": users,
        "group": directory_writes.create_group(backend, "cybozu users")["id"],
        "app": apps.add_app(backend, "cybozu", domain_name="example")["id"],
        "token": (token["id"], value),
        "events": [(e["uuid"], e["transaction"]["id"]) for e in syslog.events(backend)],
    }


def test_a_seeded_org_hands_out_the_same_ids_and_tokens() -> None:
    first = handed_out(7, [1, 2, 3])
    assert handed_out(7, [1, 2, 3]) == first
    assert str(first["app"]).startswith("0oa") and str(first["token"][1]).startswith("00")


def test_a_person_keeps_the_id_whichever_request_came_first() -> None:
    """People added by concurrent requests get the ids they get when added one by one."""
    assert handed_out(7, [3, 1, 2])["users"] == handed_out(7, [1, 2, 3])["users"]


def test_another_seed_or_no_seed_hands_out_other_ids() -> None:
    first = handed_out(7, [1])
    for other in (handed_out(8, [1]), handed_out(None, [1]), handed_out(None, [1])):
        assert other["users"] != first["users"]
        assert other["token"] != first["token"] and other["app"] != first["app"]


def org_ids(seed: int | None) -> list[str]:
    """The first person's id in each of two orgs a lab hosts (okta_sim.orgs)."""
    root = okta_sim.app.create_app({"SEED": seed})
    host = orgs.get_host(root)
    backends = [get_backend(host.create(name, "org-admin-password").app) for name in ("alpha", "beta")]
    return [directory_writes.create_user(b, person(1))["id"] for b in backends]


def test_the_orgs_of_a_seeded_lab_are_seeded_each_in_its_own_room() -> None:
    alpha, beta = org_ids(7)
    assert org_ids(7) == [alpha, beta] and alpha != beta
    assert org_ids(None) != [alpha, beta]


def test_a_reset_org_hands_out_the_ids_of_a_fresh_one() -> None:
    backend = OktaBackend(clock=LabClock(NOW), entropy=Entropy(7, "okta_sim"))
    first = directory_writes.create_user(backend, person(1))["id"]
    backend.reset()
    assert directory_writes.create_user(backend, person(1))["id"] == first
