"""The split of scenarios over N CI jobs (lab.scenario.shards): the same everywhere, every
scenario in exactly one shard, the shards about equally heavy, few moves when one is added."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from lab.cli import main
from lab.replay.command import load_all
from lab.scenario import shards
from lab.scenario.shards import BadShard, Shard, Work

SCENARIOS = Path(__file__).resolve().parents[4] / "scenarios"


def works(count: int, seed: int, weight: int | None = None) -> list[Work]:
    chance = random.Random(seed)
    return [
        Work(f"scenario-{chance.getrandbits(40):010x}", "", weight or chance.randint(2, 20)) for _ in range(count)
    ]


def by_shard(items: list[Work], total: int) -> dict[int, list[Work]]:
    found: dict[int, list[Work]] = {n: [] for n in range(1, total + 1)}
    for item, shard in zip(items, shards.assign(items, total), strict=True):
        found[shard].append(item)
    return found


@pytest.mark.parametrize(
    ("text", "expected"), [("1/1", Shard(1, 1)), ("2/4", Shard(2, 4)), (" 3 / 3 ", Shard(3, 3)), ("12/40", Shard(12, 40))]
)
def test_i_of_n_is_parsed(text: str, expected: Shard) -> None:
    assert shards.parse(text) == expected
    assert str(expected) == text.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/3", "'0/3': I counts the shards from 1 to N, so it must be between 1 and 3"),
        ("4/3", "'4/3': I counts the shards from 1 to N, so it must be between 1 and 3"),
        ("a/b", "'a/b' is not I/N: two whole numbers, e.g. 2/4 (the second of four shards)"),
        ("1/0", "'1/0': N, the number of shards, must be at least 1"),
        ("-1/3", "'-1/3' is not I/N"),
        ("2", "'2' is not I/N"),
        ("1/2/3", "'1/2/3' is not I/N"),
        ("", "'' is not I/N"),
    ],
)
def test_a_bad_shard_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(BadShard) as refused:
        shards.parse(text)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize("value", ["0/3", "4/3", "a/b", "1/0"])
def test_lab_run_refuses_a_bad_shard_with_exit_2_before_reading_anything(
    value: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", str(tmp_path / "no-such-folder"), "--shard", value, "--junit", str(tmp_path / "j.xml")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"lab run: error: argument --shard: {value!r}" in err
    assert not (tmp_path / "j.xml").exists()


def test_every_scenario_is_in_exactly_one_shard() -> None:
    for count in (0, 1, 2, 7, 35, 200):
        items = works(count, seed=count)
        for total in range(1, 10):
            picked = [shards.select(items, Shard(i, total), lambda w: w) for i in range(1, total + 1)]
            flat = [w for shard in picked for w in shard]
            assert sorted(flat, key=repr) == sorted(items, key=repr), (count, total)
            assert len(flat) == len(set(map(id, flat))), (count, total)  # no scenario twice


def test_a_shard_keeps_the_order_it_was_given() -> None:
    items = works(40, seed=3)
    mine = shards.select(items, Shard(2, 3), lambda w: w)
    assert mine == [w for w in items if w in mine]


def test_the_split_does_not_depend_on_the_order_of_the_files() -> None:
    items = works(60, seed=11)
    expected = dict(zip(items, shards.assign(items, 4), strict=True))
    for seed in range(5):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        assert dict(zip(shuffled, shards.assign(shuffled, 4), strict=True)) == expected


def test_the_split_is_a_function_of_the_ids_alone() -> None:
    """crc32 is the same in every process and on every machine (Python's hash() of a str is
    salted per process): the order of the ids is pinned here."""
    items = [Work(name, "", 1) for name in ("adding-a-user", "sync-per-group", "unassigning-users")]
    assert [zlib.crc32(w.id.encode()) for w in items] == [2356235769, 3417134914, 1004200529]
    assert shards.assign(items, 3) == [2, 3, 1]  # in crc32 order: unassigning, adding, sync


def test_the_repository_s_scenarios_are_balanced_by_steps(record_property: pytest.RecordProperty) -> None:
    """Per-shard counts are printed (``pytest -s``) and recorded in the JUnit XML."""
    scenarios, problems = load_all([str(SCENARIOS)])
    assert not problems and len(scenarios) >= 20
    items = [shards.work(s) for s in scenarios]
    heaviest = max(w.weight for w in items)
    total_weight = sum(w.weight for w in items)
    for total in (2, 3, 4, 6):
        split = by_shard(items, total)
        counts = [len(split[n]) for n in split]
        weights = [sum(w.weight for w in split[n]) for n in split]
        line = f"{len(items)} scenarios over {total} shards: {counts} scenarios, {weights} steps+1"
        print(line)
        record_property(f"shards_{total}", line)
        assert sum(counts) == len(items)
        for weight in weights:  # each shard within one scenario's weight of an equal share
            assert abs(weight - total_weight / total) <= heaviest, (total, weights)


def test_a_hash_modulo_n_would_be_less_balanced() -> None:
    """Why not ``crc32(id) % N`` (which moves nothing when a scenario is added): over 30 sets
    of 35 scenarios into 4 shards, its heaviest shard is far heavier than the split's."""
    worse = 0
    for seed in range(30):
        items = works(35, seed)
        modulo = [sum(w.weight for w in items if zlib.crc32(w.id.encode()) % 4 == n) for n in range(4)]
        ours = [sum(w.weight for w in shard) for shard in by_shard(items, 4).values()]
        worse += max(modulo) - min(modulo) > max(ours) - min(ours)
    assert worse >= 28


def test_balance_holds_for_any_set() -> None:
    for seed in range(30):
        items = works(random.Random(seed).randint(1, 150), seed)
        heaviest, total_weight = max(w.weight for w in items), sum(w.weight for w in items)
        for total in (2, 3, 5, 8):
            for shard in by_shard(items, total).values():
                assert abs(sum(w.weight for w in shard) - total_weight / total) <= heaviest


def test_adding_a_scenario_moves_at_most_one_other_per_cut() -> None:
    """With scenarios of equal weight, a new one shifts each of the N - 1 cuts past at most one
    scenario; the others keep their shard (and their CI job's history)."""
    for seed in range(40):
        items = works(random.Random(seed).randint(5, 120), seed, weight=5)
        new = Work(f"new-{seed}", "", 5)
        for total in (2, 3, 4, 8):
            before = shards.assign(items, total)
            after = shards.assign([*items, new], total)[:-1]
            moved = sum(a != b for a, b in zip(before, after, strict=True))
            assert moved <= total - 1, (seed, total, moved)


def test_adding_a_scenario_of_any_weight_moves_few() -> None:
    for seed in range(40):
        items = works(random.Random(seed).randint(5, 120), seed)
        new = Work(f"new-{seed}", "", 11)
        for total in (2, 4, 8):
            before = shards.assign(items, total)
            after = shards.assign([*items, new], total)[:-1]
            assert sum(a != b for a, b in zip(before, after, strict=True)) <= 2 * (total - 1)


def test_more_shards_than_scenarios_leaves_some_empty() -> None:
    items = works(3, seed=1)
    split = by_shard(items, 8)
    assert sum(len(v) for v in split.values()) == 3
    assert sum(not v for v in split.values()) == 5
    assert shards.assign([], 4) == []
