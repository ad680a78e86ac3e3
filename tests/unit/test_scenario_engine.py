"""The scenario engine's parts that need no running lab: reading, validation, -k, the
verb table against the driver, and the generated coverage page."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from lab.drivers.api import ApiDriver
from lab.drivers.client import generated_people
from lab.replay.runner import resolve
from lab.scenario import article, coverage
from lab.scenario.loader import collect, load, load_file
from lab.scenario.selection import BadExpression, matches
from lab.scenario.source import InvalidScenario, read
from lab.scenario.verbs import VERBS

ROOT = Path(__file__).parents[2]


def scenario(text: str):  # type: ignore[no-untyped-def]
    return load(read("t.yaml", text))


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


def test_references_keep_their_type_when_whole() -> None:
    saved = {"n": 3, "token": "abc"}
    assert resolve({"a": "${n}", "b": "x${token}y", "c": ["${token}"]}, saved) == {
        "a": 3,
        "b": "xabcy",
        "c": ["abc"],
    }


def test_every_verb_has_a_driver_method_taking_its_parameters() -> None:
    for verb in VERBS.values():
        method = getattr(ApiDriver, verb.name.replace(".", "_"))
        # The parameters are declared once, in the verb's schema: the method takes what it loaded.
        accepted = set(inspect.signature(method).parameters) - {"self"}
        assert accepted == {"params"}, verb.name


def test_selection_expressions() -> None:
    s = scenario("name: Turning off provisioning\ntags: [flow, smoke]\nsteps:\n  - okta.force_sync: {}\n")
    assert matches("flow", s)
    assert matches("turning and not bulk", s)
    assert not matches("bulk or (limitation and flow)", s)
    assert matches("(bulk or smoke) and t", s)
    for bad in ["", "flow and", "(flow", "flow )", "and flow"]:
        with pytest.raises(BadExpression):
            matches(bad, s)


def test_generated_people_are_the_same_for_a_seed() -> None:
    spec = {"count": 50, "seed": 7, "email_domain": "example.com"}
    first, again = generated_people(spec), generated_people(spec)
    assert first == again
    assert len({p["login"] for p in first}) == 50
    assert all(p["login"].endswith("@example.com") and p["login"].isascii() for p in first)
    assert generated_people({**spec, "seed": 8}) != first


def test_the_library_is_valid_and_covers_every_article_section() -> None:
    scenarios = [load_file(path) for path in collect([str(ROOT / "scenarios")])]
    covered = coverage.by_section(scenarios)
    missing = [section for section in article.SECTIONS if not covered[section]]
    assert not missing, f"article sections without a scenario: {missing}"


def test_coverage_page_is_current() -> None:
    scenarios = [load_file(path) for path in collect([str(ROOT / "scenarios")])]
    page = (ROOT / "docs" / "coverage.md").read_text()
    assert page == coverage.render(scenarios, ROOT), (
        "regenerate: python -m lab.scenario.coverage > docs/coverage.md"
    )


def test_the_docs_reference_is_current_and_the_example_is_valid() -> None:
    from lab.scenario import reference

    page = (ROOT / "docs" / "scenarios.md").read_text()
    assert reference.render() in page, "regenerate the block: python -m lab.scenario.reference"
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert load(read("docs/scenarios.md", example)).name.startswith("Deactivating a user")


def test_end_states_ignore_ids_but_not_what_people_see() -> None:
    from lab.replay.end_state import differences, plain

    assert plain("User '0123456789abcdef0123456789abcdef' not found") == "User '<id>' not found"
    assert plain("assigned 00u1a2b3c4d5e6f7g8h9 to the app") == "assigned <id> to the app"
    left = {"cybozu": {"example": {"users": [("alice", "Active")]}}, "okta": {"tasks": []}}
    right = {"cybozu": {"example": {"users": [("alice", "Inactive")]}}, "okta": {"tasks": []}}
    assert differences(left, left) == []
    assert differences(left, right) == [
        "cybozu.example.users[0]: ('alice', 'Active') != ('alice', 'Inactive')"
    ]
    assert differences({"a": [1]}, {"a": [1, 2]}) == ["a: [1] != [1, 2]"]


def test_the_ui_driver_clicks_every_article_verb() -> None:
    """Verbs on either product go through its console; only the lab's own verbs stay on the lab API."""
    from lab.drivers.ui import UiDriver

    for name in VERBS:
        method = name.replace(".", "_")
        in_console = method in vars(UiDriver)
        assert in_console == (not name.startswith("lab.")), name
