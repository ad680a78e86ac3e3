"""`make bench` / `python -m bench [-n N]`: run every benchmark, then print every figure with its
target and met / NOT MET (issue 18).

``-n`` sets W1's requests per phase; W2 runs 1,000 then 10,000 people (and reports W4, each
process's peak RSS); W3 replays the scenarios folder; the last is `make test` on a clean clone
(``--no-make-test`` leaves it out: it takes as long as CI).
"""

from __future__ import annotations

import argparse
import sys

from bench import make_test, w1_scim, w2_group_sync, w3_scenarios
from bench.verdicts import report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("-n", type=int, default=2000, help="W1's requests per phase (default 2000)")
    parser.add_argument("--no-make-test", action="store_true", help="leave out make test on a clean clone")
    args = parser.parse_args(argv)
    verdicts = w1_scim.measure(args.n)
    verdicts += w2_group_sync.measure([1000, 10000])
    verdicts += w3_scenarios.measure()
    if not args.no_make_test:
        verdicts += make_test.measure()
    print("\nEvery figure, its target, met or not:")
    report(verdicts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
