"""simcore.entropy: an app's ids and tokens, from the OS's random source or from a seed."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from simcore.entropy import Entropy
from simcore.simulator import configure


def draws(entropy: Entropy) -> list[object]:
    return [
        entropy.text("abc", 12, key="k"),
        entropy.token_urlsafe(30, key="k"),
        entropy.token_hex(8, key="other"),
        entropy.uuid4(key="k"),
    ]


def test_one_seed_and_room_draw_the_same_values() -> None:
    assert draws(Entropy(7, "okta_sim")) == draws(Entropy(7, "okta_sim"))


def test_another_seed_or_room_draws_other_values() -> None:
    first = draws(Entropy(7, "okta_sim"))
    assert all(a != b for a, b in zip(first, draws(Entropy(8, "okta_sim")), strict=True))
    assert all(a != b for a, b in zip(first, draws(Entropy(7, "cybozu_sim")), strict=True))


def test_the_same_key_gives_a_new_value_each_time() -> None:
    entropy = Entropy(7)
    assert entropy.token_hex(16, key="k") != entropy.token_hex(16, key="k")


def test_a_keyed_draw_does_not_depend_on_the_order_of_other_keys() -> None:
    """Concurrent requests for different logins may come in any order: each login's id is the same."""
    one, two = Entropy(7), Entropy(7)
    a1, b1 = one.token_hex(16, key="alice"), one.token_hex(16, key="bob")
    b2, a2 = two.token_hex(16, key="bob"), two.token_hex(16, key="alice")
    assert (a1, b1) == (a2, b2)


def test_a_scope_keys_the_draws_of_its_thread_only() -> None:
    entropy, fresh = Entropy(7), Entropy(7)
    inside: list[str] = []
    outside: list[str] = []
    with entropy.scope("job-1"):
        thread = threading.Thread(target=lambda: outside.append(entropy.token_hex(8, key="k")))
        thread.start()
        thread.join()
        inside.append(entropy.token_hex(8, key="k"))
    assert outside == [fresh.token_hex(8, key="k")]  # the other thread drew unscoped
    assert inside[0] != outside[0]
    with fresh.scope("job-1"):
        assert fresh.token_hex(8, key="k") == inside[0]
    assert entropy.token_hex(8, key="k") == fresh.token_hex(8, key="k")  # the scope ended


def test_reset_hands_out_the_first_values_again() -> None:
    entropy = Entropy(7)
    first = draws(entropy)
    assert draws(entropy) != first
    entropy.reset()
    assert draws(entropy) == first


def test_unseeded_draws_are_the_operating_systems() -> None:
    """A lab people reach keeps unguessable tokens: no seed, no repeats, the secrets module's source."""
    one, two = Entropy(), Entropy()
    assert not one.seeded and Entropy(0).seeded
    assert one.token_urlsafe(30) != two.token_urlsafe(30)
    assert one.source("k") is two.source("k")  # random.SystemRandom, what secrets uses


def test_values_have_the_shapes_of_the_secrets_module() -> None:
    entropy = Entropy(3)
    assert len(entropy.token_urlsafe(30)) == 40 and "=" not in entropy.token_urlsafe(30)
    assert len(entropy.token_hex(8)) == 16
    assert entropy.uuid4().version == 4
    assert set(entropy.text("xy", 50)) <= {"x", "y"}


def test_an_app_is_seeded_by_its_configuration() -> None:
    _, _, entropy = configure(Flask("some_app"), {"SEED": 5}, {})
    assert (entropy.seed, entropy.room) == (5, "some_app")
    _, _, unseeded = configure(Flask("some_app"), None, {})
    assert not unseeded.seeded
    _, _, roomed = configure(Flask("some_app"), {"SEED": 5, "SEED_ROOM": "orgs/a"}, {})
    assert roomed.room == "orgs/a"


@pytest.mark.parametrize("seed", ["5", 1.5, True])
def test_a_seed_that_is_not_an_integer_stops_the_app(seed: object) -> None:
    with pytest.raises(ValueError, match="SEED must be an integer"):
        configure(Flask("some_app"), {"SEED": seed}, {})
