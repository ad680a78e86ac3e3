"""lab.scenario.reference: docs/scenarios.md's reference is current and its example valid."""

from __future__ import annotations

from lab.scenario.loader import load
from lab.scenario.source import read
from tests.conftest import ROOT


def test_the_docs_reference_is_current_and_the_example_is_valid() -> None:
    from lab.scenario import reference

    page = (ROOT / "docs" / "scenarios.md").read_text()
    assert reference.render() in page, "regenerate the block: python -m lab.scenario.reference"
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert load(read("docs/scenarios.md", example)).name.startswith("Deactivating a user")
