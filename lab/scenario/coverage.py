"""docs/coverage.md: for each article section, the scenarios whose ``covers:`` name it.

python -m lab.scenario.coverage > docs/coverage.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from lab.scenario import article
from lab.scenario.loader import collect, load_file
from lab.scenario.model import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def by_section(scenarios: list[Scenario]) -> dict[str, list[Scenario]]:
    table: dict[str, list[Scenario]] = {section: [] for section in article.SECTIONS}
    for scenario in scenarios:
        for section in scenario.covers:
            table[section].append(scenario)
    return table


def render(scenarios: list[Scenario], root: Path) -> str:
    lines = [
        "# Article coverage",
        "",
        "Generated from the `covers:` field of every file in `scenarios/` by",
        "`python -m lab.scenario.coverage > docs/coverage.md`; a test fails when this",
        "file is stale or when a section of the article has no scenario.",
        "",
    ]
    for section, found in by_section(scenarios).items():
        lines.append(f"## {section}")
        lines.append("")
        for scenario in sorted(found, key=lambda s: s.id):
            link = Path(scenario.file).resolve().relative_to(root).as_posix()
            lines.append(f"- [{scenario.name}](../{link})")
        if not found:
            lines.append("- **no scenario yet**")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    scenarios = [load_file(path) for path in collect([str(SCENARIOS)])]
    sys.stdout.write(render(scenarios, SCENARIOS.parent))


if __name__ == "__main__":
    main()
