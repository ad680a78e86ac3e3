"""W3: the whole scenarios/ folder through the API driver, serially and with pytest -n 2.

Serial: every scenario replayed in this process with ``lab.replay.runner``
(each starts its own sandbox). Parallel: ``pytest scenarios -n 2`` in a
subprocess (pytest-xdist, two workers). Reports wall times and the slowest
scenarios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.progress import progress
from bench.verdicts import Verdict, report
from lab.replay import runner
from lab.scenario.loader import collect, load_file

FOLDER = Path(__file__).resolve().parents[1] / "scenarios"


def serial(folder: Path) -> tuple[float, list[tuple[str, float]]]:
    scenarios = [load_file(path) for path in collect([str(folder)])]
    started = time.perf_counter()
    times = []
    for number, scenario in enumerate(scenarios, 1):
        result = runner.run(scenario)
        if not result.passed:
            raise SystemExit(f"W3: {scenario.id} failed; fix it before measuring")
        times.append((scenario.id, result.seconds))
        progress("W3 serial", number, len(scenarios))
    return time.perf_counter() - started, times


def parallel(folder: Path, workers: int) -> float:
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(folder),
        "-n",
        str(workers),
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"W3: pytest failed:\n{done.stdout[-2000:]}")
    return time.perf_counter() - started


# Issue 18: the scenarios folder through the API driver on 2 cores.
TARGET_SECONDS = 10.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.w3_scenarios", description=__doc__)
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("-n", "--workers", type=int, default=2)
    args = parser.parse_args(argv)
    report(measure(args.folder, args.workers))
    return 0


def measure(folder: Path = FOLDER, workers: int = 2) -> list[Verdict]:
    """Replay the folder serially and with pytest -n ``workers``; print the times, return the verdict
    (the faster of the two is what a user waits for)."""
    total, times = serial(folder)
    wall = parallel(folder, workers)
    slowest = sorted(times, key=lambda item: -item[1])[:3]
    print(
        f"W3 {len(times)} scenarios: serial {total:.1f} s (median {statistics.median(t for _, t in times):.2f} s "
        f"per scenario); pytest -n {workers}: {wall:.1f} s wall (pytest start-up included); slowest: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest)
    )
    best = min(total, wall)
    return [
        Verdict(
            f"W3 scenarios/ via the API driver ({len(times)})",
            f"serial {total:.1f} s, -n {workers} {wall:.1f} s",
            f"< {TARGET_SECONDS:.0f} s",
            best < TARGET_SECONDS,
        )
    ]


if __name__ == "__main__":
    raise SystemExit(main())
