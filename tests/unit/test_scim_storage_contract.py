"""TinyDbScimStorage follows scim2-server's storage contract, in memory and on disk."""

from __future__ import annotations

import pytest
from scim2_models import ScimProvider
from scim2_server.testing import ScimStorageContract
from scim2_server.utils import load_default_provider

from cybozu_sim.scim.storage import TinyDbScimStorage
from lab.storage import Store

# Building a provider compiles its models; it is immutable, so build it once.
DEFAULT_PROVIDER = load_default_provider()


class SharedProvider:
    @pytest.fixture
    def provider(self) -> ScimProvider:
        return DEFAULT_PROVIDER


class TestTinyDbStorageInMemory(SharedProvider, ScimStorageContract):
    @pytest.fixture
    def storage(self, provider: ScimProvider) -> TinyDbScimStorage:
        return TinyDbScimStorage(Store(), "resources", provider, partition="t1")


class TestTinyDbStorageOnDisk(SharedProvider, ScimStorageContract):
    @pytest.fixture
    def storage(self, provider: ScimProvider, tmp_path) -> TinyDbScimStorage:
        return TinyDbScimStorage(Store(tmp_path / "lab.json"), "resources", provider)


def test_a_new_instance_reloads_what_was_written(tmp_path) -> None:
    provider = DEFAULT_PROVIDER
    user_type = next(rt for rt in provider.resource_types if rt.id == "User")
    model = provider.model_for(user_type)
    path = tmp_path / "lab.json"
    first = TinyDbScimStorage(Store(path), "resources", provider, partition="a")
    alice = first.create(user_type, model(user_name="alice", display_name="Alice"))
    bob = first.create(user_type, model(user_name="bob"))
    first.update(user_type, model(id=alice.id, user_name="alice", display_name="Alice L."))
    first.delete(user_type, bob.id)
    other = TinyDbScimStorage(Store(path), "resources", provider, partition="b")
    other.create(user_type, model(user_name="alice"))  # another partition: no clash

    again = TinyDbScimStorage(Store(path), "resources", provider, partition="a")
    reloaded = again.get(user_type, alice.id)
    assert reloaded.display_name == "Alice L."
    assert [r.user_name for r in again.all(user_type)] == ["alice"]
    # versions keep increasing after a reload
    updated = again.update(user_type, model(id=alice.id, user_name="alice", display_name="A"))
    assert updated.meta.version != reloaded.meta.version
