"""The tenant user store (cybozu_sim/user_store.py): CRUD, search, uniqueness, persistence, annotations.

It replaces the scim2-server storage contract the previous TinyDB storage was
tested with: the same guarantees, for users held as plain dicts.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from cybozu_sim.backend import Backend
from cybozu_sim.scim.schema import USER_SCHEMA, read_user
from cybozu_sim.user_store import USERS_TABLE, LoginTaken, UserStore
from simcore.clock import LabClock
from simcore.store import Store

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def user(login: str, display: str = "Someone", **extra: object) -> dict:
    return read_user({"schemas": [USER_SCHEMA], "userName": login, "displayName": display, **extra})


def new_store(store: Store, partition: str = "t1", clock: LabClock | None = None) -> UserStore:
    return UserStore(store.collection(USERS_TABLE), partition, clock or LabClock(frozen_at=NOW))


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path) -> Store:
    return Store() if request.param == "memory" else Store(tmp_path / "lab.json")


def test_create_assigns_id_and_meta_and_get_finds_it(store: Store) -> None:
    users = new_store(store)
    created = users.create(user("alice", emails=[{"value": "a@example.com", "primary": True}]))
    assert len(created["id"]) == 32
    assert created["meta"] == {
        "resourceType": "User",
        "created": "2026-04-01T09:00:00Z",
        "lastModified": "2026-04-01T09:00:00Z",
    }
    assert users.get(created["id"]) == created
    assert users.by_login("alice") == created
    assert users.get("nope") is None and users.by_login("nope") is None


def test_login_names_are_unique_and_case_sensitive(store: Store) -> None:
    users = new_store(store)
    alice = users.create(user("alice"))
    with pytest.raises(LoginTaken) as taken:
        users.create(user("alice", "Another"))
    assert taken.value.holder == alice["id"]
    assert users.create(user("Alice"))["userName"] == "Alice"
    assert len(users) == 2


def test_replace_keeps_id_and_created_and_moves_the_login_index(store: Store) -> None:
    clock = LabClock(frozen_at=NOW)
    users = new_store(store, clock=clock)
    alice = users.create(user("alice"))
    bob = users.create(user("bob"))
    clock.advance(60)
    updated = users.replace(alice["id"], user("alice2", "Alice L."))
    assert updated["id"] == alice["id"] and updated["meta"]["created"] == alice["meta"]["created"]
    assert updated["meta"]["lastModified"] == "2026-04-01T09:01:00Z"
    assert users.by_login("alice") is None and users.by_login("alice2")["displayName"] == "Alice L."
    with pytest.raises(LoginTaken):
        users.replace(bob["id"], user("alice2"))
    with pytest.raises(KeyError):
        users.replace("nope", user("carol"))


def test_delete_frees_the_login_name(store: Store) -> None:
    users = new_store(store)
    alice = users.create(user("alice"))
    assert users.delete(alice["id"]) is True
    assert users.delete(alice["id"]) is False
    assert users.get(alice["id"]) is None
    assert users.create(user("alice"))["id"] != alice["id"]


def test_all_lists_in_creation_order_and_stored_users_are_never_changed_in_place(store: Store) -> None:
    users = new_store(store)
    first = users.create(user("b"))
    users.create(user("a"))
    assert [u["userName"] for u in users.all()] == ["b", "a"]
    users.replace(first["id"], user("b", "Changed"))
    assert first["displayName"] == "Someone"  # the dict a reader held is unchanged


def test_partitions_are_separate(store: Store) -> None:
    one, two = new_store(store, "one"), new_store(store, "two")
    one.create(user("alice"))
    two.create(user("alice"))
    assert [u["userName"] for u in new_store(store, "one").all()] == ["alice"]


def test_annotations_are_kept_with_the_user(store: Store) -> None:
    users = new_store(store)
    alice = users.create(user("alice"), {"linked": True})
    bob = users.create(user("bob"))
    users.annotate(bob["id"], held=True)
    assert users.annotations(alice["id"]) == {"linked": True}
    assert users.annotated("held") == {bob["id"]} and users.has_annotation(bob["id"], "held")
    users.clear_annotation("held")
    assert users.annotated("held") == frozenset()
    with pytest.raises(KeyError):
        users.annotate("nope", held=True)
    users.delete(alice["id"])
    assert users.annotated("linked") == frozenset()


def test_a_new_instance_on_disk_reloads_what_was_written(tmp_path) -> None:
    path = tmp_path / "lab.json"
    first = new_store(Store(path), "a")
    alice = first.create(user("alice", "Alice"), {"linked": True})
    bob = first.create(user("bob"))
    first.replace(alice["id"], user("alice", "Alice L."))
    first.delete(bob["id"])
    new_store(Store(path), "b").create(user("alice"))  # another partition: no clash

    again = new_store(Store(path), "a")
    assert again.get(alice["id"])["displayName"] == "Alice L."
    assert [u["userName"] for u in again.all()] == ["alice"]
    assert again.annotations(alice["id"]) == {"linked": True}
    with pytest.raises(LoginTaken):
        again.create(user("alice"))


def test_documents_of_the_previous_storage_are_upgraded(tmp_path) -> None:
    """Data folders written by the scim2-server based storage still load."""
    path = tmp_path / "lab.json"
    legacy = Store(path)
    resource = {
        **user("alice"),
        "id": "abc",
        "meta": {"resourceType": "User", "created": "x", "lastModified": "x"},
    }
    with legacy.transaction() as db:
        db.table(USERS_TABLE).insert(
            {"partition": "acme", "resource": resource, "annotations": {"linked": True}}
        )
    backend = Backend(Store(path))
    users = backend.user_storage("acme")
    assert users.by_login("alice")["id"] == "abc"
    assert users.annotations("abc") == {"linked": True}


def test_concurrent_creates_of_the_same_login_names_keep_one_each() -> None:
    users = new_store(Store())
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for n in range(100):
            try:
                users.create(user(f"racer{n}"))
                result = "created"
            except LoginTaken:
                result = "taken"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 100 and outcomes.count("taken") == 700
    assert sorted(u["userName"] for u in users.all()) == sorted(f"racer{n}" for n in range(100))
