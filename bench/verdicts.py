"""What `make bench` says of each figure: its value, its target, met or not met (issue 18).

Each benchmark returns its verdicts; ``python -m bench`` prints them all again at the end,
so the one table to read is the last one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    figure: str
    value: str
    target: str
    met: bool

    def line(self) -> str:
        return (
            f"{self.figure:<44} {self.value:<34} target {self.target:<14} {'met' if self.met else 'NOT MET'}"
        )


def report(verdicts: list[Verdict]) -> None:
    for verdict in verdicts:
        print(verdict.line())
