"""simcore.journal: a file store's snapshot and journal, compaction, atomic replacement, and loading after a crash."""

from __future__ import annotations

import json

import pytest

from simcore import journal
from simcore.journal import StoreCorrupt
from simcore.store import Store
from tests.unit.simcore.conftest import reloaded


def journal_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.with_name(path.name + ".journal").read_text().splitlines()]




def three_people(path) -> Store:
    """A file store that wrote a, b and c in three transactions: a snapshot and three journal lines."""
    store = Store(path)
    for key in "abc":
        store.collection("people").put({"id": key})
    return store


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

    def broken_write(fd, data):
        raise OSError("No space left on device")

    monkeypatch.setattr("simcore.journal.os.write", broken_write)
    with pytest.raises(OSError):
        people.put({"id": "b"})
    monkeypatch.undo()
    people.put({"id": "c"})
    assert sorted(d["id"] for d in reloaded(path)["people"].values()) == ["a", "b", "c"]


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


def test_an_answered_write_is_in_the_kernel_and_its_fsync_comes_after(tmp_path, monkeypatch) -> None:
    """The write returns before any fsync (which is what made a durable write cost 0.7-1.3 ms);
    what it wrote is in the file at once (so kill -9 loses nothing), and the background sync
    follows, one fsync for the writes made meanwhile (simcore.syncer)."""
    import threading

    from simcore import syncer

    path = tmp_path / "lab.json"
    store = Store(path)
    people = store.collection("people")
    people.put({"id": "a"})  # the first write of a new store is a snapshot (synchronous)
    release, syncing = threading.Event(), threading.Event()
    real_fsync = syncer.os.fsync

    def slow_fsync(fd: int) -> None:
        syncing.set()
        release.wait(10)
        real_fsync(fd)

    monkeypatch.setattr(syncer.os, "fsync", slow_fsync)
    for name in "bcd":
        people.put({"id": name})  # would block on slow_fsync if the write waited for it
    assert syncing.wait(5), "the background sync never started"
    assert sorted(d["id"] for d in reloaded(path)["people"].values()) == ["a", "b", "c", "d"]  # in the kernel already
    release.set()
    store.close()  # a last synchronous sync
    storage = store._storage
    assert storage._syncer is None and storage._journal_fd is None
