"""cybozu_sim.tokens and the tenant user store: a seeded cybozu_sim hands out the same token
ids, token values and user ids on every run."""

from __future__ import annotations

from cybozu_sim import tokens
from cybozu_sim.backend import Backend
from cybozu_sim.scim.schema import USER_SCHEMA, read_user
from cybozu_sim.tenants import create_tenant
from simcore.clock import LabClock
from simcore.entropy import Entropy
from tests.conftest import NOW


def handed_out(seed: int | None, logins: list[str]) -> dict[str, object]:
    backend = Backend(clock=LabClock(NOW), entropy=Entropy(seed, "cybozu_sim"))
    create_tenant(backend, "example", licenses={"kintone": 10})
    first, first_value = tokens.create_token(backend, "example", notes="Okta")
    second, second_value = tokens.create_token(backend, "example", notes="Okta")
    users = backend.user_storage("example")
    ids = {
        login: users.create(read_user({"schemas": [USER_SCHEMA], "userName": login, "displayName": login}))["id"] for login in logins
    }
    return {"tokens": [(first.id, first_value), (second.id, second_value)], "users": ids}


def test_a_seeded_environment_hands_out_the_same_tokens_and_user_ids() -> None:
    first = handed_out(7, ["alice", "bob"])
    assert handed_out(7, ["alice", "bob"]) == first
    (one, one_value), (two, two_value) = first["tokens"]  # type: ignore[misc]
    assert one != two and one_value != two_value and len(one_value) == tokens.TOKEN_LENGTH


def test_a_user_keeps_the_id_whichever_push_came_first() -> None:
    """Okta's workers push concurrently: the users they create get the same ids in any order."""
    assert handed_out(7, ["bob", "alice"])["users"] == handed_out(7, ["alice", "bob"])["users"]


def test_a_user_deleted_and_created_again_gets_a_new_id() -> None:
    backend = Backend(clock=LabClock(NOW), entropy=Entropy(7, "cybozu_sim"))
    users = backend.user_storage("example")
    body = read_user({"schemas": [USER_SCHEMA], "userName": "alice", "displayName": "Alice"})
    first = users.create(body)["id"]
    users.delete(first)
    assert users.create(body)["id"] != first


def test_another_seed_or_no_seed_hands_out_other_values() -> None:
    first = handed_out(7, ["alice"])
    for other in (handed_out(8, ["alice"]), handed_out(None, ["alice"])):
        assert other["users"] != first["users"] and other["tokens"] != first["tokens"]


def test_a_reset_environment_hands_out_the_tokens_of_a_fresh_one() -> None:
    backend = Backend(clock=LabClock(NOW), entropy=Entropy(7, "cybozu_sim"))
    create_tenant(backend, "example", licenses={"kintone": 10})
    first = tokens.create_token(backend, "example", notes="")
    backend.reset()
    create_tenant(backend, "example", licenses={"kintone": 10})
    assert tokens.create_token(backend, "example", notes="") == first
