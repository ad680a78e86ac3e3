"""simcore.store.Store: memory and file modes, the journal and its compaction, loading after a crash,
batching, snapshots, threads."""

from __future__ import annotations

import json
import threading

import pytest

from simcore import journal
from simcore.journal import StoreCorrupt
from simcore.store import Store


def journal_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.with_name(path.name + ".journal").read_text().splitlines()]


def reloaded(path) -> dict:
    return Store(path).snapshot()


def test_memory_store_never_touches_the_disk(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store()
    with store.transaction() as db:
        db.table("t").insert({"a": 1})
    assert list(tmp_path.iterdir()) == []
    assert store.snapshot() == {"t": {"1": {"a": 1}}}


def test_file_store_persists_and_reloads(tmp_path) -> None:
    path = tmp_path / "lab.json"
    store = Store(path)
    assert store.is_new
    with store.transaction() as db:
        db.table("t").insert({"a": 1})
    assert not store.is_new
    with Store(path).transaction() as db:
        assert db.table("t").all() == [{"a": 1}]


def test_a_transaction_is_one_durable_write(tmp_path) -> None:
    path = tmp_path / "lab.json"
    store = Store(path)
    with store.transaction() as db:
        for n in range(500):
            db.table("t").insert({"n": n})
        with store.transaction() as inner:  # nested: still one write at the end
            inner.table("u").insert({"x": 1})
    with store.transaction() as db:
        db.table("t").all()  # reading writes nothing
    assert store.flushes == 1
    assert len(reloaded(path)["t"]) == 500


def test_each_write_appends_only_what_it_changed(tmp_path) -> None:
    from tinydb import where

    path = tmp_path / "lab.json"
    store = Store(path)
    people = store.collection("people")
    for n in range(3):
        people.put({"id": str(n), "n": n})
    snapshot = path.read_bytes()
    people.put({"id": "1", "n": 10})
    people.delete("2")
    with store.transaction() as db:
        db.table("people").update({"seen": True}, where("n") == 0)  # only the match is journaled
        db.table("empty").update({"x": 1}, where("n") == 0)  # a new, empty table
    assert path.read_bytes() == snapshot  # the snapshot is not rewritten per write
    assert [line.get("changes") for line in journal_lines(path)[-3:]] == [
        {"people": {"2": {"id": "1", "n": 10}}},
        {"people": {"3": None}},
        {"people": {"1": {"id": "0", "n": 0, "seen": True}}, "empty": {}},
    ]
    assert reloaded(path) == store.snapshot()


def test_the_journal_is_compacted_when_it_outgrows_the_snapshot(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "COMPACT_MIN_BYTES", 0)
    path = tmp_path / "lab.json"
    store = Store(path)
    people = store.collection("people")
    for n in range(200):
        people.put({"id": str(n % 20), "n": n})
    assert store._storage.compactions > 1
    assert len(journal_lines(path)) < 25  # restarted after each compaction
    assert reloaded(path) == store.snapshot()
    assert {doc["n"] for doc in reloaded(path)["people"].values()} == set(range(180, 200))


def test_a_snapshot_is_replaced_atomically(tmp_path, monkeypatch) -> None:
    path = tmp_path / "lab.json"
    store = Store(path)
    with store.transaction() as db:
        db.table("t").insert({"a": 1})
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken_replace(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("simcore.journal.os.replace", broken_replace)
    with pytest.raises(OSError):
        store.restore({"t": {"1": {"a": 2}}})  # a restore writes a new snapshot
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files  # intact, no temporary left
    monkeypatch.undo()
    assert reloaded(path) == {"t": {"1": {"a": 1}}}


def test_a_failed_append_is_retried_by_the_next_write(tmp_path, monkeypatch) -> None:
    path = tmp_path / "lab.json"
    store = Store(path)
    people = store.collection("people")
    people.put({"id": "a"})

    def broken_fsync(fd):
        raise OSError("I/O error")

    monkeypatch.setattr("simcore.journal.os.fsync", broken_fsync)
    with pytest.raises(OSError):
        people.put({"id": "b"})
    monkeypatch.undo()
    people.put({"id": "c"})
    assert sorted(d["id"] for d in reloaded(path)["people"].values()) == ["a", "b", "c"]


def three_people(path) -> Store:
    """A file store that wrote a, b and c in three transactions: a snapshot and three journal lines."""
    store = Store(path)
    for key in "abc":
        store.collection("people").put({"id": key})
    return store


def test_a_torn_last_journal_line_is_dropped(tmp_path) -> None:
    path = tmp_path / "lab.json"
    store = three_people(path)
    journal = path.with_name("lab.json.journal")
    with journal.open("ab") as handle:  # a crash in the middle of an append
        handle.write(b'{"changes":{"people":{"4":{"id":"d"')
    again = Store(path)
    assert again.snapshot() == store.snapshot()
    again.collection("people").put({"id": "e"})  # appends on a fresh line
    assert sorted(d["id"] for d in reloaded(path)["people"].values()) == ["a", "b", "c", "e"]


def test_damage_before_the_last_line_refuses_to_load(tmp_path) -> None:
    path = tmp_path / "lab.json"
    three_people(path)
    journal = path.with_name("lab.json.journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[2] = b'{"changes":{"people":{"2":{"id":"b' + b"\n"
    journal.write_bytes(b"".join(lines))
    with pytest.raises(StoreCorrupt, match=r"lab\.json\.journal: line 3 is not a journal record"):
        Store(path)


def test_a_corrupted_snapshot_refuses_to_load(tmp_path) -> None:
    path = tmp_path / "lab.json"
    Store(path).collection("people").put({"id": "a"})
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(StoreCorrupt, match=r"lab\.json: the snapshot is not valid JSON"):
        Store(path)
    path.write_text("[1, 2]")
    with pytest.raises(StoreCorrupt, match="not an object of tables"):
        Store(path)
    path.unlink()  # the journal alone is not the store
    with pytest.raises(StoreCorrupt, match=r"lab\.json is missing"):
        Store(path)


def test_a_journal_older_than_the_snapshot_is_ignored(tmp_path) -> None:
    """A crash between a compaction's two renames leaves the old journal beside the new snapshot."""
    path = tmp_path / "lab.json"
    store = three_people(path)
    journal = path.with_name("lab.json.journal")
    old_journal = journal.read_bytes()
    store.clear()  # compacts: a new, empty snapshot
    journal.write_bytes(old_journal)
    again = Store(path)
    assert again.snapshot() == {}  # the cleared people do not come back
    again.collection("people").put({"id": "d"})  # and new writes do not go to the stale journal
    assert [d["id"] for d in reloaded(path)["people"].values()] == ["d"]


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
