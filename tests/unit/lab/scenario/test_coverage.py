"""lab.scenario.coverage: the scenario library is valid, covers every section of the article, and docs/coverage.md is current."""

from __future__ import annotations

from lab.scenario import article, coverage
from lab.scenario.loader import collect, load_file
from tests.conftest import ROOT


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
