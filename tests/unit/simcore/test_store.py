"""simcore.store: the thread-safe TinyDB store, its tables that touch only what they change, collections by key, snapshots and restores."""

from __future__ import annotations

import threading

import pytest

from simcore.store import Store, plain_copy
from tests.unit.simcore.conftest import reloaded


def test_memory_store_never_touches_the_disk(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store()
    with store.transaction() as db:
        db.table("t").insert({"a": 1})
    assert list(tmp_path.iterdir()) == []
    assert store.snapshot() == {"t": {"1": {"a": 1}}}


def test_snapshot_and_restore(tmp_path) -> None:
    store = Store(tmp_path / "lab.json")
    with store.transaction() as db:
        db.table("t").insert({"a": 1})
    snap = store.snapshot()
    with store.transaction() as db:
        db.table("t").insert({"a": 2})
        db.table("other").insert({"b": 1})
    store.restore(snap)
    with store.transaction() as db:
        assert db.tables() == {"t"}
        assert db.table("t").all() == [{"a": 1}]
    assert reloaded(tmp_path / "lab.json") == snap
    snap["t"]["1"]["a"] = 99  # a snapshot is a copy
    with store.transaction() as db:
        assert db.table("t").all() == [{"a": 1}]


@pytest.mark.parametrize("bad", [[], {"t": []}, {"t": 1}])
def test_restore_refuses_malformed_snapshots(bad) -> None:
    store = Store()
    with pytest.raises(ValueError):
        store.restore(bad)


def test_concurrent_writers_lose_nothing(tmp_path) -> None:
    store = Store(tmp_path / "lab.json")

    def work(worker: int) -> None:
        for n in range(50):
            with store.transaction() as db:
                db.table("t").insert({"w": worker, "n": n})

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    data = reloaded(tmp_path / "lab.json")["t"]
    assert len(data) == 400 and store.flushes == 400
    assert {(d["w"], d["n"]) for d in data.values()} == {(w, n) for w in range(8) for n in range(50)}


def test_writes_touch_only_the_documents_they_change() -> None:
    """Stock TinyDB rebuilds a table's dict on every write (O(N) per insert); LabTable does not."""
    store = Store()
    with store.transaction() as db:
        table = db.table("t")
        table.insert({"n": 0})
        raw = store._storage.read()["t"]
        first = raw["1"]
        table.insert({"n": 1})
        table.update({"n": 10}, doc_ids=[2])
        assert store._storage.read()["t"] is raw and raw["1"] is first


def test_table_operations_keep_tinydb_semantics() -> None:
    from tinydb import where

    store = Store()
    with store.transaction() as db:
        table = db.table("t")
        ids = table.insert_multiple([{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "c", "v": 3}])
        assert ids == [1, 2, 3]
        table.update({"v": 20}, where("k") == "b")
        table.upsert({"k": "d", "v": 4}, where("k") == "d")
        table.remove(doc_ids=[1])
        assert sorted((d["k"], d["v"]) for d in table.all()) == [("b", 20), ("c", 3), ("d", 4)]
        assert table.get(doc_id=3)["k"] == "c" and table.insert({"k": "e"}) == 5
        table.truncate()
        assert table.all() == []


def test_collections_address_documents_by_key_and_follow_restores() -> None:
    store = Store()
    people = store.collection("people")
    people.put({"id": "a", "n": 1})
    people.put({"id": "b", "n": 2})
    people.put({"id": "a", "n": 10})
    got = people.get("a")
    assert got == {"id": "a", "n": 10}
    got["n"] = 99  # a copy
    assert people.get("a")["n"] == 10 and len(people) == 2
    snap = store.snapshot()
    assert people.delete("a") and not people.delete("a") and people.get("a") is None
    store.restore(snap)
    assert people.get("a") == {"id": "a", "n": 10}
    store.clear()
    assert people.get("b") is None and people.all() == []


def test_find_copies_only_the_matching_documents() -> None:
    store = Store()
    people = store.collection("people")
    for n in range(5):
        people.put({"id": str(n), "even": n % 2 == 0})
    found = people.find(lambda doc: doc["even"])
    assert [d["id"] for d in found] == ["0", "2", "4"]
    found[0]["even"] = "changed"
    assert people.get("0")["even"] is True


def test_a_derived_index_is_built_once_and_rebuilt_after_every_write() -> None:
    store = Store()
    groups = store.collection("groups")
    builds: list[int] = []

    def member_sets(docs: list[dict]) -> dict[str, frozenset[str]]:
        builds.append(len(docs))
        return {doc["id"]: frozenset(doc["members"]) for doc in docs}

    groups.put({"id": "g1", "members": ["a", "b"]})
    assert groups.derived(member_sets) == {"g1": frozenset({"a", "b"})}
    assert groups.derived(member_sets) is groups.derived(member_sets) and builds == [1]
    groups.put({"id": "g1", "members": ["a"]})
    assert groups.derived(member_sets) == {"g1": frozenset({"a"})}
    groups.put({"id": "g2", "members": []})
    saved = store.snapshot()
    groups.delete("g1")
    assert set(groups.derived(member_sets)) == {"g2"}
    store.restore(saved)
    assert set(groups.derived(member_sets)) == {"g1", "g2"}
    store.clear()
    assert groups.derived(member_sets) == {} and builds == [1, 1, 1, 2, 0]


def test_unique_lookup_follows_puts_deletes_and_restores() -> None:
    store = Store()
    users = store.collection("users", unique=lambda u: u["login"].lower())
    users.put({"id": "1", "login": "Alice"})
    assert users.lookup("alice") == {"id": "1", "login": "Alice"}
    users.put({"id": "1", "login": "Alicia"})
    assert users.lookup("alice") is None and users.lookup("alicia")["id"] == "1"  # type: ignore[index]
    snapshot = store.snapshot()
    users.delete("1")
    assert users.lookup("alicia") is None
    store.restore(snapshot)
    assert users.lookup("alicia")["id"] == "1"  # type: ignore[index]


def test_plain_copy_shares_nothing_mutable() -> None:
    original = {"a": [1, {"b": [2]}], "c": "x"}
    copied = plain_copy(original)
    copied["a"][1]["b"].append(3)
    assert copied == {"a": [1, {"b": [2, 3]}], "c": "x"} and original == {"a": [1, {"b": [2]}], "c": "x"}


def test_a_cached_value_is_rebuilt_when_its_table_is_written_and_only_then() -> None:
    """Store.cached: what every request reads (a tenant, its API tokens) is built once per change
    of its table, whichever way the table was written (TinyDB, a Collection, a restore)."""
    store = Store()
    builds: list[int] = []

    def names(db) -> list[str]:
        builds.append(1)
        return sorted(doc["name"] for doc in db.table("tenants"))

    with store.transaction() as db:
        db.table("tenants").insert({"name": "a"})
    assert store.cached("tenants", names) == ["a"] and store.cached("tenants", names) == ["a"]
    store.collection("other").put({"id": "x"})  # another table: still cached
    assert store.cached("tenants", names) == ["a"] and len(builds) == 1
    with store.transaction() as db:
        db.table("tenants").insert({"name": "b"})
    assert store.cached("tenants", names) == ["a", "b"]
    store.collection("tenants", key="name").put({"name": "c"})
    assert store.cached("tenants", names) == ["a", "b", "c"]
    store.restore({"tenants": {"1": {"name": "z"}}})
    assert store.cached("tenants", names) == ["z"] and len(builds) == 4
