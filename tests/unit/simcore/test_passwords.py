"""The documented default passwords carry their hashes; every other password goes through scrypt."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

import cybozu_sim.public
import okta_sim.admins
import okta_sim.public
from okta_sim.backend import OktaBackend
from okta_sim.seed import seed_admin
from simcore import passwords
from simcore.store import Store


def test_each_documented_default_is_registered_with_a_hash_that_verifies() -> None:
    registered = passwords.precomputed()
    defaults = {
        okta_sim.public.DEFAULT_ADMIN_PASSWORD,
        cybozu_sim.public.DEFAULT_ADMIN_PASSWORD,
        cybozu_sim.public.DEFAULT_USER_PASSWORD,
    }
    assert defaults <= set(registered)
    for password, digest in registered.items():  # a changed password with its old hash fails here
        assert check_password_hash(digest, password)


def no_scrypt(*_: object) -> None:
    raise AssertionError("scrypt was called")


def test_seeding_and_signing_in_with_a_default_costs_no_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "generate_password_hash", no_scrypt)
    monkeypatch.setattr(passwords, "check_password_hash", no_scrypt)
    backend = OktaBackend(Store())
    seed_admin(backend)
    assert okta_sim.admins.verify(
        backend, okta_sim.public.ADMIN_LOGIN, okta_sim.public.DEFAULT_ADMIN_PASSWORD
    )


def test_a_chosen_password_is_hashed_with_a_salt_of_its_own_and_checked() -> None:
    first, second = passwords.hash_password("a trainee's own"), passwords.hash_password("a trainee's own")
    assert first != second and first.startswith("scrypt:")
    assert passwords.verify(first, "a trainee's own") and not passwords.verify(first, "okta-lab-admin")
    default = passwords.precomputed()[okta_sim.public.DEFAULT_ADMIN_PASSWORD]
    assert not passwords.verify(default, "a trainee's own")
    # a default stored under another salt (a data folder from before) is still checked by scrypt
    assert passwords.verify(passwords.generate_password_hash("okta-lab-admin"), "okta-lab-admin")
