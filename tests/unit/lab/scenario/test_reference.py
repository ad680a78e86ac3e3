"""lab.scenario.reference: docs/scenarios.md's reference is current and its example valid."""

from __future__ import annotations

from lab.scenario import reference
from lab.scenario.loader import load
from lab.scenario.source import read
from tests.conftest import ROOT


def test_the_docs_reference_is_current_and_the_example_is_valid() -> None:
    page = (ROOT / "docs" / "scenarios.md").read_text()
    assert reference.render() in page, "regenerate the block: python -m lab.scenario.reference"
    assert page.count(reference.START) == page.count(reference.END) == 1
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert load(read("docs/scenarios.md", example)).name.startswith("Deactivating a user")


def test_the_reference_lists_the_keys_of_every_nested_object() -> None:
    """Issue 17: ``okta_app``'s keys were missing, as were those of objects inside objects."""
    block = reference.render()
    assert "`okta_app`: `domain_name`: string" in block
    assert "`okta_app.to_app`: `create`: boolean" in block
    assert "`okta_app_users[]`: `user`: string, **required**" in block


def test_writing_the_reference_replaces_every_old_block(tmp_path) -> None:
    """The page had gathered eight end markers from blocks pasted over one another."""
    page = tmp_path / "scenarios.md"
    page.write_text(f"intro\n{reference.START}\n{reference.START}\nold\n{reference.END}\n{reference.END}\noutro\n")
    reference.write(page)
    assert page.read_text() == f"intro\n{reference.render()}\noutro\n"
