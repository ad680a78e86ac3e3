"""lab.scenario.source: reading a scenario file keeps every value's position and refuses what YAML would let through (duplicate keys, alias bombs, deep nesting)."""

from __future__ import annotations

import pytest

from lab.scenario.source import InvalidScenario, read


def test_positions_point_at_keys_and_items() -> None:
    document = read("t.yaml", "name: x\nsteps:\n  - okta.force_sync: {app: a}\n")
    assert document.positions[("steps", 0)] == (3, 5)
    assert document.positions[("steps", 0, "okta.force_sync", "app")] == (3, 23)
    assert document.where(("steps", 0, "okta.force_sync", "missing")) == (3, 5)


def test_dates_stay_text_and_duplicate_keys_are_refused() -> None:
    assert read("t.yaml", "a: 2026-12-31\n").data == {"a": "2026-12-31"}
    with pytest.raises(InvalidScenario, match="t.yaml:1:8: duplicate key 'a'"):
        read("t.yaml", "{a: 1, a: 2}\n")


def test_an_alias_bomb_is_refused_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    with pytest.raises(InvalidScenario, match="expands to more than"):
        read("bomb.yaml", "\n".join(lines) + "\n")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(InvalidScenario, match="1:1: .*(nested too deeply|YAML syntax)"):
        read("deep.yaml", "[" * 5000 + "]" * 5000)
