"""`make test` as CI runs it: a clean clone of HEAD, a fresh virtualenv, every test and every
scenario through both drivers. The wall time includes installing the packages (from the
package index, or pip's cache where this machine has one) and finding the browser.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.verdicts import Verdict, report

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 360.0  # issue 18: under 6 minutes on 2 cores


def measure() -> list[Verdict]:
    with tempfile.TemporaryDirectory(prefix="make-test-") as folder:
        clone = Path(folder) / "lab"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.strip()
        environment = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        started = time.perf_counter()
        done = subprocess.run(
            ["make", "test"], cwd=clone, env=environment, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
    summary = next((line for line in reversed(done.stdout.splitlines()) if " in " in line), "")
    print(f"make test on a clean clone of {head}: {seconds:.0f} s, exit status {done.returncode}; {summary}")
    if done.returncode:
        print(done.stdout[-3000:] + done.stderr[-2000:], file=sys.stderr)
    return [
        Verdict(
            "make test, clean clone" + ("" if done.returncode == 0 else " (FAILED)"),
            f"{seconds / 60:.1f} min",
            f"< {TARGET_SECONDS / 60:.0f} min",
            done.returncode == 0 and seconds < TARGET_SECONDS,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m bench.make_test", description=__doc__).parse_args(argv)
    report(measure())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
